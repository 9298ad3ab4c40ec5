import { ClusterWriteGrant, PolicyException, PolicyRule } from '../policy-violation';

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

// The operators' pinned charts at their default release names, as `helm template` renders them with the library's
// values (test/chart-render.test.ts runs the policy over that output).
const CHART_EXCEPTIONS: PolicyException[] = [
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'spark-operator-webhook',
    reason: 'the webhook generates its serving certificate and writes the CA bundle into its Mutating/ValidatingWebhookConfigurations, '
      + 'which are cluster-scoped (kubeflow/spark-operator v2.5.2 charts/spark-operator-chart templates/webhook/rbac.yaml)',
  },
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'argo-workflows-workflow-controller',
    reason: 'the controller creates and deletes the pods, PVCs and PDBs of every workflow and updates Workflows, CronWorkflows and their task '
      + 'results in every namespace it watches (all: argo-helm argo-workflows-1.0.18 templates/controller/workflow-controller-cluster-roles.yaml)',
  },
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'argo-workflows-server',
    reason: 'upstream\'s argo-server role (templates/server/server-cluster-roles.yaml): with the library\'s client auth mode every API call '
      + 'runs with the caller\'s own token, so these grants serve only the SSO mode; the server deletes no pod on its own',
  },
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'argo-workflows-crd-install',
    reason: 'the chart\'s CRD job applies Argo Workflows\' CustomResourceDefinitions on install and upgrade (templates/crds-install-job.yaml)',
  },
  ...[PolicyRule.CLUSTER_WRITE, PolicyRule.RBAC_WILDCARD].map(rule => ({
    rule,
    kind: 'ClusterRole',
    name: 'logging-operator',
    reason: 'the operator reconciles fluentd and fluent-bit (StatefulSets, DaemonSets, Services, Secrets, RBAC) for every Logging and reads flows '
      + 'everywhere; the role is generated from its kubebuilder markers (kube-logging/logging-operator 6.7.0 charts/logging-operator '
      + 'templates/clusterrole.yaml), "*" on coordination.k8s.io leases being its leader election',
  })),
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'karpenter-core',
    reason: 'Karpenter creates and deletes the NodeClaims of every NodePool, taints, drains and deletes the nodes it removes (pod evictions, and '
      + 'pod deletions past a termination grace period), records events on pods and nodes in every namespace, and writes its NodePools\' status '
      + '(aws/karpenter-provider-aws v1.14.1 charts/karpenter templates/clusterrole-core.yaml)',
  },
  {
    rule: PolicyRule.CLUSTER_WRITE,
    kind: 'ClusterRole',
    name: 'karpenter',
    reason: 'Karpenter writes the status (subnets, security groups, AMIs, instance profile) and finalizers of every EC2NodeClass '
      + '(aws/karpenter-provider-aws v1.14.1 charts/karpenter templates/clusterrole.yaml)',
  },
  {
    rule: PolicyRule.MISSING_PROBES,
    kind: 'Deployment',
    name: 'argo-workflows-workflow-controller',
    reason: 'the chart renders the controller\'s liveness probe (/healthz on 6060) and offers no readiness probe '
      + '(templates/controller/workflow-controller-deployment.yaml); the controller serves no traffic a readiness gate would hold back',
  },
  {
    rule: PolicyRule.MISSING_PROBES,
    kind: 'Deployment',
    name: 'logging-operator',
    reason: 'the chart renders no probes and offers no value for them (kube-logging/logging-operator 6.7.0 charts/logging-operator '
      + 'templates/deployment.yaml); the operator serves only its metrics',
  },
];

/** The exceptions the library's own objects need, each with its reason. */
export const PLATFORM_EXCEPTIONS: PolicyException[] = [
  ...CHART_EXCEPTIONS,
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
