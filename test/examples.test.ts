import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { NodeCapacity, NodeTaints, SynthWarnings } from '../lib';
import { promtoolCheckRules } from './fixtures/prometheus-tools';
import { SchemaHarness } from './validation/harness';
import { AppFacts } from '../lib/facts';

// Every example is a program users copy: each exports createApp(); the suite builds every one of them, and
// everything a cdk8s example renders must pass the schema harness.
const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
// Every example app (a module of shared objects such as platform-objects.ts builds no app).
const examples = fs.readdirSync(EXAMPLES_DIR).filter(f => f.endsWith('.ts') && /export function createApp/.test(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf-8'))).sort();

describe('examples', () => {
  test('cdk8s.yaml renders examples/main.ts', () => {
    expect(examples).toContain('main.ts');
    expect(fs.readFileSync(path.join(__dirname, '..', 'cdk8s.yaml'), 'utf-8')).toMatch(/^app: .*examples\/main\.ts$/m);
  });

  test.each(examples)('%s builds, and every object it renders passes the schema harness', (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const example = require(path.join(EXAMPLES_DIR, file));
    expect(typeof example.createApp).toBe('function');
    const app = example.createApp();
    if (app instanceof App) {
      expect(SchemaHarness.get().assertValidSynth(app).length).toBeGreaterThan(0);
    } else {
      // An AWS CDK app: its own tests hold the strict checks; here it must synthesize at all.
      expect(app.synth().stacks.length).toBeGreaterThan(0);
    }
  });

  test('rendering is deterministic: two syntheses give the same documents', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const render = () => JSON.stringify((createApp() as App).charts.map(c => c.toJson()));
    expect(render()).toBe(render());
  });

  test('nothing of main.ts runs forever on spot: the spot pool can scale to zero when no job runs', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const app: App = createApp();
    const forever = app.charts.flatMap(c => c.toJson()).filter((d: any) => ['Deployment', 'StatefulSet'].includes(d.kind)
      && JSON.stringify(d.spec.template.spec.tolerations ?? []).includes('"spot"'));
    expect(forever.map((d: any) => d.metadata.name)).toEqual([]);
  });
});

describe('examples/main.ts: the cluster-autoscaler', () => {
  test('scales the example pools, spot first, then its on-demand fallback, and runs on the system pool', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp, spotPool, systemPool, onDemandExecutorPool } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const docs = (createApp() as App).charts.flatMap(c => c.toJson());
    const priorities = docs.find((d: any) => d.kind === 'ConfigMap' && d.metadata.name === 'cluster-autoscaler-priority-expander').data.priorities;
    expect(priorities).toBe(`50:\n  - ${spotPool.autoScalingGroupNamePattern}\n30:\n  - ${onDemandExecutorPool.autoScalingGroupNamePattern}\n`
      + `10:\n  - ${systemPool.autoScalingGroupNamePattern}\n`);
    // Executors may fall back to it, preferring spot; drivers stay on the system pool.
    const job = docs.find((d: any) => d.kind === 'SparkApplication' && d.metadata.name === 'daily-sessions');
    expect(job.spec.executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values)
      .toEqual([spotPool.name, onDemandExecutorPool.name]);
    const preferred = job.spec.executor.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(preferred[0].preference.matchExpressions[0].values).toEqual([spotPool.name]);
    expect(job.spec.driver.nodeSelector).toEqual({ 'spark-platform.io/node-pool': systemPool.name });
    expect([job.spec.driver.priorityClassName, job.spec.executor.priorityClassName]).toEqual(['spark-driver', 'spark-executor']);
    const deployment = docs.find((d: any) => d.kind === 'Deployment' && d.metadata.name === 'cluster-autoscaler');
    expect(deployment.spec.template.spec.nodeSelector).toEqual({ 'spark-platform.io/node-pool': systemPool.name });
  });
});

describe('examples/main.ts: pipelines', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const docs = () => (require(path.join(EXAMPLES_DIR, 'main.ts')).createApp() as App).charts.flatMap(c => c.toJson());

  test('a sequential pipeline with a schedule and a DAG pipeline; their jobs render only inside them', () => {
    const all = docs();
    const templates = all.filter((d: any) => d.kind === 'WorkflowTemplate');
    expect(templates.map((t: any) => `${t.metadata.namespace}/${t.metadata.name}`))
      .toEqual(['data-engineering/daily-sessions-pipeline', 'analytics/weekly-attribution', 'ml-platform/feature-backfill']);
    expect(templates[0].spec.templates[0].steps).toHaveLength(3);
    expect(templates[1].spec.templates[0].dag.tasks.find((t: any) => t.name === 'join').dependencies).toEqual(['extract-orders', 'extract-clicks']);
    expect(all.filter((d: any) => d.kind === 'CronWorkflow').map((d: any) => d.spec.workflowSpec.workflowTemplateRef.name))
      .toEqual(['daily-sessions-pipeline', 'weekly-attribution']);
    const standalone = all.filter((d: any) => d.kind === 'SparkApplication').map((d: any) => d.metadata.name);
    expect(standalone).not.toContain('ingest');
    // Every step's SparkApplication, as a run creates it, passes the pinned CRD.
    for (const template of templates) {
      for (const step of template.spec.templates.filter((t: any) => t.resource)) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const app = require('yaml').parse(step.resource.manifest.replace(/\{\{[^}]+\}\}/g, 'x'));
        app.metadata.name = `${app.metadata.generateName}abcde`;
        delete app.metadata.generateName;
        SchemaHarness.get().assertValid([app]);
      }
    }
  });
});

describe('examples/main.ts: logging', () => {
  test('every team flows its Spark logs to Elasticsearch; fluent-bit tolerates the spot pool; no warnings', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp, pools, teams } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const app: App = createApp();
    const docs = SchemaHarness.get().assertValidSynth(app);
    // data-engineering has its own index; the other teams send to the platform's log store.
    for (const team of teams) {
      const flow = docs.find((d: any) => d.kind === 'Flow' && d.metadata.namespace === team.namespace);
      if (team.name === 'data-engineering') {
        expect(flow.spec.localOutputRefs).toEqual(['logs']);
        const output = docs.find((d: any) => d.kind === 'Output' && d.metadata.namespace === team.namespace);
        expect(output.spec.elasticsearch).toMatchObject({ scheme: 'https', ssl_verify: true, logstash_prefix: `spark-${team.namespace}` });
      } else {
        expect(flow.spec.globalOutputRefs).toEqual(['platform-logs']);
      }
    }
    const agent = docs.find((d: any) => d.kind === 'FluentbitAgent');
    expect(agent.spec.tolerations).toEqual(pools.flatMap((p: any) => p.taints).map(NodeTaints.toleration));
    // fluentd's buffer claims name a StorageClass the example renders.
    const logging = docs.find((d: any) => d.kind === 'Logging');
    const storageClass = logging.spec.fluentd.bufferStorageVolume.pvc.spec.storageClassName;
    expect(docs.find((d: any) => d.kind === 'StorageClass' && d.metadata.name === storageClass)).toBeDefined();
    expect(app.charts.flatMap(c => SynthWarnings.of(c))).toEqual([]);
  });
});

describe('examples/main.ts: observability', () => {
  test('its rules (the team\'s alert included) pass promtool; every pipeline pushes its outcome; every team\'s drivers are scraped', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { ExamplePlatform, teams } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const app = new App();
    const platform = new ExamplePlatform(app, 'spark-platform');
    const result = promtoolCheckRules(platform.monitoring.ruleGroups);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
    expect(platform.monitoring.ruleGroups.map((g: any) => g.name)).toContain('analytics');
    const docs = SchemaHarness.get().assertValidSynth(app);
    const templates = docs.filter((d: any) => d.kind === 'WorkflowTemplate');
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expect(template.spec.templates.map((t: any) => t.name)).toContain('push-outcome');
    const drivers = docs.find((d: any) => d.kind === 'PodMonitor' && d.metadata.name === 'spark-drivers');
    expect(drivers.spec.namespaceSelector.matchNames).toEqual(teams.map((t: any) => t.namespace).sort());
  });
});

describe('examples/main.ts: capacity', () => {
  // The sizing comment of daily-sessions, computed from what the example renders.
  test('two daily-sessions executors share a node of the spot pool; with 4 whole CPUs only one would fit', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp, spotPool } = require(path.join(EXAMPLES_DIR, 'main.ts'));
    const app: App = createApp();
    const job = app.charts.flatMap(c => c.toJson()).find((d: any) => d.kind === 'SparkApplication' && d.metadata.name === 'daily-sessions');
    const executor = job.spec.executor;
    const mib = (v: string) => Number(/^([0-9]+)([mg])$/.exec(v)![1]) * (v.endsWith('g') ? 1024 : 1);
    const request = { cpuMillis: Number(executor.coreRequest.replace('m', '')), memoryMiB: mib(executor.memory) + mib(executor.memoryOverhead) };
    expect(request).toEqual({ cpuMillis: 3500, memoryMiB: 14336 });
    // EKS's daemon sets and the example's own (fluent-bit, from its Logging).
    const daemonSets = AppFacts.of(app.charts[0]).daemonSetsOnEveryNode();
    expect(daemonSets.map(d => d.name)).toEqual(['aws-node', 'ebs-csi-node', 'kube-proxy', 'eks-pod-identity-agent', 'fluent-bit']);
    const node = NodeCapacity.of(spotPool.smallestInstanceType, daemonSets);
    expect(node.instanceType.name).toBe('m5.2xlarge');
    expect({ cpu: node.availableCpuMillis, memory: node.availableMemoryMiB }).toEqual({ cpu: 7630, memory: 28957 });
    expect(node.podsThatFit(request)).toBe(2);
    expect(node.podsThatFit({ ...request, cpuMillis: executor.cores * 1000 })).toBe(1);
  });
});
