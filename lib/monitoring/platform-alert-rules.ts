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
