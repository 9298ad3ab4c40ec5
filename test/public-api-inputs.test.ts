// Bad input by class, over the whole public API as the jsii assembly declares it: every struct a constructor or
// method takes, every prop of it (nested ones too), fed the shapes a plain JavaScript caller can pass (or
// `ts-node --transpile-only`, as the README's cdk8s.yaml runs). A prop added tomorrow is walked without a new
// test; a new class or method that takes a struct fails the coverage test until it has a baseline here.
import { App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { TaintEffect } from 'cdk8s-plus-33';
import {
  AlertRule, AlertSeverity, ApplicationSource, ArgoCdApplication, ArgoCdProject, ArgoCdRelease, ArgoWorkflows, CapacityType, ClusterAutoscaler,
  EbsStorageClass, EventLogLocation, GitOps, GrafanaDashboard, HelmRelease, HistoryStore, InstanceType, JobNamespace, Logging, LoggingOperator,
  ManifestPolicy, MetricsMonitor, MonitorTarget, NamespaceIsolation, NetworkPeer, NetworkPort, NodeCapacity, NodePool, NodeTaints,
  PipelineContainerStep, PipelineGroupCleanup, PipelineRetry, PipelineSchedule, PipelineServiceAccount, PipelineSubmitter, Placement,
  PlatformBindings,
  PlatformMonitoring, PlatformNetwork, PrometheusStack, Pushgateway, RestartPolicy, RunOnce, S3AConnector, S3Location, ScheduledSparkJob,
  ServiceAccountIdentity, SparkHistoryServer, SparkJob, SparkJobType, SparkOperator, SparkPipeline, SparkPipelineStep, SparkPlatform, SparkTeam,
} from '../lib';
import { StructProp, structEntries, structProps } from './fixtures/public-api';
import { bindings, scalaJob, spotPool, systemPool } from './fixtures/spark-platform';

const pools = [systemPool, spotPool];
const es = { host: 'logs.acme.internal' };
const teamA = () => new SparkTeam({ name: 'team-a', readPrefixes: ['raw'] });

// A chart with the objects most entries hang off; synthesized after the call, so synth-time checks run too.
function world() {
  const chart = Testing.chart();
  const operator = new SparkOperator(chart, 'spark-operator', { nodePools: pools, bindings });
  const namespace = operator.addTeam(teamA());
  const argo = new ArgoWorkflows(chart, 'argo', { nodePools: pools, bindings });
  const stack = new PrometheusStack({});
  return { chart, operator, namespace, argo, stack, synth: () => Testing.synth(chart) };
}

interface Baseline {
  /** Valid props or options for the struct parameter. */
  readonly base: { [key: string]: any };
  /** Builds everything with `value` as the struct parameter, and synthesizes where a chart is involved. */
  readonly run: (value: any) => unknown;
}

const BASELINES: { [key: string]: Baseline } = {
  'AlertRule.new#options': { base: { name: 'JobFailed', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd' }, run: v => new AlertRule(v) },
  'ApplicationSource.fromGitDirectory#options': { base: { repoUrl: 'https://github.com/acme/platform.git' }, run: v => ApplicationSource.fromGitDirectory(v) },
  'ArgoCdApplication.new#props': {
    base: { source: ApplicationSource.fromGitDirectory({ repoUrl: 'https://github.com/acme/platform.git' }) },
    run: v => { const c = Testing.chart(); new ArgoCdApplication(c, 'app', v); return Testing.synth(c); },
  },
  'ArgoCdProject.new#props': { base: {}, run: v => { const c = Testing.chart(); new ArgoCdProject(c, 'p', v); return Testing.synth(c); } },
  'ArgoCdProject.addClusterResourceKind#kind': {
    base: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    run: v => { const c = Testing.chart(); new ArgoCdProject(c, 'p', {}).addClusterResourceKind(v); return Testing.synth(c); },
  },
  'ArgoCdRelease.new#props': { base: {}, run: v => new ArgoCdRelease(v).values },
  'ArgoWorkflows.new#props': { base: { nodePools: pools, bindings }, run: v => { const c = Testing.chart(); new ArgoWorkflows(c, 'argo', v); return Testing.synth(c); } },
  'ArgoWorkflows.addPipeline#options': { base: {}, run: v => { const w = world(); w.argo.addPipeline(w.namespace, 'nightly', v).addSparkStep('etl', scalaJob); return w.synth(); } },
  'ArgoWorkflows.addSubmitter#options': { base: {}, run: v => { const w = world(); w.argo.addSubmitter(w.namespace, v); return w.synth(); } },
  'ClusterAutoscaler.new#props': { base: { nodePools: pools, bindings }, run: v => { const c = Testing.chart(); new ClusterAutoscaler(c, 'ca', v); return Testing.synth(c); } },
  'EbsStorageClass.new#props': { base: {}, run: v => { const c = Testing.chart(); new EbsStorageClass(c, 'sc', v); return Testing.synth(c); } },
  'EventLogLocation.new#props': { base: { bucketName: 'acme-bucket' }, run: v => new EventLogLocation(v).s3aUri },
  'GitOps.new#props': {
    base: { repoUrl: 'https://github.com/acme/platform.git' },
    run: v => { const app = new App(); new GitOps(app, 'gitops', v); return app.synthYaml(); },
  },
  'GitOps.addHelmRelease#options': {
    base: {},
    run: v => {
      const app = new App();
      const gitops = new GitOps(app, 'gitops', { repoUrl: 'https://github.com/acme/platform.git' });
      gitops.addHelmRelease(new LoggingOperator(Testing.chart(), 'lo', { nodePools: pools }).release, v);
      return app.synthYaml();
    },
  },
  'GrafanaDashboard.new#props': {
    base: { namespace: 'monitoring', stack: new PrometheusStack({}), title: 'Spark' },
    run: v => { const c = Testing.chart(); new GrafanaDashboard(c, 'd', v); return Testing.synth(c); },
  },
  'GrafanaDashboard.addPanel#panel': {
    base: { title: 'Failed', queries: [{ expr: 'up' }] },
    run: v => { const c = Testing.chart(); new GrafanaDashboard(c, 'd', { namespace: 'monitoring', stack: new PrometheusStack({}), title: 'Spark' }).addPanel(v); return Testing.synth(c); },
  },
  'HelmRelease.new#props': {
    base: { chartName: 'x', chartVersion: '1.2.3', namespace: 'x', releaseName: 'x', repository: 'https://charts.acme.internal' },
    run: v => new HelmRelease(v).values,
  },
  'HistoryStore.persistentVolume#options': { base: {}, run: v => HistoryStore.persistentVolume(v) },
  'InstanceType.describe#props': { base: { name: 'x9.large', vcpus: 2, memory: Size.gibibytes(8), maxPods: 29 }, run: v => InstanceType.describe(v) },
  'JobNamespace.new#props': {
    base: {},
    run: v => { const w = world(); new JobNamespace(w.chart, 'ns', { team: new SparkTeam({ name: 'team-b' }), operator: w.operator, ...v }); return w.synth(); },
  },
  'JobNamespace.addJob#options': { base: { ...scalaJob }, run: v => { const w = world(); w.namespace.addJob('etl', v); return w.synth(); } },
  'JobNamespace.addScheduledJob#options': { base: { ...scalaJob, schedule: '0 2 * * *' }, run: v => { const w = world(); w.namespace.addScheduledJob('etl', v); return w.synth(); } },
  'Logging.new#props': {
    base: {},
    run: v => { const c = Testing.chart(); new Logging(c, 'logging', { operator: new LoggingOperator(c, 'lo', { nodePools: pools }), ...v }); return Testing.synth(c); },
  },
  'Logging.addClusterOutput#options': {
    base: { ...es },
    run: v => { const l = logging(); l.logging.addTeamFlow(l.namespace, { outputs: [l.logging.addClusterOutput('es', v)] }); return l.synth(); },
  },
  'Logging.addPlatformFlow#options': {
    base: { namespaces: ['argo'] },
    run: v => { const l = logging(); l.logging.addPlatformFlow({ outputs: [l.logging.addClusterOutput('es', es)], ...v }); return l.synth(); },
  },
  'Logging.addTeamFlow#options': {
    base: {},
    run: v => { const l = logging(); l.logging.addTeamFlow(l.namespace, { outputs: [l.logging.addTeamOutput(l.namespace, 'es', es)], ...v }); return l.synth(); },
  },
  'Logging.addTeamOutput#options': {
    base: { ...es },
    run: v => { const l = logging(); l.logging.addTeamFlow(l.namespace, { outputs: [l.logging.addTeamOutput(l.namespace, 'es', v)] }); return l.synth(); },
  },
  'LoggingOperator.new#props': { base: { nodePools: pools }, run: v => { const c = Testing.chart(); new LoggingOperator(c, 'lo', v); return Testing.synth(c); } },
  'ManifestPolicy.new#props': { base: {}, run: v => new ManifestPolicy(v).check([]) },
  'MetricsMonitor.new#props': {
    base: {
      namespace: 'monitoring',
      stack: new PrometheusStack({}),
      name: 'm',
      namespaces: ['team-a'],
      selector: { app: 'x' },
      target: MonitorTarget.PODS,
      endpoints: [{ port: 'metrics' }],
    },
    run: v => { const c = Testing.chart(); new MetricsMonitor(c, 'm', v); return Testing.synth(c); },
  },
  'NamespaceIsolation.new#props': { base: { namespace: 'team-a' }, run: v => { const c = Testing.chart(); new NamespaceIsolation(c, 'iso', v); return Testing.synth(c); } },
  'NamespaceIsolation.addFlow#flow': {
    base: { name: 'to-api', from: NetworkPeer.allPods('team-a'), to: NetworkPeer.ipBlock('10.0.0.0/16'), ports: [NetworkPort.tcp(443)], reason: 'r' },
    run: v => { const c = Testing.chart(); new NamespaceIsolation(c, 'iso', { namespace: 'team-a' }).addFlow(v); return Testing.synth(c); },
  },
  'NodeCapacity.podsThatFit#request': { base: { cpuMillis: 1000, memoryMiB: 1024 }, run: v => NodeCapacity.of(InstanceType.of('m5.2xlarge')).podsThatFit(v) },
  'NodePool.new#props': {
    base: { name: 'pool', capacityType: CapacityType.SPOT, instanceTypes: ['m5.2xlarge'], taints: [{ key: 'k', effect: TaintEffect.NO_SCHEDULE }], maxSize: 3 },
    run: v => new NodePool(v),
  },
  'NodeTaints.toAutoscalerTagValue#taint': { base: { key: 'k', value: 'v', effect: TaintEffect.NO_SCHEDULE }, run: v => NodeTaints.toAutoscalerTagValue(v) },
  'NodeTaints.toleration#taint': { base: { key: 'k', value: 'v', effect: TaintEffect.NO_SCHEDULE }, run: v => NodeTaints.toleration(v) },
  'PipelineContainerStep.new#options': {
    base: { image: 'curlimages/curl:8.11.1' },
    run: v => { const w = world(); new PipelineContainerStep(w.chart, 'step', v); return w.synth(); },
  },
  'PipelineGroupCleanup.new#props': {
    base: {},
    run: v => {
      const w = world();
      const pushgateway = new Pushgateway(w.chart, 'pg', { namespace: 'monitoring', nodePools: pools, stack: w.stack });
      new PipelineGroupCleanup(w.chart, 'cleanup', { image: 'curlimages/curl:8.11.1', nodePools: pools, pushgateway, workflows: w.argo, ...v });
      return w.synth();
    },
  },
  'PipelineRetry.withBackoff#options': { base: {}, run: v => PipelineRetry.withBackoff(v) },
  'PipelineSchedule.new#props': {
    base: { schedules: ['0 2 * * *'] },
    run: v => {
      const w = world();
      const nightly = w.argo.addPipeline(w.namespace, 'nightly');
      nightly.addSparkStep('etl', scalaJob);
      new PipelineSchedule(w.chart, 'schedule', { pipeline: nightly, ...v });
      return w.synth();
    },
  },
  'PipelineServiceAccount.new#props': {
    base: {},
    run: v => { const w = world(); new PipelineServiceAccount(w.chart, 'sa', { namespace: w.namespace, workflows: w.argo, ...v }); return w.synth(); },
  },
  'PipelineSubmitter.new#props': { base: {}, run: v => { const w = world(); new PipelineSubmitter(w.chart, 'sub', { namespace: w.namespace, ...v }); return w.synth(); } },
  'Placement.onPool#options': { base: {}, run: v => Placement.onPool(spotPool, v) },
  'Placement.onPools#options': { base: {}, run: v => Placement.onPools(pools, v) },
  'PlatformBindings.new#props': {
    base: { accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-bucket' },
    run: v => new PlatformBindings(v).eventLogs.s3aUri,
  },
  'PlatformMonitoring.new#props': { base: { nodePools: pools }, run: v => { const c = Testing.chart(); new PlatformMonitoring(c, 'mon', v); return Testing.synth(c); } },
  'PlatformMonitoring.addDashboard#options': {
    base: { title: 'Mine' },
    run: v => { const c = Testing.chart(); new PlatformMonitoring(c, 'mon', { nodePools: pools }).addDashboard('mine', v); return Testing.synth(c); },
  },
  'PlatformMonitoring.addMonitor#options': {
    base: { name: 'm', namespaces: ['team-a'], selector: { app: 'x' }, target: MonitorTarget.PODS, endpoints: [{ port: 'metrics' }], targetsRenderedElsewhere: true },
    run: v => { const c = Testing.chart(); new PlatformMonitoring(c, 'mon', { nodePools: pools }).addMonitor('m', v); return Testing.synth(c); },
  },
  'PlatformNetwork.new#props': { base: {}, run: v => { const w = world(); new PlatformNetwork(w.chart, 'net', { sparkOperator: w.operator, ...v }); return w.synth(); } },
  'PlatformNetwork.addFlow#flow': {
    base: { name: 'to-db', from: NetworkPeer.allPods('team-a'), to: NetworkPeer.ipBlock('10.1.0.0/16'), ports: [NetworkPort.tcp(5432)], reason: 'r' },
    run: v => { const w = world(); new PlatformNetwork(w.chart, 'net', { sparkOperator: w.operator }).addFlow(v); return w.synth(); },
  },
  'PrometheusStack.new#props': { base: {}, run: v => new PrometheusStack(v).monitorLabels },
  'Pushgateway.new#props': {
    base: { namespace: 'monitoring', nodePools: pools, stack: new PrometheusStack({}) },
    run: v => { const c = Testing.chart(); new Pushgateway(c, 'pg', v); return Testing.synth(c); },
  },
  'RestartPolicy.always#options': { base: {}, run: v => { const w = world(); w.namespace.addJob('etl', { ...scalaJob, restartPolicy: RestartPolicy.always(v) }); return w.synth(); } },
  'RestartPolicy.onFailure#options': { base: {}, run: v => { const w = world(); w.namespace.addJob('etl', { ...scalaJob, restartPolicy: RestartPolicy.onFailure(v) }); return w.synth(); } },
  'RunOnce.mark#options': { base: {}, run: v => { const c = Testing.chart(); RunOnce.mark(new kplus.k8s.KubeConfigMap(c, 'cm', {}), v); return Testing.synth(c); } },
  'S3AConnector.fromMavenRepository#options': { base: {}, run: v => S3AConnector.fromMavenRepository(v) },
  'S3Location.new#props': { base: { bucketName: 'acme-bucket', prefix: 'raw' }, run: v => new S3Location(v).s3aUri },
  'ScheduledSparkJob.new#props': {
    base: { ...scalaJob, schedule: '0 2 * * *' },
    run: v => { const w = world(); new ScheduledSparkJob(w.chart, 'job', { namespace: w.namespace, ...v }); return w.synth(); },
  },
  'ServiceAccountIdentity.new#props': { base: { name: 'sa', namespace: 'team-a' }, run: v => bindings.roleArn(new ServiceAccountIdentity(v)) },
  'SparkHistoryServer.new#props': { base: { nodePools: pools, bindings }, run: v => { const c = Testing.chart(); new SparkHistoryServer(c, 'history', v); return Testing.synth(c); } },
  'SparkJob.new#props': { base: { ...scalaJob }, run: v => { const w = world(); new SparkJob(w.chart, 'job', { namespace: w.namespace, ...v }); return w.synth(); } },
  'SparkOperator.new#props': { base: { nodePools: pools, bindings }, run: v => { const c = Testing.chart(); new SparkOperator(c, 'op', v).addTeam(teamA()); return Testing.synth(c); } },
  'SparkPipeline.new#props': {
    base: {},
    run: v => { const w = world(); new SparkPipeline(w.chart, 'p', { namespace: w.namespace, workflows: w.argo, ...v }).addSparkStep('etl', scalaJob); return w.synth(); },
  },
  'SparkPipeline.addExitStep#options': { base: { image: 'curlimages/curl:8.11.1' }, run: v => { const p = pipeline(); p.pipeline.addExitStep('notify', v); return p.synth(); } },
  'SparkPipeline.addSchedule#options': { base: { schedules: ['0 2 * * *'] }, run: v => { const p = pipeline(); p.pipeline.addSchedule('nightly', v); return p.synth(); } },
  'SparkPipeline.addSparkStep#job': { base: { ...scalaJob }, run: v => { const p = pipeline(); p.pipeline.addSparkStep('second', v); return p.synth(); } },
  'SparkPipeline.addSparkStep#options': { base: {}, run: v => { const p = pipeline(); p.pipeline.addSparkStep('second', { ...scalaJob }, v); return p.synth(); } },
  'SparkPipelineStep.new#props': {
    base: { job: { ...scalaJob } },
    run: v => { const p = pipeline(); new SparkPipelineStep(p.pipeline, 'second', { pipeline: p.pipeline, ...v }); return p.synth(); },
  },
  'SparkPlatform.new#props': {
    base: { nodePools: pools, bindings },
    run: v => { const app = new App(); new SparkPlatform(app, 'platform', v).addTeam(teamA()); return app.synthYaml(); },
  },
  'SparkPlatform.addPipeline#options': {
    base: {},
    run: v => {
      const app = new App();
      const platform = new SparkPlatform(app, 'platform', { nodePools: pools, bindings });
      platform.addPipeline(platform.addTeam(teamA()), 'nightly', v).addSparkStep('etl', scalaJob);
      return app.synthYaml();
    },
  },
  'SparkPlatform.addTeam#options': {
    base: {},
    run: v => { const app = new App(); new SparkPlatform(app, 'platform', { nodePools: pools, bindings }).addTeam(teamA(), v); return app.synthYaml(); },
  },
  'SparkPlatform.addTeamFlow#options': {
    // addTeam already gave the team its flow "spark-jobs" to the platform's output.
    base: { name: 'to-team-store', outputs: [] },
    run: v => {
      const app = new App();
      const platform = new SparkPlatform(app, 'platform', { nodePools: pools, bindings, logging: { output: es } });
      const ns = platform.addTeam(teamA());
      platform.addTeamFlow(ns, { ...v, outputs: Array.isArray(v.outputs) && v.outputs.length === 0 ? [platform.logging!.addTeamOutput(ns, 'es', es)] : v.outputs });
      return app.synthYaml();
    },
  },
  'SparkTeam.new#props': { base: { name: 'team-a', readPrefixes: ['raw'] }, run: v => new SparkTeam(v) },
};

// Struct parameters left out, each with its reason.
const EXEMPT: { [key: string]: string } = {
  // The AWS side: constructs of aws-cdk-lib, whose props are checked by aws-cdk-lib and by test/aws/.
  'aws.ClusterEndpoint.publicAndPrivate#options': 'AWS side (test/aws)',
  'aws.DirectDelivery.new#props': 'AWS side (test/aws)',
  'aws.HelmReleaseChart.new#props': 'AWS side (test/aws)',
  'aws.ServiceAccountRole.new#props': 'AWS side (test/aws)',
  'aws.SparkEksCluster.new#props': 'AWS side (test/aws)',
  'aws.SparkPlatformBucket.new#props': 'AWS side (test/aws)',
};

function logging() {
  const w = world();
  const l = new Logging(w.chart, 'logging', { operator: new LoggingOperator(w.chart, 'lo', { nodePools: pools }) });
  return { ...w, logging: l };
}

function pipeline() {
  const w = world();
  const p = w.argo.addPipeline(w.namespace, 'nightly');
  p.addSparkStep('etl', scalaJob);
  return { ...w, pipeline: p };
}

/** `base` with the prop at `path` (dots for nested structs) set to `value`. */
function withProp(base: { [key: string]: any }, propPath: string, value: unknown): { [key: string]: any } {
  const [head, ...rest] = propPath.split('.');
  if (!rest.length) return { ...base, [head]: value };
  const inner = base[head] && typeof base[head] === 'object' && !Array.isArray(base[head]) ? base[head] : {};
  return { ...base, [head]: withProp(inner, rest.join('.'), value) };
}

// The usual error: "<where>: invalid prop ..." at construct time, or cdk8s' "Validation failed" at synth.
const USUAL = /invalid prop|Validation failed/;

function outcome(run: () => unknown): { error?: Error } {
  try {
    run();
    return {};
  } catch (e: any) {
    return { error: e };
  }
}

const entries = structEntries().filter(e => !EXEMPT[e.key]);

// Synth warnings (a namespace without a flow, a pool nothing runs on) are not what these tables look at.
beforeAll(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
afterAll(() => jest.restoreAllMocks());

test('every struct the public API takes has a baseline here (or a reason it is left out)', () => {
  expect(entries.map(e => e.key).filter(key => !BASELINES[key])).toEqual([]);
  expect(Object.keys(BASELINES).filter(key => !entries.some(e => e.key === key))).toEqual([]);
});

test.each(Object.entries(BASELINES))('%s: the baseline is valid', (_key, { base, run }) => {
  expect(outcome(() => run(base)).error).toBeUndefined();
});

// Class 6, no crash, ever: every prop replaced by each shape a plain JavaScript caller can pass.
const WRONG_SHAPES: unknown[] = [null, 'x', 42, -1, [], {}, [null], [undefined], true, [42], { x: 1 }];

const propCases = entries.flatMap(entry => structProps(entry.struct).map(prop => [`${entry.key} ${prop.path}`, entry.key, prop] as [string, string, StructProp]));

test.each(propCases)('%s: every wrong shape fails with the usual error, or is accepted; never a crash', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const crashes: string[] = [];
  for (const value of WRONG_SHAPES) {
    const { error } = outcome(() => run(withProp(base, prop.path, value)));
    if (error && (error instanceof TypeError || error instanceof RangeError || !USUAL.test(error.message))) {
      crashes.push(`${JSON.stringify(value)}: ${error.constructor.name}: ${error.message.split('\n')[0].slice(0, 160)}`);
    }
  }
  expect(crashes).toEqual([]);
});

// Errors carry one construct path, and blame the prop the user wrote (props whose parent struct the baseline has:
// a nested prop alone makes its parent incomplete, which is blamed first). A value of another primitive type than
// the prop's is never accepted: it would render where the API server or the component reads another type.
const parentInBase = ([, key, prop]: [string, string, StructProp]) => {
  const parent = prop.path.split('.').slice(0, -1);
  let at: any = BASELINES[key].base;
  for (const part of parent) at = at?.[part];
  return parent.length === 0 || (at && typeof at === 'object');
};
const OTHER_PRIMITIVE: { [type: string]: unknown } = { string: 42, number: '8', boolean: 'false' };
const primitiveCases = propCases.filter(c => OTHER_PRIMITIVE[c[2].type] !== undefined && !c[2].enumValues && parentInBase(c));

test.each(primitiveCases)('%s: a value of another type fails, naming the prop as spelled and the value', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const value = OTHER_PRIMITIVE[prop.type];
  const { error } = outcome(() => run(withProp(base, prop.path, value)));
  expect(error?.message).toContain(`invalid prop "${prop.path}" ${JSON.stringify(value)}`);
  // One construct path: the location is not repeated inside the message.
  const where = error!.message.split(': invalid prop')[0];
  expect(error!.message.split(where).length - 1).toBe(1);
});
