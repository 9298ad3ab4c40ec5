import { DashboardPanel, PanelKind } from './grafana-dashboard';
import { PipelineOutcomeMetrics } from './pipeline-outcome-push';
import { checkArgs } from '../validation';

/**
 * The panels of the platform's dashboards. Metric sources: spark-operator v2.5.2 `pkg/common/metrics.go`
 * (`spark_application_*`, `spark_executor_*`, labelled by the application's namespace); Spark's
 * `PrometheusResource` on the driver (`metrics_executor_*{application_name, executor_id}`); argo-workflows
 * v4.0.6 `docs/metrics.md` (`argo_workflows_*`, no `_total` suffix added); cluster-autoscaler 1.33
 * `metrics/metrics.go`; the pipelines' own pushes (`PipelineOutcomeMetrics`); kube-state-metrics.
 */
export class PlatformDashboards {
  /** Spark jobs: running, failed, duration, executors, spot losses. */
  public static sparkJobs(): DashboardPanel[] {
    return [
      { title: 'Running applications', kind: PanelKind.STAT, queries: [{ expr: 'sum by (namespace) (spark_application_running_count)', legend: '{{namespace}}' }] },
      {
        title: 'Applications finished (24h)',
        kind: PanelKind.STAT,
        queries: [
          { expr: 'sum by (namespace) (increase(spark_application_success_count[24h]))', legend: '{{namespace}} succeeded' },
          { expr: 'sum by (namespace) (increase(spark_application_failure_count[24h]))', legend: '{{namespace}} failed' },
        ],
      },
      {
        title: 'Average run time of successful applications',
        unit: 's',
        queries: [{
          expr: 'sum by (namespace) (rate(spark_application_success_execution_time_seconds_sum[1h])) / sum by (namespace) (rate(spark_application_success_execution_time_seconds_count[1h]))',
          legend: '{{namespace}}',
        }],
      },
      {
        title: 'Executors lost (spot reclaims and failures, 1h)',
        description: 'Executor pods that ended in failure: on spot, mostly reclaims. Spark reruns their tasks; decommissioning moves their blocks first.',
        queries: [{ expr: 'sum by (namespace) (increase(spark_executor_failure_count[1h]))', legend: '{{namespace}}' }],
      },
      {
        title: 'Executors per application',
        queries: [{ expr: 'count by (namespace, application_name) (metrics_executor_totalCores{executor_id!="driver"})', legend: '{{namespace}}/{{application_name}}' }],
      },
      { title: 'Active tasks', queries: [{ expr: 'sum by (namespace, application_name) (metrics_executor_activeTasks)', legend: '{{namespace}}/{{application_name}}' }] },
      {
        title: 'Storage memory used by executors',
        unit: 'bytes',
        queries: [{ expr: 'sum by (namespace, application_name) (metrics_executor_memoryUsed_bytes)', legend: '{{namespace}}/{{application_name}}' }],
      },
      {
        title: 'Failed tasks (15m)',
        queries: [{ expr: 'sum by (namespace, application_name) (increase(metrics_executor_failedTasks_total[15m]))', legend: '{{namespace}}/{{application_name}}' }],
      },
    ];
  }

  /** Pipelines: last outcome, duration, time since the last success, Argo Workflows' own counts. */
  public static pipelines(): DashboardPanel[] {
    const m = PipelineOutcomeMetrics;
    return [
      { title: 'Last run succeeded', kind: PanelKind.TABLE, queries: [{ expr: `${m.LAST_RUN_SUCCEEDED}{job="${m.JOB}"}` }] },
      { title: 'Time since last success', unit: 's', queries: [{ expr: `time() - ${m.LAST_SUCCESS_TIMESTAMP}{job="${m.JOB}"}`, legend: '{{namespace}}/{{pipeline}}' }] },
      { title: 'Last run duration', unit: 's', queries: [{ expr: `${m.LAST_RUN_DURATION}{job="${m.JOB}"}`, legend: '{{namespace}}/{{pipeline}}' }] },
      { title: 'Workflows by phase', queries: [{ expr: 'sum by (phase) (argo_workflows_gauge)', legend: '{{phase}}' }] },
      {
        title: 'Workflows failed (1h)',
        queries: [{ expr: 'sum by (namespace) (increase(argo_workflows_total_count{phase=~"Failed|Error"}[1h]))', legend: '{{namespace}}' }],
      },
      {
        title: 'Scheduled runs started (24h)',
        queries: [{ expr: 'sum by (namespace, name) (increase(argo_workflows_cronworkflows_triggered_total[24h]))', legend: '{{namespace}}/{{name}}' }],
      },
    ];
  }

  /**
   * Platform health: components up, pending pods, nodes, autoscaler errors and scale-ups, from the autoscaler the
   * platform runs (the cluster-autoscaler's metrics, or Karpenter's with `karpenter`: kubernetes-sigs/karpenter
   * v1.14.1 `pkg/metrics/metrics.go`, `pkg/controllers/metrics/nodepool/controller.go` (`nodes` is a resource type of
   * a NodePool's usage: `pkg/controllers/nodepool/counter`), `pkg/cloudprovider/metrics/cloudprovider.go`;
   * aws/karpenter-provider-aws v1.14.1 `pkg/controllers/interruption/metrics.go`).
   */
  public static platformHealth(upJobs: string[], historyServerDeployment: string = 'spark-history-server', karpenter: boolean = false): DashboardPanel[] {
    checkArgs('PlatformDashboards.platformHealth', 'PlatformDashboards', 'platformHealth', [upJobs, historyServerDeployment, karpenter]);
    return [
      { title: 'Components up', kind: PanelKind.STAT, queries: [{ expr: `up{job=~"${upJobs.join('|')}"}`, legend: '{{job}}' }] },
      ...(karpenter ? KARPENTER_PANELS : CLUSTER_AUTOSCALER_PANELS),
      {
        title: 'History server replicas available',
        queries: [{ expr: `kube_deployment_status_replicas_available{deployment="${historyServerDeployment}"}`, legend: '{{namespace}}' }],
      },
    ];
  }

  private constructor() {}
}

const CLUSTER_AUTOSCALER_PANELS: DashboardPanel[] = [
  { title: 'Unschedulable pods', queries: [{ expr: 'cluster_autoscaler_unschedulable_pods_count', legend: '{{type}}' }] },
  { title: 'Nodes by state', queries: [{ expr: 'cluster_autoscaler_nodes_count', legend: '{{state}}' }] },
  { title: 'Autoscaler errors (15m)', queries: [{ expr: 'sum by (type) (increase(cluster_autoscaler_errors_total[15m]))', legend: '{{type}}' }] },
  { title: 'Nodes added (1h)', queries: [{ expr: 'sum(increase(cluster_autoscaler_scaled_up_nodes_total[1h]))', legend: 'added' }] },
  { title: 'Failed scale-ups (1h)', queries: [{ expr: 'sum by (reason) (increase(cluster_autoscaler_failed_scale_ups_total[1h]))', legend: '{{reason}}' }] },
];

const KARPENTER_PANELS: DashboardPanel[] = [
  { title: 'Unschedulable pods', queries: [{ expr: 'max(karpenter_scheduler_unschedulable_pods_count)', legend: 'unschedulable' }] },
  {
    title: 'Nodes Karpenter launched, by pool (of its limit)',
    queries: [
      { expr: 'sum by (nodepool) (karpenter_nodepools_usage{resource_type="nodes"})', legend: '{{nodepool}}' },
      { expr: 'sum by (nodepool) (karpenter_nodepools_limit{resource_type="nodes"})', legend: '{{nodepool}} limit' },
    ],
  },
  { title: 'Autoscaler errors (15m)', queries: [{ expr: 'sum by (method, error) (increase(karpenter_cloudprovider_errors_total[15m]))', legend: '{{method}} {{error}}' }] },
  { title: 'Nodes added (1h)', queries: [{ expr: 'sum by (nodepool) (increase(karpenter_nodeclaims_created_total[1h]))', legend: '{{nodepool}}' }] },
  {
    title: 'Nodes disrupted or given up, by reason (1h)',
    description: 'Consolidation (empty, underutilized), drift, expiry, and launches given up (insufficient_capacity, launch_timeout, registration_timeout).',
    queries: [{ expr: 'sum by (nodepool, reason) (increase(karpenter_nodeclaims_disrupted_total[1h]))', legend: '{{nodepool}} {{reason}}' }],
  },
  { title: 'Interruption messages (1h)', queries: [{ expr: 'sum by (message_type) (increase(karpenter_interruption_received_messages_total[1h]))', legend: '{{message_type}}' }] },
];
