// The example platform (examples/main.ts) scaled to N jobs: teams of 10 jobs each (three jobs, a scheduled job, a
// sequential pipeline of three steps and a DAG of three steps, both scheduled), a log flow and an alert per team,
// on the example's pools, with logging, monitoring, network policies and Argo CD delivery. Built from the compiled
// package (build/), as users load it.
'use strict';
const { App, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-33');
const lib = require('../build');

const spotTaint = { key: 'spark-platform.io/capacity', value: 'spot', effect: kplus.TaintEffect.NO_SCHEDULE };
const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-jobs';

function pools() {
  const system = new lib.NodePool({ name: 'system', capacityType: lib.CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 2, maxSize: 6 });
  const onDemand = new lib.NodePool({
    name: 'spark-on-demand', capacityType: lib.CapacityType.ON_DEMAND, instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'], maxSize: 20,
    taints: [{ ...spotTaint, value: 'on-demand' }],
  });
  const spot = new lib.NodePool({
    name: 'spark-spot', capacityType: lib.CapacityType.SPOT, maxSize: 50, taints: [spotTaint], fallback: onDemand,
    instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm5d.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge', 'm7i.2xlarge'],
  });
  return [system, spot, onDemand];
}

const scala = (name, mainClass, extra = {}) => ({
  type: lib.SparkJobType.SCALA, image: `${registry}/${name}:1.8.0`, mainApplicationFile: `local:///opt/spark/jars/${name}-assembly.jar`,
  mainClass, sparkVersion: '3.5.5', ...extra,
});
const python = (name, file, extra = {}) => ({
  type: lib.SparkJobType.PYTHON, image: `${registry}/${name}:2.0.1`, mainApplicationFile: `local:///opt/app/${file}`, sparkVersion: '4.0.1', ...extra,
});

/** The number of teams for N jobs (10 per team). */
function teamsFor(jobs) {
  if (!Number.isInteger(jobs) || jobs < 10 || jobs % 10 !== 0) throw new Error(`jobs must be a positive multiple of 10, got ${jobs}`);
  return jobs / 10;
}

/** A cdk8s App holding the scaled platform (its charts: spark-platform and gitops). */
function build(jobs) {
  const app = new App();
  const platform = new lib.SparkPlatform(app, 'spark-platform', {
    nodePools: pools(),
    bindings: new lib.PlatformBindings({
      accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark-platform-eu-west-1', eventLogPrefix: 'spark-events',
    }),
    gitOps: { repoUrl: 'https://github.com/acme/spark-platform-infra.git' },
    logging: {
      output: { host: 'logs.acme.internal', user: 'spark-platform', password: { secretName: 'elasticsearch-credentials', key: 'password' } },
      // One 2 GiB buffer per flow to the platform output: a team flow each, and the platform's own.
      fluentd: { bufferVolumeSize: Size.gibibytes(Math.max(20, 2 * (teamsFor(jobs) + 2))) },
    },
  });
  for (let t = 1; t <= teamsFor(jobs); t++) {
    const name = `team-${String(t).padStart(5, '0')}`;
    const team = new lib.SparkTeam({ name, costCenter: `cc-${t}`, readPrefixes: ['raw'], readWritePrefixes: [name] });
    const ns = platform.addTeam(team);
    const bucket = `s3a://acme-spark-platform-eu-west-1/${name}`;
    ns.addJob('sessions', scala('sessions', 'com.acme.Sessions', { arguments: ['--output', `${bucket}/sessions`], executor: { instances: 8 } }));
    ns.addJob('compaction', python('compaction', 'compact.py', { dynamicAllocation: { minExecutors: 2, maxExecutors: 30 } }));
    ns.addJob('segments', python('segments', 'segments.py', { executor: { instances: 4 } }));
    ns.addScheduledJob('revenue', { ...scala('revenue', 'com.acme.Revenue'), schedule: '30 2 * * *', timeZone: 'Europe/Amsterdam' });
    const nightly = platform.addPipeline(ns, 'nightly', { parameters: { date: 'yesterday' } });
    const args = ['--date', '{{workflow.parameters.date}}'];
    for (const step of ['ingest', 'sessionize', 'publish']) nightly.addSparkStep(step, scala(step, `com.acme.${step}`, { arguments: args }));
    nightly.addSchedule('nightly', { schedules: ['0 1 * * *'], timeZone: 'Europe/Amsterdam' });
    const weekly = platform.addPipeline(ns, 'weekly');
    const orders = weekly.addSparkStep('extract-orders', python('extract', 'extract.py', { arguments: ['--source', 'orders'] }));
    const clicks = weekly.addSparkStep('extract-clicks', python('extract', 'extract.py', { arguments: ['--source', 'clicks'] }));
    weekly.addSparkStep('join', python('extract', 'join.py'), { dependsOn: [orders, clicks] });
    weekly.addSchedule('weekly', { schedules: ['0 4 * * 1'], timeZone: 'Europe/Amsterdam' });
    platform.addAlert(new lib.AlertRule({
      name: 'WeeklyPipelineSlow', severity: lib.AlertSeverity.WARNING, labels: { team: name },
      expr: `spark_pipeline_last_run_duration_seconds{namespace="${name}", pipeline="weekly"} > 3 * 3600`,
      summary: 'The weekly pipeline took more than 3 hours', description: 'Its last run took {{ $value | humanizeDuration }}.',
    }), name);
  }
  return app;
}

module.exports = { build, teamsFor };
