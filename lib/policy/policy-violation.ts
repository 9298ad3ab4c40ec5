/**
 * The rules of the manifest policy (`ManifestPolicy`), as they appear in violations and exceptions.
 */
export enum PolicyRule {
  /** `*` in a Role's or ClusterRole's verbs, resources or API groups. */
  RBAC_WILDCARD = 'rbac-wildcard',
  /** A write verb of a ClusterRole bound cluster-wide, not in the allow-list. */
  CLUSTER_WRITE = 'cluster-write',
  /** A container image without a tag other than `latest`, or a digest. */
  UNPINNED_IMAGE = 'unpinned-image',
  /** A container without CPU and memory requests and a memory limit. */
  MISSING_RESOURCES = 'missing-resources',
  /** A container that may run as root (neither `runAsNonRoot: true` nor a non-zero `runAsUser`). */
  MAY_RUN_AS_ROOT = 'may-run-as-root',
  /**
   * A container with `runAsNonRoot: true`, no `runAsUser`, and an image whose user is not known to be numeric and
   * non-zero: the kubelet refuses to start it (or cannot verify it). Set a numeric `runAsUser`.
   */
  NON_ROOT_UNVERIFIABLE = 'non-root-unverifiable',
  /** A container without `allowPrivilegeEscalation: false`. */
  PRIVILEGE_ESCALATION = 'privilege-escalation',
  /** A container that does not drop `ALL` capabilities, or adds any. */
  CAPABILITIES = 'capabilities',
  /** A container whose seccomp profile is not `RuntimeDefault`. */
  SECCOMP = 'seccomp',
  /** A container without `readOnlyRootFilesystem: true`. */
  WRITABLE_ROOT_FILESYSTEM = 'writable-root-filesystem',
  /** A container of a long-running workload without a readiness and a liveness probe. */
  MISSING_PROBES = 'missing-probes',
  /** A Service of type LoadBalancer or NodePort. */
  EXPOSED_SERVICE = 'exposed-service',
  /** A Secret with `data` or `stringData` in the manifest (in Git). */
  INLINE_SECRET = 'inline-secret',
}

/** One object (or one container of it) that breaks a rule of the manifest policy. */
export interface PolicyViolation {
  /** The rule broken. */
  readonly rule: PolicyRule;
  /** The object: `Kind namespace/name` (or `Kind name` when cluster-scoped). */
  readonly object: string;
  /** Where in the object, as a path (`spec.template.spec.containers[0]`). */
  readonly path: string;
  /** What is wrong and what the rule asks for. */
  readonly message: string;
}

/**
 * A documented exception to one rule, for objects the rule would reject on purpose.
 */
export interface PolicyException {
  /** The rule excepted. */
  readonly rule: PolicyRule;
  /** The kind of the objects excepted. */
  readonly kind: string;
  /**
   * The name of the object excepted (exact).
   *
   * @default - every object of the kind
   */
  readonly name?: string;
  /**
   * Only where the violation's path starts with this (for example `spec.driver`).
   *
   * @default - anywhere in the object
   */
  readonly path?: string;
  /** Why the object must break the rule: the exception is read by auditors, it must say why. */
  readonly reason: string;
}

/**
 * A write grant of a ClusterRole bound cluster-wide that the policy accepts, with the reason.
 */
export interface ClusterWriteGrant {
  /** The ClusterRole's name. */
  readonly clusterRole: string;
  /** The API group (`''` for the core group). */
  readonly apiGroup: string;
  /** The resource (with its subresource, e.g. `pods/eviction`). */
  readonly resource: string;
  /** The write verbs accepted. */
  readonly verbs: string[];
  /** Why the component needs it, with the upstream source that shows it. */
  readonly reason: string;
}

/** `Kind namespace/name`, the way violations name objects. */
export function objectName(doc: any): string {
  const meta = doc?.metadata ?? {};
  const name = meta.name ?? meta.generateName ?? '?';
  return meta.namespace ? `${doc?.kind} ${meta.namespace}/${name}` : `${doc?.kind} ${name}`;
}
