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
  'PlatformLogFlowOptions.namespaces': DNS_LABEL,
  // Object names.
  'NetworkFlow.name': DNS_LABEL,
  'PersistentHistoryStoreOptions.storageClassName': DNS_SUBDOMAIN,
  'PushgatewayPersistence.storageClassName': DNS_SUBDOMAIN,
  'FluentdOptions.bufferStorageClassName': DNS_SUBDOMAIN,
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
