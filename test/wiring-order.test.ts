// Bad input by class, class 5 (wiring after construction): what a platform derives (NetworkPolicies, RBAC,
// monitors, alerts, flows, the operator's watched namespaces, capacity checks) is derived at synth, from
// everything added by then. So the same platform built with its add*() calls in another order, each part added
// after the parts that would derive from it, renders the same objects.
import { App, Duration, Size } from 'cdk8s';
import { AlertRule, AlertSeverity, JobNamespace, NetworkPeer, SparkPipeline, SparkPlatform, SparkTeam } from '../lib';
import { bindings, scalaJob, spotPool, systemPool } from './fixtures/spark-platform';

type Step = (p: SparkPlatform, parts: Parts) => void;
interface Parts {
  team?: JobNamespace;
  pipeline?: SparkPipeline;
}

const password = { secretName: 'es', key: 'password' };
const STEPS: { [name: string]: Step } = {
  team: (p, parts) => { parts.team = p.addTeam(new SparkTeam({ name: 'team-a', readPrefixes: ['raw'] }), { logOutput: { host: 'logs.acme.internal', password } }); },
  job: (_p, parts) => { parts.team!.addJob('etl', { ...scalaJob }); },
  scheduled: (_p, parts) => { parts.team!.addScheduledJob('nightly-etl', { ...scalaJob, schedule: '0 2 * * *' }); },
  pipeline: (p, parts) => { parts.pipeline = p.addPipeline(parts.team!, 'nightly', { deadline: Duration.hours(6) }); },
  steps: (_p, parts) => {
    const load = parts.pipeline!.addSparkStep('load', { ...scalaJob, mainClass: 'com.acme.Load' });
    parts.pipeline!.addSparkStep('publish', { ...scalaJob, mainClass: 'com.acme.Publish' }, { dependsOn: [load] });
  },
  schedule: (_p, parts) => { parts.pipeline!.addSchedule('nightly', { schedules: ['0 1 * * *'] }); },
  submitter: (p, parts) => { p.addSubmitter(parts.team!); },
  alert: p => {
    p.addAlert(new AlertRule({
      name: 'TeamAPipelineSlow',
      severity: AlertSeverity.WARNING,
      labels: { team: 'team-a' },
      expr: 'spark_pipeline_last_run_duration_seconds{namespace="team-a", pipeline="nightly"} > 3600',
      summary: 's',
      description: 'd',
    }), 'team-a');
  },
  extraFlow: (p, parts) => { p.addTeamFlow(parts.team!, { name: 'to-platform-too', outputs: [p.platformLogOutput!] }); },
};

function render(order: string[]): any[] {
  const app = new App({ outdir: 'cdk8s.out' });
  const platform = new SparkPlatform(app, 'platform', {
    nodePools: [systemPool, spotPool],
    bindings,
    logging: { output: { host: 'logs.acme.internal', password } },
    network: { argoServerClients: [NetworkPeer.pods('ci', { app: 'runner' }, 'CI runners')] },
  });
  const parts: Parts = {};
  for (const name of order) STEPS[name](platform, parts);
  return app.charts.flatMap(chart => chart.toJson());
}

const byIdentity = (docs: any[]) => Object.fromEntries(docs.map(d => [`${d.kind}/${d.metadata?.namespace ?? ''}/${d.metadata?.name}`, d]));

test('derived objects are the same whether the parts they derive from come before or after', () => {
  const usual = render(['team', 'job', 'scheduled', 'pipeline', 'steps', 'schedule', 'submitter', 'alert', 'extraFlow']);
  const late = render(['team', 'alert', 'extraFlow', 'submitter', 'pipeline', 'schedule', 'steps', 'scheduled', 'job']);
  const [a, b] = [byIdentity(usual), byIdentity(late)];
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  const differing = Object.keys(a).filter(k => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  expect(differing).toEqual([]);
});

test('a platform of many teams fails naming the buffer volume to raise, and synthesizes once it is raised', () => {
  const build = (fluentd?: { bufferVolumeSize: Size }) => {
    const app = new App({ outdir: 'cdk8s.out' });
    const platform = new SparkPlatform(app, 'platform', { nodePools: [systemPool, spotPool], bindings, logging: { output: { host: 'logs.acme.internal', password }, fluentd } });
    for (let t = 1; t <= 12; t++) platform.addTeam(new SparkTeam({ name: `team-${t}` }));
    return () => app.charts.forEach(chart => chart.toJson());
  };
  expect(build()).toThrow(/the outputs may buffer 26 GiB together .* raise fluentd.bufferVolumeSize/);
  expect(build({ bufferVolumeSize: Size.gibibytes(40) })).not.toThrow();
});
