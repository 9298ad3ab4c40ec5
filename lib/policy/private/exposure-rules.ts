import { objectName, PolicyRule, PolicyViolation } from '../policy-violation';

/** Services of type LoadBalancer or NodePort (reachable from outside the cluster's network). */
export function exposedServiceViolations(docs: any[]): PolicyViolation[] {
  return docs.filter(d => d?.kind === 'Service' && ['LoadBalancer', 'NodePort'].includes(d.spec?.type)).map(service => ({
    rule: PolicyRule.EXPOSED_SERVICE,
    object: objectName(service),
    path: 'spec.type',
    message: `is of type ${service.spec.type}: reachable from outside the cluster; use ClusterIP and a port-forward or an ingress you control`,
  }));
}

/** Secrets whose values are in the manifest (and so in Git). */
export function inlineSecretViolations(docs: any[]): PolicyViolation[] {
  return docs.filter(d => d?.kind === 'Secret').flatMap(secret => (['data', 'stringData'] as const)
    .filter(field => Object.keys(secret[field] ?? {}).length > 0)
    .map(field => ({
      rule: PolicyRule.INLINE_SECRET,
      object: objectName(secret),
      path: field,
      message: `holds ${Object.keys(secret[field]).sort().join(', ')} in the manifest: keep secret values out of Git (External Secrets, Sealed Secrets)`,
    })));
}
