import { execFile } from 'child_process';
import { promisify } from 'util';
import { Duration, Size, Testing } from 'cdk8s';
import {
  AlertRule, AlertSeverity, ArgoWorkflows, ClusterAutoscaler, GrafanaDashboard, MonitorTarget, PipelineOutcomeMetrics, PipelineOutcomePush,
  PlatformMonitoring, PlatformMonitoringProps, PrometheusStack, Pushgateway, SparkHistoryServer, SparkOperator, SparkTeam,
} from '../lib';
import { LocalPushgateway, promtoolCheckRules, promtoolTestRules } from './fixtures/prometheus-tools';
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
const withoutAnnotations = (groups: any[]) => groups.map(g => ({ ...g, rules: g.rules.map(({ annotations, ...rule }: any) => rule) }));

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
    expect(pod.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '1024Mi' } }]);
    expect(findObject(docs, 'Service', 'pushgateway').spec.ports).toEqual([{ name: 'http', port: 9091, targetPort: 'http', protocol: 'TCP' }]);
    // Its own namespace before everything else, restricted.
    expect(findObject(docs, 'Namespace', 'spark-monitoring').metadata.labels).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });

  test('optional persistence: a claim, one pod at a time', () => {
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
    // Pushed series keep the pusher's labels (pushgateway README: honor_labels).
    expect(findObject(docs, 'ServiceMonitor', 'pushgateway').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', scheme: 'http', interval: '30s', honorLabels: true }]);
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
      endpoints: [{ port: 'metrics', path: '/metrics', scheme: 'http', interval: '30s' }],
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
    expect(result.output).toContain('SUCCESS: 10 rules found');
    expect(result.ok).toBe(true);
    const alerts = monitoring.ruleGroups.flatMap(g => g.rules);
    expect(alerts.map(a => a.alert).sort()).toEqual([
      'ArgoWorkflowsControllerDown', 'ClusterAutoscalerDown', 'ClusterAutoscalerErrors', 'PushgatewayDown', 'SparkApplicationFailed', 'SparkHistoryServerDown',
      'SparkOperatorDown', 'SparkPipelineFailed', 'SparkPipelineOverdue', 'SparkPodsUnschedulable',
    ]);
    for (const alert of alerts) {
      expect(Object.values(AlertSeverity)).toContain(alert.labels.severity);
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
      expect(alert.annotations.runbook_url).toBe(`https://github.com/cdk8s-spark-platform/cdk8s-spark-platform/blob/main/docs/observability.md#${alert.alert.toLowerCase()}`);
    }
  });
});
