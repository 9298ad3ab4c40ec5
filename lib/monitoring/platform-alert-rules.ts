import { Duration } from 'cdk8s';
import { AlertRule, AlertSeverity } from './alert-rule';
import { PipelineOutcomeMetrics } from './pipeline-outcome-push';
import { checkArgs } from '../validation';
import { PipelineSchedule, SparkPipeline } from '../workflows';

/** Where each alert's runbook section is: `<base>#<alert name, lower case>`. */
export const DEFAULT_RUNBOOK_BASE_URL = 'https://github.com/cdk8s-spark-platform/cdk8s-spark-platform/blob/main/docs/observability.md';

const runbook = (base: string, alert: string) => `${base}#${alert.toLowerCase()}`;

// When a scheduled pipeline is overdue (its schedules' longest interval, its deadline and an hour for time zones,
// DST and start delays, in seconds), and the selector of its pushed series.
function overdue(pipeline: SparkPipeline, schedule: PipelineSchedule): { limit: number; selector: string; cadence: string } {
  return {
    limit: schedule.longestInterval.toSeconds() + pipeline.deadline.toSeconds() + 3600,
    selector: `job="${PipelineOutcomeMetrics.JOB}", namespace="${pipeline.namespace.name}", pipeline="${pipeline.name}"`,
    cadence: `Schedule ${schedule.name} starts ${pipeline.name} at least every ${Math.round(schedule.longestInterval.toSeconds() / 3600 * 10) / 10} h`,
  };
}

/**
 * The platform's alerting rules. Every metric is one the component exports in the pinned version; the
 * comment on each names its source.
 */
export class PlatformAlertRules {
  /**
   * A SparkApplication failed. spark-operator v2.5.2 `pkg/common/metrics.go` `spark_application_failure_count`
   * (a counter of moves to FAILED, labelled by the application's namespace).
   */
  public static sparkApplicationFailed(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.sparkApplicationFailed', 'PlatformAlertRules', 'sparkApplicationFailed', [runbookBaseUrl]);
    return new AlertRule({
      name: 'SparkApplicationFailed',
      expr: 'sum by (namespace) (increase(spark_application_failure_count[10m])) > 0',
      severity: AlertSeverity.WARNING,
      summary: 'A Spark application failed in {{ $labels.namespace }}',
      description: '{{ $value }} Spark application(s) moved to FAILED in namespace {{ $labels.namespace }} in the last 10 minutes '
        + '(after their retries). `kubectl get sparkapplications -n {{ $labels.namespace }}` lists them; the driver log says why.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkApplicationFailed'),
    });
  }

  /**
   * The last run of a pipeline failed: its exit handler pushed `spark_pipeline_last_run_succeeded 0`. Only the
   * platform's pipelines: the Pushgateway keeps a group until it is deleted (prometheus/pushgateway README, no
   * TTL), so a removed or renamed pipeline whose last run failed would otherwise alert forever.
   */
  public static sparkPipelineFailed(pipelines: SparkPipeline[], runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.sparkPipelineFailed', 'PlatformAlertRules', 'sparkPipelineFailed', [pipelines, runbookBaseUrl]);
    const byNamespace = new Map<string, string[]>();
    for (const p of pipelines) byNamespace.set(p.namespace.name, [...byNamespace.get(p.namespace.name) ?? [], p.name]);
    const expr = [...byNamespace].map(([ns, names]) =>
      `${PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED}{job="${PipelineOutcomeMetrics.JOB}", namespace="${ns}", pipeline=~"${names.sort().join('|')}"} == 0`).join(' or ');
    return new AlertRule({
      name: 'SparkPipelineFailed',
      expr: expr || `${PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED}{job="${PipelineOutcomeMetrics.JOB}"} == 0`,
      severity: AlertSeverity.CRITICAL,
      summary: 'Pipeline {{ $labels.namespace }}/{{ $labels.pipeline }} failed',
      description: 'The last run of pipeline {{ $labels.pipeline }} (team {{ $labels.team }}) failed or errored; it stays firing until a run succeeds. '
        + '`argo list -n {{ $labels.namespace }} -l spark-platform.io/pipeline={{ $labels.pipeline }}` shows the run and its failed step.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkPipelineFailed'),
    });
  }

  /**
   * A scheduled pipeline has not succeeded for longer than its schedules' longest interval plus its deadline
   * and an hour (time zones, DST and start delays).
   */
  public static sparkPipelineOverdue(pipeline: SparkPipeline, schedule: PipelineSchedule,
    runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.sparkPipelineOverdue', 'PlatformAlertRules', 'sparkPipelineOverdue', [pipeline, schedule, runbookBaseUrl]);
    const { limit, selector, cadence } = overdue(pipeline, schedule);
    return new AlertRule({
      name: 'SparkPipelineOverdue',
      expr: `time() - ${PipelineOutcomeMetrics.LAST_SUCCESS_TIMESTAMP}{${selector}} > ${limit}`,
      severity: AlertSeverity.WARNING,
      summary: `Pipeline ${pipeline.namespace.name}/${pipeline.name} has not succeeded on schedule`,
      description: `${cadence}, `
        + 'but its last success was {{ $value | humanizeDuration }} ago: runs failed, were skipped (a suspended or forbidden concurrent schedule) or never started.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkPipelineOverdue'),
      labels: { namespace: pipeline.namespace.name, pipeline: pipeline.name },
    });
  }

  /**
   * A scheduled pipeline has no success at all on record (it never succeeded, or the Pushgateway lost its group)
   * for longer than the overdue limit: the other half of `SparkPipelineOverdue`, under the same name (a
   * comparison with a missing series is empty, so that alert alone stays silent).
   */
  public static sparkPipelineNeverSucceeded(pipeline: SparkPipeline, schedule: PipelineSchedule,
    runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.sparkPipelineNeverSucceeded', 'PlatformAlertRules', 'sparkPipelineNeverSucceeded', [pipeline, schedule, runbookBaseUrl]);
    const { limit, selector, cadence } = overdue(pipeline, schedule);
    return new AlertRule({
      name: 'SparkPipelineOverdue',
      expr: `absent(${PipelineOutcomeMetrics.LAST_SUCCESS_TIMESTAMP}{${selector}})`,
      for: Duration.seconds(limit),
      severity: AlertSeverity.WARNING,
      summary: `Pipeline ${pipeline.namespace.name}/${pipeline.name} has no success on record`,
      description: `${cadence}, `
        + 'but no run has pushed a success for longer than that: it never succeeded since it was added, or the Pushgateway lost its groups.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkPipelineOverdue'),
      // Told apart from the other rule of the alert (promtool's lint refuses two rules of one name and labels).
      labels: { namespace: pipeline.namespace.name, pipeline: pipeline.name, cause: 'no-success-on-record' },
    });
  }

  /**
   * Pods stayed unschedulable: the autoscaler cannot add the capacity they need. cluster-autoscaler 1.33
   * `metrics/metrics.go` `cluster_autoscaler_unschedulable_pods_count{type="unschedulable"}`.
   */
  public static podsUnschedulable(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.podsUnschedulable', 'PlatformAlertRules', 'podsUnschedulable', [runbookBaseUrl]);
    return new AlertRule({
      name: 'SparkPodsUnschedulable',
      expr: 'max(cluster_autoscaler_unschedulable_pods_count{type="unschedulable"}) > 0',
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Pods have been unschedulable for 15 minutes',
      description: '{{ $value }} pod(s) cannot be scheduled and the cluster-autoscaler has not added nodes for them: spot capacity of every '
        + 'instance type of the pool may be exhausted, a node group may be at its maximum size, or the pods ask for more than a node offers.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkPodsUnschedulable'),
    });
  }

  /**
   * The cluster-autoscaler reports errors. cluster-autoscaler 1.33 `metrics/metrics.go`
   * `cluster_autoscaler_errors_total{type}` (cloudProviderError, apiCallError, ...; `utils/errors/errors.go`).
   */
  public static clusterAutoscalerErrors(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.clusterAutoscalerErrors', 'PlatformAlertRules', 'clusterAutoscalerErrors', [runbookBaseUrl]);
    return new AlertRule({
      name: 'ClusterAutoscalerErrors',
      expr: 'sum by (type) (increase(cluster_autoscaler_errors_total[15m])) > 0',
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'The cluster-autoscaler reports {{ $labels.type }} errors',
      description: 'The cluster-autoscaler counted {{ $value }} errors of type {{ $labels.type }} in 15 minutes, for 15 minutes: it may not be able '
        + 'to scale the node groups (IAM, AWS API throttling, a node group that no longer exists). Its log says which.',
      runbookUrl: runbook(runbookBaseUrl, 'ClusterAutoscalerErrors'),
    });
  }

  /**
   * Pods stayed unschedulable for Karpenter: no NodePool can launch a node they fit (limits reached, instance
   * types too small, capacity short). kubernetes-sigs/karpenter v1.14.1 `pkg/controllers/provisioning/scheduling/metrics.go`
   * `karpenter_scheduler_unschedulable_pods_count` (a gauge of the pods its last scheduling simulation could not place).
   */
  public static karpenterPodsUnschedulable(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterPodsUnschedulable', 'PlatformAlertRules', 'karpenterPodsUnschedulable', [runbookBaseUrl]);
    return new AlertRule({
      name: 'SparkPodsUnschedulable',
      expr: 'max(karpenter_scheduler_unschedulable_pods_count) > 0',
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Pods have been unschedulable for 15 minutes',
      description: '{{ $value }} pod(s) fit no node Karpenter can launch: a NodePool may be at its limit (the pool\'s maxSize), spot and on-demand '
        + 'capacity of every instance type of the pool may be short, or the pods ask for more than a node offers. Karpenter\'s log names the pods and why.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkPodsUnschedulable'),
    });
  }

  /**
   * Nodes Karpenter launched for a pool did not launch or join: the node class is not ready (subnets, security
   * groups, AMI or role not found), the instance never came up, or its kubelet never registered (the node role's
   * access entry, user data). kubernetes-sigs/karpenter v1.14.1 `pkg/metrics/metrics.go`
   * `karpenter_nodeclaims_disrupted_total{reason}` (`pkg/controllers/nodeclaim/lifecycle/launch.go` and `liveness.go`).
   */
  public static karpenterNodesNotLaunching(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterNodesNotLaunching', 'PlatformAlertRules', 'karpenterNodesNotLaunching', [runbookBaseUrl]);
    return new AlertRule({
      name: 'KarpenterNodesNotLaunching',
      expr: 'sum by (nodepool, reason) (increase(karpenter_nodeclaims_disrupted_total{reason=~"launch_timeout|registration_timeout|nodeclass_not_ready"}[30m])) > 0',
      severity: AlertSeverity.WARNING,
      summary: 'Karpenter\'s nodes of pool {{ $labels.nodepool }} fail to come up ({{ $labels.reason }})',
      description: '{{ $value }} node(s) of pool {{ $labels.nodepool }} were given up in 30 minutes ({{ $labels.reason }}): nodeclass_not_ready is a subnet, '
        + 'security group, AMI or role the EC2NodeClass does not find; launch_timeout an instance that never ran; registration_timeout a node that never joined '
        + '(the node role\'s access entry). `kubectl describe ec2nodeclass {{ $labels.nodepool }}` and Karpenter\'s log say which.',
      runbookUrl: runbook(runbookBaseUrl, 'KarpenterNodesNotLaunching'),
    });
  }

  /**
   * EC2 has had no capacity for a pool's instance types for 30 minutes: its pods wait, or run on the spot pool's
   * fallback. kubernetes-sigs/karpenter v1.14.1 `karpenter_nodeclaims_disrupted_total{reason="insufficient_capacity"}`
   * (a launch refused by EC2 with InsufficientInstanceCapacity and the like deletes its NodeClaim).
   */
  public static karpenterInsufficientCapacity(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterInsufficientCapacity', 'PlatformAlertRules', 'karpenterInsufficientCapacity', [runbookBaseUrl]);
    return new AlertRule({
      name: 'KarpenterInsufficientCapacity',
      expr: 'sum by (nodepool) (increase(karpenter_nodeclaims_disrupted_total{reason="insufficient_capacity"}[15m])) > 0',
      for: Duration.minutes(30),
      severity: AlertSeverity.INFO,
      summary: 'EC2 has no capacity for pool {{ $labels.nodepool }}',
      description: 'For 30 minutes Karpenter\'s launches for pool {{ $labels.nodepool }} have been refused for lack of capacity: its pods wait, or run on '
        + 'its on-demand fallback. More instance types of the same size in the pool give EC2 more markets to fill it from.',
      runbookUrl: runbook(runbookBaseUrl, 'KarpenterInsufficientCapacity'),
    });
  }

  /**
   * Karpenter's calls to AWS fail for another reason than capacity (IAM, throttling, a missing resource).
   * kubernetes-sigs/karpenter v1.14.1 `pkg/cloudprovider/metrics/cloudprovider.go` `karpenter_cloudprovider_errors_total{method, error}`
   * (`error` empty for an error of no known kind).
   */
  public static karpenterCloudProviderErrors(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterCloudProviderErrors', 'PlatformAlertRules', 'karpenterCloudProviderErrors', [runbookBaseUrl]);
    return new AlertRule({
      name: 'KarpenterCloudProviderErrors',
      expr: 'sum by (method) (increase(karpenter_cloudprovider_errors_total{error!~"InsufficientCapacityError|NodeClaimNotFoundError"}[15m])) > 0',
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Karpenter\'s {{ $labels.method }} calls to AWS fail',
      description: 'Karpenter counted {{ $value }} failed {{ $labels.method }} calls in 15 minutes, for 15 minutes, not for lack of capacity: its IAM role, '
        + 'AWS API throttling or a resource that no longer exists. Its log says which.',
      runbookUrl: runbook(runbookBaseUrl, 'KarpenterCloudProviderErrors'),
    });
  }

  /**
   * Spot reclaims are frequent: at least 5 in an hour. Executors lost to reclaims make Spark rerun their stages.
   * aws/karpenter-provider-aws v1.14.1 `pkg/controllers/interruption/metrics.go`
   * `karpenter_interruption_received_messages_total{message_type="spot_interrupted"}` (messages/types.go).
   */
  public static karpenterSpotInterruptions(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterSpotInterruptions', 'PlatformAlertRules', 'karpenterSpotInterruptions', [runbookBaseUrl]);
    return new AlertRule({
      name: 'KarpenterSpotInterruptions',
      expr: 'sum(increase(karpenter_interruption_received_messages_total{message_type="spot_interrupted"}[1h])) >= 5',
      severity: AlertSeverity.INFO,
      summary: 'Spot reclaimed {{ $value }} nodes in the last hour',
      description: 'Karpenter received {{ $value }} spot interruption warnings in an hour and drained those nodes: executors on them were lost and their '
        + 'stages rerun. More instance types (and sizes) in the spot pools spread it over more spot markets.',
      runbookUrl: runbook(runbookBaseUrl, 'KarpenterSpotInterruptions'),
    });
  }

  /**
   * A pool has reached its size: Karpenter launches no more of its nodes (its NodePool's `limits`). kubernetes-sigs/karpenter
   * v1.14.1 `pkg/controllers/metrics/nodepool/controller.go` `karpenter_nodepools_usage` and `karpenter_nodepools_limit`
   * `{nodepool, resource_type}`.
   */
  public static karpenterNodePoolAtLimit(runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.karpenterNodePoolAtLimit', 'PlatformAlertRules', 'karpenterNodePoolAtLimit', [runbookBaseUrl]);
    return new AlertRule({
      name: 'KarpenterNodePoolAtLimit',
      expr: 'max by (nodepool, resource_type) (karpenter_nodepools_usage / karpenter_nodepools_limit) >= 1',
      for: Duration.minutes(15),
      severity: AlertSeverity.WARNING,
      summary: 'Pool {{ $labels.nodepool }} is at its limit of {{ $labels.resource_type }}',
      description: 'Pool {{ $labels.nodepool }} has used all its {{ $labels.resource_type }} for 15 minutes: Karpenter launches no more of its nodes, so '
        + 'pods that need one wait. Raise the pool\'s maxSize, or move work elsewhere.',
      runbookUrl: runbook(runbookBaseUrl, 'KarpenterNodePoolAtLimit'),
    });
  }

  /**
   * A component's metrics endpoint has not been scraped successfully for 10 minutes: it is down or gone
   * (Prometheus' own `up` series of the monitor's job).
   */
  public static componentDown(alert: string, component: string, job: string, namespace: string,
    runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.componentDown', 'PlatformAlertRules', 'componentDown', [alert, component, job, namespace, runbookBaseUrl]);
    return new AlertRule({
      name: alert,
      expr: `absent(up{job="${job}", namespace="${namespace}"} == 1)`,
      for: Duration.minutes(10),
      severity: AlertSeverity.CRITICAL,
      summary: `${component} is down`,
      description: `No successful scrape of ${component} (job ${job} in ${namespace}) for 10 minutes: its pods are not running or not ready. `
        + `\`kubectl get pods -n ${namespace}\` and the pods' events say why.`,
      runbookUrl: runbook(runbookBaseUrl, alert),
    });
  }

  /**
   * The Spark History Server has no available replica. The server serves no Prometheus metrics (Spark's
   * HistoryServer starts no metrics system), so this reads kube-state-metrics'
   * `kube_deployment_status_replicas_available`, which kube-prometheus-stack runs.
   */
  public static historyServerDown(namespace: string, deployment: string, runbookBaseUrl: string = DEFAULT_RUNBOOK_BASE_URL): AlertRule {
    checkArgs('PlatformAlertRules.historyServerDown', 'PlatformAlertRules', 'historyServerDown', [namespace, deployment, runbookBaseUrl]);
    return new AlertRule({
      name: 'SparkHistoryServerDown',
      expr: `max(kube_deployment_status_replicas_available{namespace="${namespace}", deployment="${deployment}"}) < 1`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: 'The Spark History Server is down',
      description: `Deployment ${namespace}/${deployment} has had no available replica for 10 minutes: finished jobs' UIs are unreachable `
        + '(their event logs are safe in S3). The init container\'s log says if the S3A connector could not be fetched.',
      runbookUrl: runbook(runbookBaseUrl, 'SparkHistoryServerDown'),
    });
  }

  private constructor() {}
}
