import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

// Kubernetes' own syntax rules (k8s.io/apimachinery/pkg/util/validation), so bad names fail at synth rather
// than at `kubectl apply`.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A DNS-1123 label: lower-case alphanumerics and '-', starting and ending alphanumeric, at most `max` characters. */
export function isDns1123Label(value: string, max = 63): boolean {
  return typeof value === 'string' && value.length <= max && DNS1123_LABEL.test(value);
}

/** A DNS-1035 label (Service names): like DNS-1123 but must start with a letter. */
export function isDns1035Label(value: string, max = 63): boolean {
  return typeof value === 'string' && value.length <= max && DNS1035_LABEL.test(value);
}

/** A DNS-1123 subdomain: dot-separated DNS-1123 labels, at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Why `key` is not a qualified name (label, annotation or taint key), or undefined when it is one. */
export function qualifiedNameProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty string';
  const parts = key.split('/');
  if (parts.length > 2) return 'must be "name" or "prefix/name" with a single "/"';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0 || !isDns1123Subdomain(prefix)) {
      return `prefix "${prefix}" must be a DNS-1123 subdomain (lower-case alphanumerics, '-' and '.', at most 253 characters)`;
    }
  }
  if (name.length > 63) return `name part must be at most 63 characters (has ${name.length})`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'name part must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is one (empty is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length > 63) return `must be at most 63 characters (has ${value.length})`;
  if (value.length > 0 && !QUALIFIED_NAME_PART.test(value)) {
    return 'must be empty or consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
  }
  return undefined;
}

/** Throws unless `value` is a DNS-1123 label of at most `max` characters. */
/** Whether a label or taint key's prefix is one of `domains` or a subdomain of one (`x.k8s.io` is in `k8s.io`). */
export function keyInDomains(key: string, domains: readonly string[]): boolean {
  const prefix = key.includes('/') ? key.split('/')[0] : '';
  return domains.some(domain => prefix === domain || prefix.endsWith(`.${domain}`));
}

export function checkDns1123Label(where: IConstruct | string, prop: string, value: string, max = 63): string {
  if (!isDns1123Label(value, max)) {
    throw invalidProp(where, prop, value,
      `must be a DNS-1123 label: lower-case alphanumerics and '-', start and end alphanumeric, at most ${max} characters`);
  }
  return value;
}

/** Throws unless `value` is a DNS-1123 subdomain. */
export function checkDns1123Subdomain(where: IConstruct | string, prop: string, value: string): string {
  if (!isDns1123Subdomain(value)) {
    throw invalidProp(where, prop, value,
      'must be a DNS-1123 subdomain: lower-case alphanumerics, \'-\' and \'.\', start and end alphanumeric, at most 253 characters');
  }
  return value;
}

/** Throws unless every key of `labels` is a qualified name and every value a valid label value. */
export function checkLabels(where: IConstruct | string, prop: string, labels: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = qualifiedNameProblem(key);
    // The prop as spelled, the key as the bad value: "labels" "a/b/c": is not a label key: ...
    if (keyProblem) throw invalidProp(where, prop, key, `is not a label key: ${keyProblem}`);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) throw invalidProp(where, `${prop}["${key}"]`, value, valueProblem);
  }
}

/**
 * The namespaces Kubernetes and EKS own (aws-node, kube-proxy, CoreDNS, the cluster's leases and public info,
 * the `kubernetes` Service): the platform never renders, labels or isolates them.
 */
export const KUBERNETES_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];

/**
 * Throws unless `value` is a DNS-1123 label the platform may own: not one of Kubernetes' own namespaces, where
 * the platform's Namespace (pod-security `restricted`) and default-deny NetworkPolicies would stop aws-node,
 * kube-proxy and CoreDNS on new nodes.
 */
export function checkPlatformNamespace(where: IConstruct | string, prop: string, value: string): string {
  checkDns1123Label(where, prop, value);
  if (KUBERNETES_NAMESPACES.includes(value)) {
    throw invalidProp(where, prop, value,
      `is Kubernetes' own namespace (${KUBERNETES_NAMESPACES.join(', ')}): the platform would render it with pod-security "restricted" and default-deny NetworkPolicies that stop aws-node, kube-proxy and CoreDNS; choose a namespace of the platform's own`);
  }
  return value;
}
