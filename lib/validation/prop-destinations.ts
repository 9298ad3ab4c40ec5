import { isDns1123Label, isDns1123Subdomain, labelValueProblem, qualifiedNameProblem } from './names';

// Where a string prop of the public API lands decides what it may hold: a Kubernetes object name, a label value,
// an API group, a Java class name. This is the one table of prop -> rule, read where every struct enters
// (checkShape), so the rule holds at the prop the user spelled, whichever constructor or add*() method it came
// through. Props checked by their own construct with more context (a job's name, which also bounds the names
// derived from it) are not repeated here; the tables of bad input by class check both kinds the same way.

/** A rule: why a value does not fit its destination, or undefined when it does. */
export type Rule = (value: string) => string | undefined;

/** The rules of a map's keys and values (labels, annotations). */
export interface MapRule {
  readonly key: Rule;
  readonly value?: Rule;
}

const DNS_LABEL: Rule = v => isDns1123Label(v) ? undefined
  : 'must be a DNS-1123 label: lower-case alphanumerics and \'-\', start and end alphanumeric, at most 63 characters';
const DNS_SUBDOMAIN: Rule = v => isDns1123Subdomain(v) ? undefined
  : 'must be a DNS-1123 subdomain: lower-case alphanumerics, \'-\' and \'.\', start and end alphanumeric, at most 253 characters';
// An API group: empty (the core group) or a DNS subdomain (k8s.io/apimachinery validation of GroupKind).
const API_GROUP: Rule = v => v === '' || isDns1123Subdomain(v) ? undefined : 'must be "" (the core group) or an API group such as "rbac.authorization.k8s.io"';
// A kind: an UpperCamelCase identifier, as the API's schemas name them.
const KIND: Rule = v => /^[A-Z][A-Za-z0-9]*$/.test(v) ? undefined : 'must be a kind such as "ClusterRole" (UpperCamelCase letters and digits)';
// A fully qualified Java class name (JLS 3.8 identifiers, ASCII): what Spark loads with Class.forName.
const JAVA_CLASS: Rule = v => /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(v) ? undefined
  : 'must be a Java class name such as "com.acme.etl.Main" (identifiers separated by \'.\')';
// `<namespace>/<name>` of a Service.
const NAMESPACED_NAME: Rule = v => {
  const [ns, name, extra] = v.split('/');
  return extra === undefined && name !== undefined && isDns1123Label(ns) && isDns1123Label(name) ? undefined
    : 'must be "<namespace>/<name>" of a Service, both DNS-1123 labels';
};
const SHA256: Rule = v => /^[a-f0-9]{64}$/.test(v) ? undefined : 'must be a SHA-256 digest: 64 lower-case hexadecimal characters';
const HTTPS_URL: Rule = v => /^https:\/\/[^\s/$.?#][^\s]*$/.test(v) ? undefined : 'must be an https URL';
const VERSION: Rule = v => /^\d+\.\d+\.\d+([.-][0-9A-Za-z.-]+)?$/.test(v) ? undefined : 'must be a version such as "2.29.52"';
const TAINT_KEY: Rule = v => qualifiedNameProblem(v);
const LABEL_VALUE: Rule = v => labelValueProblem(v);
const LABELS: MapRule = { key: k => qualifiedNameProblem(k) && `is not a label key: ${qualifiedNameProblem(k)}`, value: LABEL_VALUE };
const ANNOTATIONS: MapRule = { key: k => qualifiedNameProblem(k) && `is not an annotation key: ${qualifiedNameProblem(k)}` };

/**
 * The rule of each prop that has one, by the struct that declares it (`Struct.prop`); list and map props apply it
 * to each element or value.
 */
export const PROP_DESTINATIONS: { readonly [structProp: string]: Rule | MapRule } = {
  // Labels and selectors: qualified keys, label values.
  'SparkApplicationOptions.labels': LABELS,
  'SparkTeamProps.labels': LABELS,
  'NodePoolProps.labels': LABELS,
  'SparkPipelineOptions.labels': LABELS,
  'TeamLogFlowOptions.podLabels': LABELS,
  'MetricsMonitorOptions.selector': LABELS,
  'PrometheusStackProps.monitorLabels': LABELS,
  'PrometheusStackProps.ruleLabels': LABELS,
  'PrometheusStackProps.dashboardLabels': LABELS,
  'HistoryServerIngressOptions.annotations': ANNOTATIONS,
  // Namespaces (objects are rendered into them).
  'GrafanaDashboardProps.namespace': DNS_LABEL,
  'MetricsMonitorProps.namespace': DNS_LABEL,
  'MetricsMonitorOptions.namespaces': DNS_LABEL,
  'PlatformBindingsProps.teamNamespaces': DNS_LABEL,
  // Object names.
  'NetworkFlow.name': DNS_LABEL,
  'PersistentHistoryStoreOptions.storageClassName': DNS_SUBDOMAIN,
  'PushgatewayPersistence.storageClassName': DNS_SUBDOMAIN,
  'ManifestPolicyProps.exposedServices': NAMESPACED_NAME,
  'GitOpsProps.projectName': DNS_SUBDOMAIN,
  'GitOpsProps.rootApplicationName': DNS_SUBDOMAIN,
  'ArgoCdApplicationProps.projectName': DNS_SUBDOMAIN,
  // API groups and kinds (an AppProject's cluster resource whitelist).
  'GroupKind.group': API_GROUP,
  'GroupKind.kind': KIND,
  // Taints (keys are qualified names, values label values).
  'NodeTaint.key': TAINT_KEY,
  'NodeTaint.value': LABEL_VALUE,
  // What a JVM or a download reads.
  'SparkApplicationOptions.mainClass': JAVA_CLASS,
  'MavenS3AConnectorOptions.hadoopAwsSha256': SHA256,
  'MavenS3AConnectorOptions.awsSdkSha256': SHA256,
  'MavenS3AConnectorOptions.repositoryUrl': HTTPS_URL,
  'MavenS3AConnectorOptions.awsSdkVersion': VERSION,
};

/**
 * Numbers and quantities: what every prop of a type must be unless listed in `QUANTITY_EXCEPTIONS` (counts are
 * whole and not negative; sizes, CPU and durations more than zero, durations in whole seconds, the unit every
 * manifest the library renders takes). A construct's own check may narrow it further (replicas >= 1).
 */
export interface QuantityRule {
  /** Why the value (a number, the MiB of a Size, the millicores of a Cpu, the milliseconds of a Duration) is refused. */
  readonly problem: (value: number) => string | undefined;
}

const integerAtLeast = (min: number): QuantityRule => ({
  problem: v => Number.isInteger(v) && v >= min ? undefined : `must be an integer >= ${min}`,
});
const MORE_THAN_ZERO: QuantityRule = { problem: v => v > 0 ? undefined : 'must be more than zero' };
const WHOLE_SECONDS_AT_LEAST = (min: number): QuantityRule => ({
  problem: ms => ms % 1000 === 0 && ms / 1000 >= min ? undefined
    : `must be a whole number of seconds${min > 0 ? `, at least ${min}` : ''}, e.g. Duration.minutes(5)`,
});

/** The rule of each type, for props not in `QUANTITY_EXCEPTIONS`. */
export const QUANTITY_DEFAULTS: { readonly [type: string]: QuantityRule } = {
  'number': integerAtLeast(0),
  'cdk8s.Size': MORE_THAN_ZERO,
  'cdk8s-plus-33.Cpu': MORE_THAN_ZERO,
  'cdk8s.Duration': WHOLE_SECONDS_AT_LEAST(1),
};

/** Props whose numbers or quantities follow another rule than their type's. */
export const QUANTITY_EXCEPTIONS: { readonly [structProp: string]: QuantityRule } = {
  // A Linux uid or gid (the kubelet's range; 0, root, is refused by the job itself).
  'SparkApplicationOptions.runAsUser': { problem: v => Number.isInteger(v) && v >= 0 && v <= 2147483647 ? undefined : 'must be an integer between 0 and 2147483647' },
  'SparkApplicationOptions.runAsGroup': { problem: v => Number.isInteger(v) && v >= 0 && v <= 2147483647 ? undefined : 'must be an integer between 0 and 2147483647' },
  // Spark's cores of a pod: whole CPUs.
  'SparkPodOptions.cores': integerAtLeast(1),
  // A node group of no node serves nothing.
  'NodePoolProps.maxSize': integerAtLeast(1),
  // Argo CD orders by sync wave, negative waves first.
  'ArgoCdApplicationOptions.syncWave': { problem: v => Number.isInteger(v) ? undefined : 'must be an integer' },
  // Argo's backoff factor is an integer multiplier (intstr), at least 1.
  'PipelineRetryOptions.backoffFactor': integerAtLeast(1),
  // The cluster-autoscaler's --scale-down-utilization-threshold, a fraction of a node.
  'ScaleDownOptions.utilizationThreshold': { problem: v => v > 0 && v <= 1 ? undefined : 'must be a fraction more than 0 and at most 1' },
  // Zero is meaningful: delete a finished workflow at once; fire at once.
  'WorkflowRetention.afterSuccess': WHOLE_SECONDS_AT_LEAST(0),
  'WorkflowRetention.afterFailure': WHOLE_SECONDS_AT_LEAST(0),
  'AlertRuleOptions.for': WHOLE_SECONDS_AT_LEAST(0),
};
