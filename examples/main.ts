// The platform of a data company moving its Spark jobs from EMR to EKS: what `npm run synth` renders into dist/.
// The pools and teams are defined once, in examples/platform-objects.ts; examples/aws.ts builds the node groups and
// IAM roles from the same objects.
import { writeFileSync } from 'fs';
import { App, ChartProps, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  AlertRule, AlertSeverity, ConcurrencyPolicy, NetworkPeer, PlatformBindings, SparkApplicationOptions, SparkJobType, SparkMemory, SparkPlatform,
} from '../lib';
import { analytics, dataEngineering, exampleBindings, mlPlatform, pools } from './platform-objects';

// The shared objects, for readers of this file and the tests.
export * from './platform-objects';

const registry = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-jobs';
/** A job of the company's (image `<name>:<tag>` in its registry). */
const scala = (name: string, tag: string, mainClass: string, extra: Partial<SparkApplicationOptions> = {}): SparkApplicationOptions => ({
  type: SparkJobType.SCALA, image: `${registry}/${name}:${tag}`, mainApplicationFile: `local:///opt/spark/jars/${name}-assembly.jar`, mainClass, sparkVersion: '3.5.5', ...extra,
});
const python = (name: string, tag: string, file: string, extra: Partial<SparkApplicationOptions> = {}): SparkApplicationOptions => ({
  type: SparkJobType.PYTHON, image: `${registry}/${name}:${tag}`, mainApplicationFile: `local:///opt/app/${file}`, sparkVersion: '4.0.1', ...extra,
});

/** Properties of the example platform. */
export interface ExamplePlatformProps extends ChartProps {
  /** What the AWS side made: plain strings here, CDK tokens in examples/same-app.ts. @default exampleBindings */
  readonly bindings?: PlatformBindings;
  /** Deliver with Argo CD (dist/gitops.k8s.yaml). @default true */
  readonly argoCd?: boolean;
  /** Render the monitoring (it needs kube-prometheus-stack's CRDs on the cluster). @default true */
  readonly monitoring?: boolean;
  /** Scale the pools with Karpenter instead of the cluster-autoscaler (examples/aws.ts takes the same switch). @default false */
  readonly karpenter?: boolean;
}

/** The example platform. */
export class ExamplePlatform extends SparkPlatform {
  public constructor(scope: Construct, id: string, props: ExamplePlatformProps = {}) {
    super(scope, id, {
      ...props,
      nodePools: pools,
      bindings: props.bindings ?? exampleBindings,
      gitOps: props.argoCd ?? true ? { repoUrl: 'https://github.com/acme/spark-platform-infra.git' } : undefined,
      monitoring: props.monitoring,
      // One switch: Karpenter launches the pools' nodes (minSize nodes stay node groups), on a pinned AMI release.
      karpenter: props.karpenter ? { amiVersion: 'v20260714' } : undefined,
      logging: { output: { host: 'logs.acme.internal', user: 'spark-platform', password: { secretName: 'elasticsearch-credentials', key: 'password' } } },
      network: { argoServerClients: [NetworkPeer.pods('ci', { 'app.kubernetes.io/name': 'ci-runner' }, 'CI runners')] }, // the submitters' CI
    });
    const bucket = `s3a://${this.bindings.bucketName}`;
    const password = { secretName: 'elasticsearch-credentials', key: 'password' }; // a Secret each team keeps

    // data-engineering: its own log index; a nightly pipeline (was a Step Functions flow of EMR steps).
    const de = this.addTeam(dataEngineering, { logOutput: { host: 'logs.acme.internal', user: 'spark-data-engineering', password } });
    // Two executors share an 8-vCPU, 32-GiB spot node: 7630m CPU and 28957 MiB are left after kube-reserved, the
    // eviction threshold and the daemon sets (docs/capacity.md), so each asks 3500m CPU and 12g + 2g.
    de.addJob('daily-sessions', scala('sessions', '1.8.0', 'com.acme.sessions.DailySessions', {
      arguments: ['--input', `${bucket}/raw/events`, '--output', `${bucket}/curated/sessions`],
      executor: { cores: 4, coreRequest: kplus.Cpu.millis(3500), instances: 8, memory: SparkMemory.of('12g'), memoryOverhead: SparkMemory.of('2g') },
    }));
    de.addJob('events-compaction', python('compaction', '2.3.1', 'compact_events.py', { dynamicAllocation: { minExecutors: 2, maxExecutors: 30 } }));
    const nightly = this.addPipeline(de, 'daily-sessions-pipeline', { parameters: { date: 'yesterday' } });
    const args = ['--date', '{{workflow.parameters.date}}'];
    nightly.addSparkStep('ingest', scala('ingest', '4.1.0', 'com.acme.ingest.Ingest', { arguments: args }));
    nightly.addSparkStep('sessionize', scala('sessions', '1.8.0', 'com.acme.sessions.Sessionize', { arguments: args }));
    nightly.addSparkStep('publish', scala('publish', '0.4.2', 'com.acme.publish.Publish', { arguments: args }));
    nightly.addSchedule('nightly', { schedules: ['0 1 * * *'], timeZone: 'Europe/Amsterdam' }); // was a CloudWatch cron rule
    this.addSubmitter(de); // CI starts pipelines on demand (was API Gateway + Lambda + Livy)

    // analytics: a weekly DAG, a nightly scheduled job, a Spark 4 job.
    const an = this.addTeam(analytics);
    an.addJob('customer-segments', python('segments', '0.9.0', 'segments.py', { executor: { instances: 4 } }));
    an.addScheduledJob('nightly-revenue', {
      ...scala('revenue', '3.2.0', 'com.acme.revenue.NightlyRevenue'), schedule: '30 2 * * *', timeZone: 'Europe/Amsterdam', concurrencyPolicy: ConcurrencyPolicy.FORBID,
    });
    const weekly = this.addPipeline(an, 'weekly-attribution');
    const extract = (source: string) => python('extract', '1.2.0', 'extract.py', { arguments: ['--source', source, '--run', '{{workflow.name}}'] });
    const orders = weekly.addSparkStep('extract-orders', extract('orders'));
    const clicks = weekly.addSparkStep('extract-clicks', extract('clicks'));
    const join = weekly.addSparkStep('join', python('extract', '1.2.0', 'join.py'), { dependsOn: [orders, clicks] });
    weekly.addSparkStep('report', python('extract', '1.2.0', 'report.py'), { dependsOn: [join], deadline: Duration.hours(2) });
    weekly.addSchedule('weekly', { schedules: ['0 4 * * 1'], timeZone: 'Europe/Amsterdam' });
    if (this.monitoring) {
      this.addAlert(new AlertRule({
        name: 'AnalyticsAttributionSlow',
        severity: AlertSeverity.WARNING,
        labels: { team: 'analytics' },
        expr: 'spark_pipeline_last_run_duration_seconds{namespace="analytics", pipeline="weekly-attribution"} > 3 * 3600',
        summary: 'The weekly attribution took more than 3 hours',
        description: 'Its last run took {{ $value | humanizeDuration }}: the report is late.',
      }), 'analytics');
    }

    // ml-platform: an on-demand feature backfill, started by its data scientists.
    const ml = this.addTeam(mlPlatform);
    ml.addJob('model-scoring', python('scoring', '5.0.2', 'score.py', { executor: { instances: 6, memory: SparkMemory.of('8g') } }));
    const backfill = this.addPipeline(ml, 'feature-backfill', { parameters: { from: '2026-01-01', to: '2026-01-31' } });
    backfill.addSparkStep('features', python('features', '2.0.0', 'features.py', { arguments: ['{{workflow.parameters.from}}', '{{workflow.parameters.to}}'] }));
    this.addSubmitter(ml);
  }
}

/** Builds the example app without writing it (the test suite validates it), with Karpenter if asked. */
export function createApp(props: ExamplePlatformProps = {}): App {
  const app = new App();
  new ExamplePlatform(app, 'spark-platform', props);
  return app;
}

if (require.main === module) {
  const app = createApp();
  app.synth();
  // The picture of the platform, next to the manifests.
  writeFileSync(`${app.outdir}/spark-platform.mmd`, (app.charts.find(c => c instanceof SparkPlatform) as SparkPlatform).toMermaid());
}
