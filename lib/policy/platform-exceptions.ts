import { ClusterWriteGrant, PolicyException, PolicyRule } from './policy-violation';

// The cluster-autoscaler's ClusterRole is upstream's (cluster-autoscaler/cloudprovider/aws/examples/
// cluster-autoscaler-autodiscover.yaml); each write, and why the binary needs it.
const AUTOSCALER_EXAMPLE = 'cluster-autoscaler/cloudprovider/aws/examples/cluster-autoscaler-autodiscover.yaml';

/** Cluster-wide writes of the components the library renders itself, each with its reason. */
export const PLATFORM_CLUSTER_WRITES: ClusterWriteGrant[] = [
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'events',
    verbs: ['create', 'patch'],
    reason: 'records scale-up and scale-down events on the pods and nodes it acts for, in every namespace',
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'endpoints',
    verbs: ['create', 'patch'],
    reason: `leader election and its status record (${AUTOSCALER_EXAMPLE})`,
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'endpoints',
    verbs: ['update'],
    reason: 'its own leader-election record only (resourceNames: cluster-autoscaler)',
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'pods/eviction',
    verbs: ['create'],
    reason: 'evicts the pods of a node it removes (respecting PodDisruptionBudgets) before terminating the instance',
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'pods/status',
    verbs: ['update'],
    reason: `updates the conditions of pods it cannot help (${AUTOSCALER_EXAMPLE})`,
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: '',
    resource: 'nodes',
    verbs: ['update'],
    reason: 'taints a node ToBeDeletedByClusterAutoscaler / DeletionCandidateOfClusterAutoscaler before it drains it',
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: 'batch',
    resource: 'jobs',
    verbs: ['patch'],
    reason: `granted by upstream for the drain of Jobs' pods (${AUTOSCALER_EXAMPLE})`,
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: 'batch',
    resource: 'cronjobs',
    verbs: ['patch'],
    reason: `granted by upstream for the drain of CronJobs' pods (${AUTOSCALER_EXAMPLE})`,
  },
  {
    clusterRole: 'cluster-autoscaler',
    apiGroup: 'coordination.k8s.io',
    resource: 'leases',
    verbs: ['create', 'update'],
    reason: 'leader election between its replicas (--leader-elect=true); update only on its own lease (resourceNames)',
  },
];

/** The exceptions the library's own objects need, each with its reason. */
export const PLATFORM_EXCEPTIONS: PolicyException[] = [
  ...['SparkApplication', 'ScheduledSparkApplication'].map(kind => ({
    rule: PolicyRule.WRITABLE_ROOT_FILESYSTEM,
    kind,
    reason: 'Spark writes into its working directory: executors fetch the application\'s files and jars into "." '
      + '(SparkFiles.getRootDirectory on executors, core/src/main/scala/org/apache/spark/SparkFiles.scala) and '
      + 'spark-submit stages into java.io.tmpdir; the operator adds volumes to Spark pods only through its webhook',
  })),
  {
    rule: PolicyRule.MAY_RUN_AS_ROOT,
    kind: 'FluentbitAgent',
    reason: 'fluent-bit reads the node\'s container logs, files owned by root with mode 0640; it runs as uid 0 with '
      + 'every capability dropped, no privilege escalation and a read-only root filesystem',
  },
  {
    rule: PolicyRule.WRITABLE_ROOT_FILESYSTEM,
    kind: 'Logging',
    path: 'spec.fluentd',
    reason: 'fluentd writes its own log file under /fluentd/log (FluentOutLogrotate.Path, logging-operator '
      + 'pkg/sdk/logging/api/v1beta1/fluentd_types.go) in the image\'s filesystem',
  },
];
