import { ClusterWriteGrant, objectName, PolicyRule, PolicyViolation } from '../policy-violation';

/** Verbs that change the cluster (read verbs: get, list, watch). */
export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', 'approve', 'sign', '*'];

/** `*` in the verbs, resources or API groups of any Role or ClusterRole. */
export function wildcardViolations(docs: any[]): PolicyViolation[] {
  return docs.filter(d => d?.kind === 'Role' || d?.kind === 'ClusterRole').flatMap(role => (role.rules ?? []).flatMap((rule: any, i: number) =>
    (['verbs', 'resources', 'apiGroups'] as const)
      .filter(field => (rule[field] ?? []).some((v: string) => v === '*' || v.endsWith('/*')))
      .map(field => ({
        rule: PolicyRule.RBAC_WILDCARD,
        object: objectName(role),
        path: `rules[${i}].${field}`,
        message: `grants "*" in ${field}: name each ${field === 'verbs' ? 'verb' : field === 'resources' ? 'resource' : 'API group'} the component needs`,
      }))));
}

/**
 * Write verbs of ClusterRoles bound by a ClusterRoleBinding (rights in every namespace and on cluster-scoped
 * objects) that no grant of the allow-list accepts.
 */
export function clusterWriteViolations(docs: any[], allowed: ClusterWriteGrant[]): PolicyViolation[] {
  const boundClusterWide = new Set(docs.filter(d => d?.kind === 'ClusterRoleBinding' && d.roleRef?.kind === 'ClusterRole').map(d => d.roleRef.name));
  return docs.filter(d => d?.kind === 'ClusterRole' && boundClusterWide.has(d.metadata?.name)).flatMap(role =>
    (role.rules ?? []).flatMap((rule: any, i: number) => {
      const writes = (rule.verbs ?? []).filter((v: string) => WRITE_VERBS.includes(v));
      const groups: string[] = rule.apiGroups ?? [''];
      const found: PolicyViolation[] = [];
      for (const group of groups) {
        for (const resource of rule.resources ?? []) {
          const grant = allowed.filter(g => g.clusterRole === role.metadata.name && g.apiGroup === group && g.resource === resource);
          const unexplained = writes.filter((v: string) => !grant.some(g => g.verbs.includes(v)));
          if (unexplained.length > 0) {
            found.push({
              rule: PolicyRule.CLUSTER_WRITE,
              object: objectName(role),
              path: `rules[${i}]`,
              message: `grants ${unexplained.join(', ')} on ${group || 'core'}/${resource} in the whole cluster with no reason in the allow-list`,
            });
          }
        }
      }
      return found;
    }));
}
