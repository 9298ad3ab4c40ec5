import { ApiObject, App, Testing } from 'cdk8s';
import { k8s, TaintEffect } from 'cdk8s-plus-33';
import { CapacityType, NodePool, NodeTaints, Placement, SparkPlatform, SparkPlatformProps, SparkTeam, SyncWave, SynthWarnings } from '../lib';
import { bindings, findObject, scalaJob, spotPool, systemPool } from './fixtures/spark-platform';
import { SchemaHarness } from './validation/harness';

const synthValid = (app: App) => SchemaHarness.get().assertValidSynth(app);

const team = new SparkTeam({ name: 'team-a', costCenter: 'cc-1' });
const logging = { output: { host: 'logs.acme.internal', user: 'fluentd', password: { secretName: 'es', key: 'password' } } };

function platform(props: Partial<SparkPlatformProps> = {}) {
  const app = new App();
  const p = new SparkPlatform(app, 'spark-platform', { nodePools: [systemPool, spotPool], bindings, logging, ...props });
  const jobs = p.addTeam(team);
  jobs.addJob('etl', { ...scalaJob });
  return { app, platform: p, jobs };
}
const synthApp = (app: App) => app.charts.flatMap(c => c.toJson());

describe('SparkPlatform', () => {
  test('renders the whole platform from the pools and the bindings, every object valid', () => {
    const { app, platform: p } = platform({ gitOps: { repoUrl: 'https://github.com/acme/infra.git' } });
    const docs = synthValid(app);
    const kinds = new Set(docs.map(d => d.kind));
    for (const kind of ['Namespace', 'SparkApplication', 'Deployment', 'Logging', 'FluentbitAgent', 'Flow', 'ClusterOutput', 'PodMonitor', 'PrometheusRule',
      'StorageClass', 'PriorityClass', 'AppProject', 'Application']) {
      expect(kinds).toContain(kind);
    }
    expect(docs.filter(d => d.kind === 'Application').map(d => d.metadata.name).sort())
      .toEqual(['argo-workflows', 'logging-operator', 'spark-operator', 'spark-platform']);
    expect(app.charts.map(c => c.node.id)).toEqual(['spark-platform', 'gitops']);
    const components = [p.workflows, p.historyServer, p.clusterAutoscaler, p.logging, p.monitoring, p.gitOps, p.storageClass];
    expect(components.every(c => c !== undefined)).toBe(true);
    expect(SynthWarnings.of(app)).toEqual([]);
  });

  test('each component can be switched off', () => {
    const { app, platform: p } = platform({
      logging: undefined, clusterAutoscaler: false, pipelines: false, historyServer: false, monitoring: false, storageClass: false,
    });
    const docs = synthValid(app);
    expect([p.workflows, p.historyServer, p.clusterAutoscaler, p.logging, p.monitoring, p.storageClass].every(c => c === undefined)).toBe(true);
    expect(docs.some(d => ['Logging', 'PodMonitor', 'StorageClass'].includes(d.kind))).toBe(false);
    expect(() => p.addPipeline(p.jobNamespaces[0], 'x')).toThrow('spark-platform: invalid prop "pipelines" false: is off: addPipeline() needs Argo Workflows');
  });

  test('a team with its own log store', () => {
    const app = new App();
    const p = new SparkPlatform(app, 'spark-platform', { nodePools: [systemPool, spotPool], bindings, logging });
    p.addTeam(team, { logOutput: { host: 'team-a.logs.acme.internal', password: { secretName: 'es', key: 'password' } } });
    const docs = synthValid(app);
    expect(findObject(docs, 'Flow').spec.localOutputRefs).toEqual(['logs']);
    expect(findObject(docs, 'Output').spec.elasticsearch.host).toBe('team-a.logs.acme.internal');
  });
});

// Each platform-wide check, made to fail.
describe('SparkPlatform: checks across objects', () => {
  const spotToleration = NodeTaints.toleration(spotPool.taints[0]);

  test('a pod that selects a tainted pool without tolerating its taint', () => {
    const { app, platform: p } = platform();
    new k8s.KubeDeployment(p, 'stuck', {
      metadata: { name: 'stuck', namespace: 'team-a' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            nodeSelector: { [NodePool.POOL_LABEL]: 'spark-spot' }, containers: [{ name: 'x', image: 'x:1' }],
          },
        },
      },
    });
    expect(() => synthApp(app)).toThrow('Deployment team-a/stuck selects pool "spark-spot" but does not tolerate its taint spark-platform.io/capacity=spot:NoSchedule: it can never run there');
  });

  test('a pod that tolerates a pool it is not placed on', () => {
    const { app, platform: p } = platform();
    new k8s.KubeDeployment(p, 'leaky', {
      metadata: { name: 'leaky', namespace: 'team-a' },
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            nodeSelector: { [NodePool.POOL_LABEL]: 'system' }, tolerations: [spotToleration], containers: [{ name: 'x', image: 'x:1' }],
          },
        },
      },
    });
    expect(() => synthApp(app)).toThrow('Deployment team-a/leaky tolerates spark-platform.io/capacity=spot:NoSchedule (pool "spark-spot") but may not run on that pool');
  });

  test('one event-log location for every job and the history server', () => {
    const { app, jobs } = platform();
    jobs.addJob('elsewhere', { ...scalaJob, sparkConf: { 'spark.eventLog.dir': 's3a://other-bucket/logs' } });
    expect(() => synthApp(app)).toThrow(/elsewhere.*s3a:\/\/other-bucket\/logs/s);
  });

  test('references: a namespace nothing creates, a missing service account, role, output and pipeline', () => {
    const { app, platform: p } = platform();
    new k8s.KubeConfigMap(p, 'orphan', { metadata: { name: 'orphan', namespace: 'nowhere' } });
    new k8s.KubeRoleBinding(p, 'binding', {
      metadata: { name: 'b', namespace: 'team-a' },
      subjects: [{ kind: 'ServiceAccount', name: 'ghost', namespace: 'team-a' }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'no-such-role' },
    });
    new ApiObject(p, 'flow', {
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind: 'Flow',
      metadata: { name: 'f', namespace: 'team-a' },
      spec: { match: [{ select: { labels: { a: 'b' } } }], localOutputRefs: ['missing-output'], globalOutputRefs: ['missing-cluster-output'] },
    });
    new ApiObject(p, 'cron', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name: 'c', namespace: 'team-a' },
      spec: { schedules: ['0 1 * * *'], workflowSpec: { workflowTemplateRef: { name: 'missing-pipeline' } } },
    });
    let message = '';
    try {
      synthApp(app);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('ConfigMap nowhere/orphan is in namespace "nowhere", which nothing creates');
    expect(message).toContain('RoleBinding team-a/b binds service account "team-a/ghost", which does not exist');
    expect(message).toContain('RoleBinding team-a/b refers to Role "no-such-role", which does not exist');
    expect(message).toContain('Flow team-a/f sends to Output "missing-output", which namespace "team-a" does not have');
    expect(message).toContain('Flow team-a/f sends to ClusterOutput "missing-cluster-output", which does not exist');
    expect(message).toContain('CronWorkflow team-a/c runs pipeline (WorkflowTemplate) "missing-pipeline", which namespace "team-a" does not have');
  });

  test('a pod that runs as a service account its namespace does not have', () => {
    const { app, platform: p } = platform();
    new k8s.KubeDeployment(p, 'ghost', {
      metadata: { name: 'ghost', namespace: 'team-a' },
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { serviceAccountName: 'ghost', containers: [{ name: 'x', image: 'x:1' }] } } },
    });
    expect(() => synthApp(app)).toThrow('Deployment team-a/ghost runs as service account "ghost", which namespace "team-a" does not have');
  });

  test('two objects of one apiVersion, kind, namespace and name', () => {
    const { app, platform: p } = platform();
    new k8s.KubeConfigMap(p, 'one', { metadata: { name: 'same', namespace: 'team-a' } });
    new k8s.KubeConfigMap(p, 'two', { metadata: { name: 'same', namespace: 'team-a' } });
    expect(() => synthApp(app)).toThrow('ConfigMap team-a/same is rendered twice (spark-platform/one and spark-platform/two)');
  });

  test('sync waves: a custom resource before its operator, an object before its namespace', () => {
    const { app, platform: p } = platform({ gitOps: { repoUrl: 'https://github.com/acme/infra.git' } });
    const early = new ApiObject(p, 'early', { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'ScheduledSparkApplication', metadata: { name: 'early', namespace: 'team-a' } });
    SyncWave.set(early, SyncWave.NAMESPACES);
    let message = '';
    try {
      synthApp(app);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('ScheduledSparkApplication team-a/early is in sync wave -15, not after its Namespace (wave -15)');
    expect(message).toContain('ScheduledSparkApplication team-a/early is in sync wave -15, not after the operator "spark-operator" that owns its CRD (wave -10)');
  });

  test('a team whose service account does not carry the role the AWS side made for it', () => {
    const { app, platform: p } = platform();
    const account = p.jobNamespaces[0].node.findChild('ServiceAccount') as ApiObject;
    account.metadata.addAnnotation('eks.amazonaws.com/role-arn', 'arn:aws:iam::123456789012:role/someone-else');
    expect(() => synthApp(app)).toThrow('the service account of team "team-a" carries role "arn:aws:iam::123456789012:role/someone-else", '
      + 'not arn:aws:iam::123456789012:role/spark-platform-eu-west-1-team-a-spark');
  });

  test('a pool nothing is placed on is a warning', () => {
    const idle = new NodePool({ name: 'idle', capacityType: CapacityType.SPOT, instanceTypes: ['r5.2xlarge'], taints: [{ key: 'idle', effect: TaintEffect.NO_SCHEDULE }] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // Executors placed on one of the two spot pools: the other runs nothing.
      const { app } = platform({ nodePools: [systemPool, spotPool, idle], executorPlacement: Placement.onPool(spotPool) });
      synthValid(app);
      expect(SynthWarnings.of(app)).toEqual(['spark-platform: pool "idle" runs nothing of the platform (no placement selects it): remove it, or place work on it']);
    } finally {
      stderr.mockRestore();
    }
  });

  test('a pool that only pipeline steps use is used: the steps\' SparkApplications count', () => {
    const stepsOnly = new NodePool({ name: 'steps-spot', capacityType: CapacityType.SPOT, instanceTypes: ['m5.2xlarge'], taints: [{ key: 'steps', effect: TaintEffect.NO_SCHEDULE }] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { app, platform: p, jobs } = platform({ nodePools: [systemPool, spotPool, stepsOnly], executorPlacement: Placement.onPool(spotPool) });
      p.addPipeline(jobs, 'nightly').addSparkStep('etl', { ...scalaJob, executor: { placement: Placement.onPool(stepsOnly) } });
      synthValid(app);
      expect(SynthWarnings.of(app)).toEqual([]);
    } finally {
      stderr.mockRestore();
    }
  });
});

describe('SparkPlatform: the picture', () => {
  test('a Mermaid flowchart of pools, components, teams, jobs and pipelines with their steps', () => {
    const { platform: p, jobs } = platform();
    const pipeline = p.addPipeline(jobs, 'daily');
    const a = pipeline.addSparkStep('extract', { ...scalaJob });
    pipeline.addSparkStep('load', { ...scalaJob }, { dependsOn: [a] });
    pipeline.addSchedule('nightly', { schedules: ['0 1 * * *'] });
    const diagram = p.toMermaid();
    expect(diagram.split('\n')[0]).toBe('flowchart LR');
    expect(diagram).toContain('pool_spark_spot["spark-spot: spot, m5.2xlarge m5a.2xlarge m6i.2xlarge, tainted spark-platform.io/capacity=spot"]');
    expect(diagram).toContain('subgraph team_team_a["team team-a (namespace team-a)"]');
    expect(diagram).toContain('job_team_a_etl["job etl"]');
    expect(diagram).toContain('subgraph pipeline_team_a_daily["pipeline daily (scheduled: daily-nightly)"]');
    expect(diagram).toContain('pipeline_team_a_daily_extract --> pipeline_team_a_daily_load');
    expect(diagram).toContain('cluster_autoscaler -- scales --> pools');
    expect(p.toMermaid()).toBe(diagram);
  });
});

describe('Testing.chart users', () => {
  test('works in a plain chart too', () => {
    expect(() => new SparkPlatform(Testing.app(), 'p', { nodePools: [systemPool, spotPool], bindings })).not.toThrow();
  });
});
