import { execFile } from 'child_process';
import { promisify } from 'util';
import { Duration, Size, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AlertRule, AlertSeverity, ArgoWorkflows, ClusterAutoscaler, MonitorTarget, PipelineGroupCleanup, PipelineOutcomeMetrics, PipelineOutcomePush,
  PlatformMonitoring, PlatformMonitoringProps, PrometheusStack, SparkHistoryServer, SparkOperator, SparkTeam,
} from '../lib';
import {
  LocalPushgateway, firesAlert as fires, promtoolCheckRules, promtoolTestRules, seriesEveryMinute as test1m, silentAlert as silent,
  withoutAnnotations,
} from './fixtures/prometheus-tools';
import { bindings, findObject, scalaJob, spotPool, systemPool, teamA } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

const pools = [systemPool, spotPool];

function platform(props: Partial<PlatformMonitoringProps> = {}) {
  const chart = Testing.chart();
  const spark = new SparkOperator(chart, 'spark-operator', { nodePools: pools, bindings });
  const jobs = spark.addTeam(teamA);
  jobs.addJob('etl', { ...scalaJob });
  const workflows = new ArgoWorkflows(chart, 'argo-workflows', { nodePools: pools, bindings });
  const daily = workflows.addPipeline(jobs, 'daily');
  daily.addSparkStep('ingest', { ...scalaJob });
  daily.addSchedule('nightly', { schedules: ['30 2 * * 1-5'], timeZone: 'Europe/Amsterdam' });
  const clusterAutoscaler = new ClusterAutoscaler(chart, 'cluster-autoscaler', { nodePools: pools, bindings });
  const historyServer = new SparkHistoryServer(chart, 'spark-history', { nodePools: pools, bindings });
  const monitoring = new PlatformMonitoring(chart, 'monitoring', { nodePools: pools, sparkOperator: spark, workflows, clusterAutoscaler, historyServer, ...props });
  return { chart, spark, jobs, workflows, daily, monitoring };
}

const monitorsOf = (docs: any[]) => docs.filter(d => d.kind === 'PodMonitor' || d.kind === 'ServiceMonitor');

describe('Pushgateway', () => {
  test('pinned image, Service on 9091, probes on /-/healthy and /-/ready, hardened, on the on-demand pool', () => {
    const { chart } = platform();
    const docs = synthValid(chart);
    const deployment = findObject(docs, 'Deployment', 'pushgateway');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe('quay.io/prometheus/pushgateway:v1.11.3');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 9091, protocol: 'TCP' }]);
    // pushgateway main.go: the health endpoints; --persistence.file (empty = memory only) and its interval.
    expect(container.readinessProbe.httpGet).toEqual({ path: '/-/ready', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/-/healthy', port: 'http' });
    expect(container.args).toEqual(['--web.listen-address=:9091', '--persistence.file=/data/pushgateway.db', '--persistence.interval=1m']);
    expect(container.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    // The image's Dockerfile: USER 65534.
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'system' });
    // Persistent by default: the pipelines' alerts read what it keeps (a lost group resolves a failure alert).
    expect(pod.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'pushgateway-data' } }]);
    expect(findObject(docs, 'PersistentVolumeClaim', 'pushgateway-data').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1024Mi' } } });
    expect(findObject(docs, 'Service', 'pushgateway').spec.ports).toEqual([{ name: 'http', port: 9091, targetPort: 'http', protocol: 'TCP' }]);
    // Its own namespace before everything else, restricted.
    expect(findObject(docs, 'Namespace', 'spark-monitoring').metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('ephemeral on request: an emptyDir, no claim; not both', () => {
    const docs = synthValid(platform({ pushgatewayPersistence: { ephemeral: true } }).chart);
    expect(findObject(docs, 'Deployment', 'pushgateway').spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '1024Mi' } }]);
    expect(docs.some(d => d.kind === 'PersistentVolumeClaim')).toBe(false);
    expect(() => platform({ pushgatewayPersistence: { ephemeral: true, storageClassName: 'ebs-gp3' } }))
      .toThrow('invalid prop "persistence.storageClassName" "ebs-gp3": is for a claim, and persistence.ephemeral keeps the series in an emptyDir');
  });

  test('a claim of the StorageClass given, one pod at a time', () => {
    const { chart } = platform({ pushgatewayPersistence: { size: Size.gibibytes(2), storageClassName: 'ebs-gp3' } });
    const docs = synthValid(chart);
    expect(findObject(docs, 'PersistentVolumeClaim', 'pushgateway-data').spec).toEqual({
      accessModes: ['ReadWriteOnce'], storageClassName: 'ebs-gp3', resources: { requests: { storage: '2048Mi' } },
    });
    const deployment = findObject(docs, 'Deployment', 'pushgateway');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.template.spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'pushgateway-data' } }]);
  });
});

describe('monitors', () => {
  test('every object passes the strict harness against the pinned prometheus-operator CRDs; the stack\'s labels on each', () => {
    const { chart } = platform();
    const docs = synthValid(chart);
    expect(monitorsOf(docs).map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'PodMonitor/spark-drivers', 'PodMonitor/spark-operator', 'ServiceMonitor/argo-workflows-controller', 'ServiceMonitor/cluster-autoscaler', 'ServiceMonitor/pushgateway',
    ]);
    // kube-prometheus-stack templates/prometheus/prometheus.yaml: serviceMonitorSelector/podMonitorSelector
    // matchLabels {release: <release>} when *SelectorNilUsesHelmValues (the default).
    for (const monitor of monitorsOf(docs)) expect(monitor.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(findObject(docs, 'PrometheusRule').metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    const custom = platform({ stack: new PrometheusStack({ monitorLabels: { prometheus: 'platform' }, ruleLabels: { role: 'alert-rules' } }) });
    const customDocs = synthValid(custom.chart);
    expect(findObject(customDocs, 'ServiceMonitor', 'pushgateway').metadata.labels).toEqual({ prometheus: 'platform' });
    expect(findObject(customDocs, 'PrometheusRule').metadata.labels).toEqual({ role: 'alert-rules' });
  });

  test('monitors of rendered targets select them, on ports they name', () => {
    const { chart } = platform();
    const docs = synthValid(chart);
    const check = (monitorName: string, kind: string, objectName: string) => {
      const monitor = findObject(docs, 'ServiceMonitor', monitorName);
      const target = findObject(docs, kind, objectName);
      expect(monitor.spec.namespaceSelector.matchNames).toEqual([target.metadata.namespace]);
      for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(target.metadata.labels[k]).toBe(v);
      for (const endpoint of monitor.spec.endpoints) expect(target.spec.ports.map((p: any) => p.name)).toContain(endpoint.port);
    };
    check('pushgateway', 'Service', 'pushgateway');
    check('cluster-autoscaler', 'Service', 'cluster-autoscaler');
    // Pushed series keep the pusher's labels (pushgateway README: honor_labels) and none of the Pushgateway pod's:
    // a new pod must not make new series (which would resolve and re-fire every pipeline alert).
    expect(findObject(docs, 'ServiceMonitor', 'pushgateway').spec.endpoints).toEqual([{
      port: 'http',
      path: '/metrics',
      scheme: 'http',
      interval: '30s',
      honorLabels: true,
      metricRelabelings: [{ action: 'labeldrop', regex: 'pod|container|endpoint|service' }],
    }]);
    // cluster-autoscaler main.go serves /metrics on --address (:8085), the Service's "metrics" port.
    expect(findObject(docs, 'Service', 'cluster-autoscaler').spec.ports[0]).toMatchObject({ name: 'metrics', port: 8085 });
  });

  test('chart targets: the labels and port names of the pinned charts\' templates', () => {
    const { chart } = platform();
    const docs = synthValid(chart);
    // spark-operator chart v2.5.2 templates/controller/deployment.yaml: container port "metrics", pod labels
    // app.kubernetes.io/{name,instance,component: controller} (the webhook's pods have a "metrics" port too).
    expect(findObject(docs, 'PodMonitor', 'spark-operator').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'spark-operator', 'app.kubernetes.io/instance': 'spark-operator', 'app.kubernetes.io/component': 'controller' } },
      namespaceSelector: { matchNames: ['spark-operator'] },
      // honorLabels: the operator labels its series with the application's namespace (pkg/common/metrics.go).
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http', interval: '30s', honorLabels: true }],
    });
    // argo-helm argo-workflows 1.0.18 templates/controller/workflow-controller-service.yaml with metricsConfig.enabled.
    expect(findObject(docs, 'ServiceMonitor', 'argo-workflows-controller').spec).toEqual({
      selector: {
        matchLabels: {
          'app.kubernetes.io/name': 'argo-workflows-workflow-controller', 'app.kubernetes.io/instance': 'argo-workflows', 'app.kubernetes.io/component': 'workflow-controller',
        },
      },
      namespaceSelector: { matchNames: ['argo'] },
      // honorLabels: the controller labels its series with the workflow's namespace; without it Prometheus renames
      // that label exported_namespace and every workflow shows as "argo" (Prometheus scrape config honor_labels).
      endpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http', interval: '30s', honorLabels: true }],
    });
  });

  test('every Spark driver of every job namespace, on Spark\'s "spark-ui" port, at both Prometheus paths the jobs switch on', () => {
    const { chart, spark } = platform();
    spark.addTeam(new SparkTeam({ name: 'team-late' })); // added after the monitoring: still scraped
    const docs = synthValid(chart);
    const drivers = findObject(docs, 'PodMonitor', 'spark-drivers').spec;
    // Spark Constants.scala UI_PORT_NAME = "spark-ui"; KubernetesConf labels the driver spark-role=driver.
    expect(drivers.selector.matchLabels).toEqual({ 'spark-role': 'driver', 'spark-platform.io/metrics': 'prometheus' });
    expect(drivers.namespaceSelector.matchNames).toEqual(['team-a', 'team-late']);
    expect(drivers.podMetricsEndpoints.map((e: any) => `${e.port} ${e.path}`)).toEqual(['spark-ui /metrics/prometheus', 'spark-ui /metrics/executors/prometheus']);
    // The job's driver carries the label and switches both endpoints on (PrometheusServlet, spark.ui.prometheus.enabled).
    const app = findObject(docs, 'SparkApplication');
    expect(app.spec.driver.labels['spark-platform.io/metrics']).toBe('prometheus');
    expect(app.spec.sparkConf).toMatchObject({
      'spark.ui.prometheus.enabled': 'true',
      'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
      'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
    });
  });

  test('a monitor selecting nothing fails: an empty selector at once, a selector no rendered object matches at synth', () => {
    const { chart, monitoring } = platform();
    const options = { name: 'x', target: MonitorTarget.SERVICES, namespaces: ['spark-monitoring'], endpoints: [{ port: 'http' }] };
    expect(() => monitoring.addMonitor('empty', { ...options, selector: {} })).toThrow('test/monitoring/Monitor-empty: invalid prop "selector" {}: must name at least one label');
    expect(() => monitoring.addMonitor('no-ns', { ...options, selector: { a: 'b' }, namespaces: [] })).toThrow('invalid prop "namespaces" []');
    expect(() => monitoring.addMonitor('port', { ...options, selector: { a: 'b' }, endpoints: [{ port: 'Metrics_Port' }] })).toThrow('invalid prop "endpoints[0].port" "Metrics_Port"');
    monitoring.addMonitor('nothing', { ...options, name: 'nothing', selector: { 'app.kubernetes.io/name': 'nothing' } });
    expect(() => Testing.synth(chart)).toThrow(
      'test/monitoring/Monitor-nothing: ServiceMonitor "nothing" selects no Service of this app (labels {"app.kubernetes.io/name":"nothing"} in spark-monitoring): it would scrape nothing');
  });

  test('a monitor on a port its targets do not name fails; targets a chart installs are not checked', () => {
    const { chart, monitoring } = platform();
    monitoring.addMonitor('wrong-port', {
      name: 'wrong-port', target: MonitorTarget.SERVICES, namespaces: ['spark-monitoring'], selector: { 'app.kubernetes.io/name': 'pushgateway' }, endpoints: [{ port: 'metrics' }],
    });
    expect(() => Testing.synth(chart)).toThrow('ServiceMonitor "wrong-port" scrapes port "metrics", which no selected Service names');
    const other = platform();
    other.monitoring.addMonitor('kafka', {
      name: 'kafka', target: MonitorTarget.PODS, namespaces: ['kafka'], selector: { app: 'kafka' }, endpoints: [{ port: 'metrics' }], targetsRenderedElsewhere: true,
    });
    expect(() => synthValid(other.chart)).not.toThrow();
  });
});

// The rules as Prometheus reads them, checked by Debian's promtool (package prometheus).
describe('alerts', () => {
  test('every rule group passes promtool check rules; each alert has severity, summary, description and a runbook', () => {
    const { monitoring } = platform();
    const result = promtoolCheckRules(monitoring.ruleGroups);
    expect(result.output).toContain('SUCCESS: 11 rules found');
    expect(result.ok).toBe(true);
    const alerts = monitoring.ruleGroups.flatMap(g => g.rules);
    expect(alerts.map(a => a.alert).sort()).toEqual([
      'ArgoWorkflowsControllerDown', 'ClusterAutoscalerDown', 'ClusterAutoscalerErrors', 'PushgatewayDown', 'SparkApplicationFailed', 'SparkHistoryServerDown',
      // Two rules of the overdue alert: a success too long ago, and no success on record.
      'SparkOperatorDown', 'SparkPipelineFailed', 'SparkPipelineOverdue', 'SparkPipelineOverdue', 'SparkPodsUnschedulable',
    ]);
    for (const alert of alerts) {
      expect(Object.values(AlertSeverity)).toContain(alert.labels.severity);
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(alert.annotations.runbook_url).toBe(`https://github.com/cdk8s-spark-platform/cdk8s-spark-platform/blob/main/docs/observability.md#${alert.alert.toLowerCase()}`);
    }
  });
});

// promtool test rules: series that make each alert fire, and series that do not. Annotations are checked once
// (their templates expanded by promtool); the logic tests compare labels only.
describe('alert logic (promtool test rules)', () => {
  const { monitoring } = platform();
  const groups = monitoring.ruleGroups;

  test('the annotations expand with the series\' labels and value', () => {
    const result = promtoolTestRules(groups, [test1m([['spark_application_failure_count{namespace="team-a", app_type="Unknown"}', '0 0 1 1 1 1']], [{
      eval_time: '5m',
      alertname: 'SparkApplicationFailed',
      exp_alerts: [{
        exp_labels: { severity: 'warning', namespace: 'team-a' },
        exp_annotations: {
          summary: 'A Spark application failed in team-a',
          description: '1 Spark application(s) moved to FAILED in namespace team-a in the last 10 minutes (after their retries). '
            + '`kubectl get sparkapplications -n team-a` lists them; the driver log says why.',
          runbook_url: 'https://github.com/cdk8s-spark-platform/cdk8s-spark-platform/blob/main/docs/observability.md#sparkapplicationfailed',
        },
      }],
    }])]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test.each([
    ['a failed Spark application fires; a success does not', [
      test1m([['spark_application_failure_count{namespace="team-a", app_type="Unknown"}', '0 0 1 1 1 1'], ['spark_application_success_count{namespace="team-b", app_type="Unknown"}', '0 1 2 3 4 5']],
        [fires('SparkApplicationFailed', '5m', { severity: 'warning', namespace: 'team-a' }), silent('SparkApplicationFailed', '30m')]),
    ]],
    ['a pipeline whose last run failed fires until a run succeeds', [
      test1m([['spark_pipeline_last_run_succeeded{job="spark_pipeline", namespace="team-a", pipeline="daily", team="team-a", instance=""}', '1 0 0 1']], [
        silent('SparkPipelineFailed', '0m'),
        // An empty label is no label (instance="" as the Pushgateway exposes it).
        fires('SparkPipelineFailed', '2m', { severity: 'critical', job: 'spark_pipeline', namespace: 'team-a', pipeline: 'daily', team: 'team-a' }),
        silent('SparkPipelineFailed', '3m'),
      ]),
    ]],
    // 30 2 * * 1-5: at most 72 h apart (Friday to Monday), + the 24 h deadline + 1 h = 97 h.
    ['a scheduled pipeline fires once its last success is older than its longest gap, deadline and an hour', [{
      interval: '1h',
      input_series: [{ series: 'spark_pipeline_last_success_timestamp_seconds{job="spark_pipeline", namespace="team-a", pipeline="daily", team="team-a"}', values: '0x120' }],
      alert_rule_test: [
        silent('SparkPipelineOverdue', '96h'),
        fires('SparkPipelineOverdue', '98h', { severity: 'warning', job: 'spark_pipeline', namespace: 'team-a', pipeline: 'daily', team: 'team-a' }),
      ],
    }]],
    ['pods unschedulable for 15 minutes fire; for 10 they do not', [
      test1m([['cluster_autoscaler_unschedulable_pods_count{type="unschedulable"}', '0 3x30'], ['cluster_autoscaler_unschedulable_pods_count{type="scheduler_unprocessed"}', '5x30']],
        [silent('SparkPodsUnschedulable', '10m'), fires('SparkPodsUnschedulable', '20m', { severity: 'warning' })]),
    ]],
    ['autoscaler errors for 15 minutes fire', [
      test1m([['cluster_autoscaler_errors_total{type="cloudProviderError"}', '0+1x60']],
        [silent('ClusterAutoscalerErrors', '10m'), fires('ClusterAutoscalerErrors', '40m', { severity: 'warning', type: 'cloudProviderError' })]),
    ]],
    ['a component not scraped for 10 minutes is down; one scraped is not', [
      test1m([
        ['up{job="pushgateway", namespace="spark-monitoring"}', '1x30'],
        ['up{job="spark-monitoring/spark-operator", namespace="spark-operator"}', '0x30'],
        ['up{job="argo-workflows-workflow-controller", namespace="argo"}', '1x30'],
      ], [
        silent('PushgatewayDown', '20m'),
        fires('SparkOperatorDown', '20m', { severity: 'critical' }),
        silent('ArgoWorkflowsControllerDown', '20m'),
        // No series at all (the pods are gone): down too.
        fires('ClusterAutoscalerDown', '20m', { severity: 'critical' }),
      ]),
    ]],
    ['the history server with no available replica for 10 minutes', [
      test1m([['kube_deployment_status_replicas_available{namespace="spark-history", deployment="spark-history-server"}', '1 1 0x30']],
        [silent('SparkHistoryServerDown', '5m'), fires('SparkHistoryServerDown', '20m', { severity: 'warning' })]),
    ]],
  ])('%s', (_, tests) => {
    const result = promtoolTestRules(withoutAnnotations(groups), tests);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  test('the overdue threshold follows the schedule: hourly runs are overdue much sooner', () => {
    const chart = Testing.chart();
    const spark = new SparkOperator(chart, 'spark-operator', { nodePools: pools, bindings });
    const workflows = new ArgoWorkflows(chart, 'argo-workflows', { nodePools: pools, bindings });
    const hourly = workflows.addPipeline(spark.addTeam(teamA), 'hourly', { deadline: Duration.minutes(30) });
    hourly.addSparkStep('a', { ...scalaJob });
    hourly.addSchedule('every-hour', { schedules: ['@hourly'] });
    const m = new PlatformMonitoring(chart, 'monitoring', { nodePools: pools, workflows });
    const overdue = m.ruleGroups.flatMap(g => g.rules).find(r => r.alert === 'SparkPipelineOverdue')!;
    expect(overdue.expr).toBe('time() - spark_pipeline_last_success_timestamp_seconds{job="spark_pipeline", namespace="team-a", pipeline="hourly"} > 9000');
  });
});

// The push the exit handler runs, run for real: POSIX sh and curl against Debian's prometheus-pushgateway.
describe('pipelines push their outcome', () => {
  let gateway: LocalPushgateway;
  beforeAll(async () => {
    gateway = await LocalPushgateway.start();
  });
  afterAll(() => gateway?.stop());

  // Argo fills the variables before the container starts (docs/variables.md: workflow.status, workflow.duration).
  async function runExitStep(env: { [name: string]: string }, status: string, duration: string): Promise<void> {
    const filled = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('{{workflow.status}}', status).replace('{{workflow.duration}}', duration)]));
    await promisify(execFile)('sh', ['-c', PipelineOutcomePush.script()], { env: { ...process.env, ...filled, PUSHGATEWAY_URL: gateway.url } });
  }

  test('every pipeline gets the exit step; a success then a failure leave the series the alerts and dashboards read', async () => {
    const { chart, daily } = platform();
    const docs = synthValid(chart);
    const template = docs.find(d => d.kind === 'WorkflowTemplate' && d.metadata.name === daily.name);
    expect(template.spec.onExit).toBe('exit-handler');
    const step = template.spec.templates.find((t: any) => t.name === 'push-outcome').container;
    expect(step.image).toBe('docker.io/curlimages/curl:8.11.1');
    expect(step.command).toEqual(['sh', '-c', PipelineOutcomePush.script()]);
    const env = Object.fromEntries(step.env.map((e: any) => [e.name, e.value]));
    expect(env.PUSHGATEWAY_URL).toBe('http://pushgateway.spark-monitoring.svc:9091');

    const before = Math.floor(Date.now() / 1000);
    await runExitStep(env, 'Succeeded', '812.000000');
    const succeeded = await gateway.series();
    const group = { job: 'spark_pipeline', namespace: 'team-a', pipeline: 'daily', team: 'team-a', instance: '' };
    const sameLabels = (labels: { [key: string]: string }) => Object.keys(labels).length === Object.keys(group).length
      && Object.entries(group).every(([k, v]) => labels[k] === v);
    const value = (series: typeof succeeded, name: string) => series.find(s => s.name === name && sameLabels(s.labels))?.value;
    const named = (series: typeof succeeded, name: string) => series.find(s => s.name === name)?.labels;
    expect(named(succeeded, PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED)).toEqual(group);
    expect(value(succeeded, PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED)).toBe(1);
    expect(value(succeeded, PipelineOutcomeMetrics.LAST_RUN_DURATION)).toBe(812);
    const success = value(succeeded, PipelineOutcomeMetrics.LAST_SUCCESS_TIMESTAMP)!;
    expect(success).toBeGreaterThanOrEqual(before);

    await new Promise(r => setTimeout(r, 1100));
    await runExitStep(env, 'Failed', '30.5');
    const failed = await gateway.series();
    expect(value(failed, PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED)).toBe(0);
    expect(value(failed, PipelineOutcomeMetrics.LAST_RUN_DURATION)).toBe(30.5);
    // POST replaces only what it sends: the last success stays.
    expect(value(failed, PipelineOutcomeMetrics.LAST_SUCCESS_TIMESTAMP)).toBe(success);
    expect(value(failed, PipelineOutcomeMetrics.LAST_RUN_TIMESTAMP)).toBeGreaterThan(success);
    // Pushgateway's own bookkeeping per group (push_time_seconds), which the stale-data checks read.
    expect(named(failed, 'push_time_seconds')).toEqual(group);
  });

  // prometheus/pushgateway README: groups never expire. The platform's hourly cleanup deletes the groups of pipelines
  // it no longer has, read from the Pushgateway's own push_time_seconds series, and keeps the others.
  test('the cleanup deletes the group of a removed pipeline and keeps the platform\'s, run for real', async () => {
    const { chart, monitoring } = platform();
    const cronJob = synthValid(chart).find(d => d.kind === 'CronJob' && d.metadata.name === 'pushgateway-cleanup');
    const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.command).toEqual(['sh', '-c', PipelineGroupCleanup.script()]);
    const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(env.KEEP).toBe('team-a/daily');
    expect(monitoring.pipelineGroupCleanup).toBeDefined();
    const push = (key: string) => promisify(execFile)('sh', ['-c', PipelineOutcomePush.script()], {
      env: { ...process.env, PUSHGATEWAY_URL: gateway.url, GROUPING_KEY: key, WORKFLOW_STATUS: 'Failed', WORKFLOW_DURATION: '1' },
    });
    await push('job/spark_pipeline/namespace/team-a/pipeline/daily/team/team-a');
    await push('job/spark_pipeline/namespace/team-a/pipeline/renamed-long-ago/team/team-a');
    const { stdout } = await promisify(execFile)('sh', ['-c', PipelineGroupCleanup.script()], { env: { ...process.env, PUSHGATEWAY_URL: gateway.url, KEEP: env.KEEP } });
    expect(stdout).toContain('deleted the group of pipeline team-a/renamed-long-ago');
    const pipelines = new Set((await gateway.series()).filter(s => s.name === 'push_time_seconds' && s.labels.namespace === 'team-a').map(s => s.labels.pipeline));
    expect(pipelines).toEqual(new Set(['daily']));
  });

  test('an Error run is a failure', async () => {
    const env = { GROUPING_KEY: 'job/spark_pipeline/namespace/team-b/pipeline/weekly/team/team-b', WORKFLOW_STATUS: '{{workflow.status}}', WORKFLOW_DURATION: '{{workflow.duration}}' };
    await runExitStep(env, 'Error', '1.0');
    const series = await gateway.series();
    expect(series.find(s => s.name === PipelineOutcomeMetrics.LAST_RUN_SUCCEEDED && s.labels.pipeline === 'weekly')?.value).toBe(0);
    expect(series.find(s => s.name === PipelineOutcomeMetrics.LAST_SUCCESS_TIMESTAMP && s.labels.pipeline === 'weekly')).toBeUndefined();
  });
});

describe('dashboards', () => {
  const dashboardsOf = (docs: any[]) => docs.filter(d => d.kind === 'ConfigMap' && d.metadata.name.startsWith('dashboard-'));

  test('ConfigMaps for Grafana\'s sidecar, valid dashboard JSON, every query passes promtool', () => {
    const { chart } = platform();
    const docs = synthValid(chart);
    const maps = dashboardsOf(docs);
    expect(maps.map(m => m.metadata.name).sort()).toEqual(['dashboard-spark-jobs', 'dashboard-spark-pipelines', 'dashboard-spark-platform-health']);
    const queries: string[] = [];
    for (const map of maps) {
      // kube-prometheus-stack: sidecar label grafana_dashboard "1"; Grafana's file provider reads *.json only.
      expect(map.metadata.labels).toEqual({ grafana_dashboard: '1' });
      const [key] = Object.keys(map.data);
      expect(key).toMatch(/\.json$/);
      const model = JSON.parse(map.data[key]);
      expect(model.uid).toBe(key.replace(/\.json$/, ''));
      expect(model.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
      expect(new Set(model.panels.map((p: any) => p.id)).size).toBe(model.panels.length);
      // No two panels overlap on the 24-column grid.
      const cells = new Set<string>();
      for (const panel of model.panels) {
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
        for (let x = panel.gridPos.x; x < panel.gridPos.x + panel.gridPos.w; x++) {
          for (let y = panel.gridPos.y; y < panel.gridPos.y + panel.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`)).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
        queries.push(...panel.targets.map((t: any) => t.expr));
      }
    }
    expect(queries.length).toBeGreaterThan(15);
    // promtool parses and type-checks each query as a recording rule.
    const result = promtoolCheckRules([{ name: 'dashboard-queries', rules: queries.map((expr, i) => ({ record: `dashboard:query:${i}`, expr })) }]);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
    expect(result.ok).toBe(true);
  });

  test('a team adds its own dashboard and panels; a malformed query fails with the panel and the query', () => {
    const { chart, monitoring } = platform();
    const dashboard = monitoring.addDashboard('team-a', { title: 'Team A' });
    dashboard.addPanel({ title: 'Rows written', queries: [{ expr: 'sum(rate(metrics_executor_totalShuffleWrite_bytes_total{namespace="team-a"}[5m]))' }] });
    const docs = synthValid(chart);
    const model = JSON.parse(findObject(docs, 'ConfigMap', 'dashboard-team-a').data['team-a.json']);
    expect(model.panels.map((p: any) => p.title)).toEqual(['Rows written']);
    expect(() => dashboard.addPanel({ title: 'Broken', queries: [{ expr: 'sum(rate(x[5m])' }] }))
      .toThrow('test/monitoring/Dashboard-team-a panel "Broken": invalid prop "queries[0].expr" "sum(rate(x[5m])": is not valid PromQL');
    expect(() => monitoring.addDashboard('Team_B', { title: 'B' })).toThrow('invalid prop "uid" "Team_B"');
  });

  test('dashboards are deterministic', () => {
    const render = () => JSON.stringify(dashboardsOf(Testing.synth(platform().chart)));
    expect(render()).toBe(render());
  });
});

describe('user alerts: bad input fails with the path, the prop, the value and what is allowed', () => {
  const valid = { name: 'TeamAJobSlow', expr: 'spark_pipeline_last_run_duration_seconds{namespace="team-a"} > 7200', severity: AlertSeverity.WARNING, summary: 's', description: 'd' };

  test('a team adds an alert to its own group; promtool accepts it', () => {
    const { monitoring } = platform();
    monitoring.addAlert(new AlertRule({ ...valid, for: Duration.minutes(5), labels: { team: 'team-a' } }), 'team-a');
    const group = monitoring.ruleGroups.find(g => g.name === 'team-a')!;
    expect(group.rules).toEqual([{ alert: 'TeamAJobSlow', expr: valid.expr, for: '5m', labels: { team: 'team-a', severity: 'warning' }, annotations: { summary: 's', description: 'd' } }]);
    expect(promtoolCheckRules(monitoring.ruleGroups).ok).toBe(true);
    expect(() => monitoring.addAlert(new AlertRule(valid), 'spark-pipelines')).toThrow('invalid prop "group" "spark-pipelines": is one of the library\'s groups');
  });

  test.each([
    [{ expr: 'sum(rate(x[5m])' }, 'AlertRule "TeamAJobSlow": invalid prop "expr" "sum(rate(x[5m])": is not valid PromQL: unexpected input at offset 15'],
    [{ expr: '' }, 'invalid prop "expr" "": must not be empty'],
    [{ severity: 'page' }, 'AlertRule "TeamAJobSlow": invalid prop "severity" "page": allowed: critical, warning, info'],
    [{ for: '15 minutes' }, 'AlertRule "TeamAJobSlow": invalid prop "for" "15 minutes": must be a cdk8s Duration, e.g. Duration.minutes(5)'],
    [{ name: '1stAlert' }, 'AlertRule "1stAlert": invalid prop "name" "1stAlert": must be letters, digits and "_"'],
    [{ summary: '' }, 'invalid prop "summary" "": is required'],
    [{ labels: { severity: 'x' } }, 'invalid prop "labels" "severity"'],
    [{ runbookUrl: 'docs/runbook' }, 'invalid prop "runbookUrl" "docs/runbook": must be an http(s) URL'],
  ])('%j', (override, message) => {
    expect(() => new AlertRule({ ...valid, ...override } as any)).toThrow(message);
  });
});

describe('cost allocation', () => {
  // EKS split cost allocation and Kubecost read pod labels: every driver, executor and pipeline pod carries
  // its namespace's team and cost centre.
  test('every driver, executor and pipeline pod of the example carries its team and cost-center labels', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp, teams } = require('../examples/main');
    const docs = (createApp() as any).charts.flatMap((c: any) => c.toJson());
    const byNamespace = new Map<string, SparkTeam>(teams.map((t: SparkTeam) => [t.namespace, t]));
    const expectLabels = (where: string, namespace: string, labels: { [key: string]: string } | undefined) => {
      const team = byNamespace.get(namespace)!;
      expect({ where, labels: { team: labels?.['spark-platform.io/team'], costCenter: labels?.['spark-platform.io/cost-center'] } })
        .toEqual({ where, labels: { team: team.name, costCenter: team.labels['spark-platform.io/cost-center'] } });
    };
    let pods = 0;
    for (const doc of docs) {
      const ns = doc.metadata?.namespace;
      const specs = doc.kind === 'SparkApplication' ? [doc.spec] : doc.kind === 'ScheduledSparkApplication' ? [doc.spec.template] : [];
      for (const spec of specs) {
        expectLabels(`${doc.kind} ${doc.metadata.name} driver`, ns, spec.driver.labels);
        expectLabels(`${doc.kind} ${doc.metadata.name} executor`, ns, spec.executor.labels);
        pods += 2;
      }
      if (doc.kind === 'WorkflowTemplate') {
        expectLabels(`${doc.metadata.name} pipeline pods`, ns, doc.spec.podMetadata.labels);
        pods++;
        // Each step's SparkApplication (the manifest the step creates).
        for (const t of doc.spec.templates.filter((x: any) => x.resource)) {
          const manifest = YAML.parse(t.resource.manifest);
          expectLabels(`${doc.metadata.name}/${t.name} driver`, ns, manifest.spec.driver.labels);
          expectLabels(`${doc.metadata.name}/${t.name} executor`, ns, manifest.spec.executor.labels);
          pods += 2;
        }
      }
    }
    expect(pods).toBeGreaterThan(10);
  });
});
