// The example platform: what `npm run synth` (cdk8s synth) renders into dist/.
// The node pools are defined once here; examples/aws.ts builds the EKS node groups from the same objects.
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  AlertRule, AlertSeverity, ArgoWorkflows, CapacityType, ClusterAutoscaler, ConcurrencyPolicy, EbsStorageClass, GitOps, Logging, LoggingOperator,
  NodePool, PanelKind, Placement, PlatformBindings, PlatformMonitoring, SparkApplicationOptions, SparkHistoryServer, SparkJobType, SparkMemory,
  SparkOperator, SparkTeam,
} from '../lib';

/** On-demand capacity for operators and Spark drivers: never reclaimed, so a driver never dies with its node. */
export const systemPool = new NodePool({
  name: 'system',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.xlarge', 'm5.xlarge'],
  labels: { 'spark-platform.io/role': 'system' },
  minSize: 2,
  maxSize: 6,
});

/**
 * On-demand capacity for executors when spot has none: empty (and free) until the autoscaler cannot get spot.
 */
export const onDemandExecutorPool = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'on-demand', effect: kplus.TaintEffect.NO_SCHEDULE }],
  labels: { 'spark-platform.io/role': 'spark-executor' },
  minSize: 0,
  maxSize: 20,
});

/**
 * Spot capacity for Spark executors, tainted so that only pods that asked for spot land there; executors fall
 * back to the on-demand executor pool when no spot type is available.
 */
export const spotPool = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm5d.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge', 'm7i.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: kplus.TaintEffect.NO_SCHEDULE }],
  labels: { 'spark-platform.io/role': 'spark-executor' },
  minSize: 0,
  maxSize: 50,
  fallback: onDemandExecutorPool,
});

/** Every pool of the example platform. */
export const pools = [systemPool, spotPool, onDemandExecutorPool];

/** The data engineering team: its namespace, service account, IAM role and data access, for both sides. */
export const dataEngineering = new SparkTeam({
  name: 'data-engineering',
  costCenter: 'cc-1001',
  readPrefixes: ['raw'],
  readWritePrefixes: ['curated'],
});

/** The analytics team, with a quota on what its jobs request together. */
export const analytics = new SparkTeam({
  name: 'analytics',
  costCenter: 'cc-2002',
  readPrefixes: ['curated'],
  readWritePrefixes: ['analytics'],
  quota: { cpu: kplus.Cpu.units(400), memory: Size.tebibytes(2), pods: 500 },
});

/** Every team of the example platform. */
export const teams = [dataEngineering, analytics];

/**
 * What the AWS side (examples/aws.ts) outputs after `cdk deploy` (`PlatformBindings.fromStackOutputs()` reads
 * them): the Kubernetes side takes them as plain strings, so it never needs AWS to synthesize. Role ARNs are
 * derived from the account, the cluster's name and each service account.
 */
export const exampleBindings = new PlatformBindings({
  accountId: '123456789012',
  clusterName: 'spark-platform',
  region: 'eu-west-1',
  bucketName: 'acme-spark-platform-eu-west-1',
  eventLogPrefix: 'spark-events',
});

const JOBS_REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark-jobs';

/** Properties of the example platform. */
export interface ExamplePlatformProps extends ChartProps {
  /** What the AWS side made: plain strings here, CDK tokens when the AWS side deploys the chart (examples/same-app.ts). */
  readonly bindings?: PlatformBindings;

  /**
   * Render the monitoring (it needs the cluster's Prometheus Operator: kube-prometheus-stack's CRDs).
   *
   * @default true
   */
  readonly monitoring?: boolean;
}

/** The example platform's Kubernetes side. */
export class ExamplePlatform extends Chart {
  /** The Spark Operator and the settings its jobs share. */
  public readonly spark: SparkOperator;
  /** Argo Workflows, which runs the pipelines. */
  public readonly workflows: ArgoWorkflows;
  /** The logging-operator, which runs fluentd and fluent-bit. */
  public readonly loggingOperator: LoggingOperator;
  /** The Pushgateway, monitors, alerts and dashboards (unless switched off). */
  public readonly monitoring?: PlatformMonitoring;

  public constructor(scope: Construct, id: string, props: ExamplePlatformProps = {}) {
    super(scope, id, props);
    const bindings = props.bindings ?? exampleBindings;

    // A smoke test of the spot pool: a Job that runs once on a spot node and is deleted 10 minutes after it
    // ends, so the pool can scale back to zero (a long-running pod would keep a node forever).
    const smokeTest = new kplus.Job(this, 'spot-smoke-test', {
      metadata: { name: 'spot-smoke-test', namespace: 'default' },
      ttlAfterFinished: Duration.minutes(10),
      backoffLimit: 2,
      containers: [{
        name: 'app',
        image: 'public.ecr.aws/docker/library/busybox:1.37',
        command: ['sh', '-c', 'echo "running on $(hostname) in the spot pool"'],
        securityContext: { user: 65534, group: 65534 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      }],
    });
    Placement.onPool(spotPool).applyToScheduling(smokeTest.scheduling);

    // --- Cluster-autoscaler ------------------------------------------------------------------------------
    // Scales the node groups the AWS side made from the same pools; runs on the system pool; spot first.
    const autoscaler = new ClusterAutoscaler(this, 'cluster-autoscaler', { nodePools: pools, bindings });

    // Encrypted gp3 volumes from the EBS CSI driver (the AWS side installs it): fluentd's buffers.
    const volumes = new EbsStorageClass(this, 'ebs-gp3');

    // --- Spark jobs -------------------------------------------------------------------------------------
    // The operator's release (spark.jobNamespaces, placement on on-demand capacity) is derived from the
    // objects below; the job namespaces render their service accounts with the IAM roles from the bindings.
    // With the bindings, the event-log location, the region and each team's IAM role come from the AWS side.
    const spark = new SparkOperator(this, 'spark-operator', { nodePools: pools, bindings });
    this.spark = spark;

    // Each team's namespace, service account (with the role the AWS side made for the same object), driver
    // RBAC, quota and labels.
    const dataEngineeringJobs = spark.addTeam(dataEngineering);
    const analyticsJobs = spark.addTeam(analytics);

    // A Scala job (was an EMR step: spark-submit --class com.acme.sessions.DailySessions s3://.../sessions.jar).
    dataEngineeringJobs.addJob('daily-sessions', {
      type: SparkJobType.SCALA,
      image: `${JOBS_REGISTRY}/sessions:1.8.0`,
      mainApplicationFile: 'local:///opt/spark/jars/sessions-assembly.jar',
      mainClass: 'com.acme.sessions.DailySessions',
      arguments: ['--input', `s3a://${bindings.bucketName}/raw/events`, '--output', `s3a://${bindings.bucketName}/curated/sessions`],
      sparkVersion: '3.5.5',
      driver: { cores: 1, memory: SparkMemory.of('4g') },
      // Two executors of 4 cores and 12g + 2g overhead share an 8-vCPU, 32-GiB spot node: 7630m CPU and
      // 31415 MiB are left after kube-reserved, the eviction threshold and the daemon sets (docs/capacity.md),
      // so each requests 3500m CPU (4 whole CPUs would fit one per node) and 14336 MiB.
      executor: { cores: 4, coreRequest: kplus.Cpu.millis(3500), instances: 8, memory: SparkMemory.of('12g'), memoryOverhead: SparkMemory.of('2g') },
      sparkConf: { 'spark.sql.shuffle.partitions': '400' },
    });

    // A PySpark job that grows and shrinks with the load.
    dataEngineeringJobs.addJob('events-compaction', {
      type: SparkJobType.PYTHON,
      image: `${JOBS_REGISTRY}/compaction:2.3.1`,
      mainApplicationFile: 'local:///opt/app/compact_events.py',
      arguments: ['--table', 'events'],
      sparkVersion: '3.5.5',
      dynamicAllocation: { minExecutors: 2, maxExecutors: 30 },
    });

    // A Spark 4 job: the S3A credential provider follows the Spark version (AWS SDK v2).
    analyticsJobs.addJob('customer-segments', {
      type: SparkJobType.PYTHON,
      image: `${JOBS_REGISTRY}/segments:0.9.0`,
      mainApplicationFile: 'local:///opt/app/segments.py',
      sparkVersion: '4.0.1',
      executor: { instances: 4 },
    });

    // --- Pipelines ---------------------------------------------------------------------------------------
    // Argo Workflows runs pipelines of Spark jobs (was a Step Functions flow of EMR steps). Each job below is
    // defined once and rendered only inside its pipeline.
    const workflows = new ArgoWorkflows(this, 'argo-workflows', { nodePools: pools, bindings });
    this.workflows = workflows;

    // A sequential pipeline: ingest, then sessionize, then publish; the date is a parameter a run may set.
    const ingest: SparkApplicationOptions = {
      type: SparkJobType.SCALA,
      image: `${JOBS_REGISTRY}/ingest:4.1.0`,
      mainApplicationFile: 'local:///opt/spark/jars/ingest-assembly.jar',
      mainClass: 'com.acme.ingest.Ingest',
      arguments: ['--date', '{{workflow.parameters.date}}'],
      sparkVersion: '3.5.5',
      executor: { instances: 4 },
    };
    const sessionize: SparkApplicationOptions = {
      ...ingest,
      image: `${JOBS_REGISTRY}/sessions:1.8.0`,
      mainApplicationFile: 'local:///opt/spark/jars/sessions-assembly.jar',
      mainClass: 'com.acme.sessions.Sessionize',
      arguments: ['--date', '{{workflow.parameters.date}}', '--output', `s3a://${bindings.bucketName}/curated/sessions`],
    };
    const publish: SparkApplicationOptions = {
      ...ingest,
      image: `${JOBS_REGISTRY}/publish:0.4.2`,
      mainApplicationFile: 'local:///opt/spark/jars/publish-assembly.jar',
      mainClass: 'com.acme.publish.Publish',
    };
    const daily = workflows.addPipeline(dataEngineeringJobs, 'daily-sessions-pipeline', { parameters: { date: 'yesterday' } });
    daily.addSparkStep('ingest', ingest);
    daily.addSparkStep('sessionize', sessionize);
    daily.addSparkStep('publish', publish);
    // Every night at 01:00 Amsterdam time (was a CloudWatch cron rule starting the Step Functions flow).
    daily.addSchedule('nightly', { schedules: ['0 1 * * *'], timeZone: 'Europe/Amsterdam' });
    // CI starts it on demand through the Argo Server's submit API with this account's token.
    workflows.addSubmitter(dataEngineeringJobs);

    // A DAG: two extracts in parallel, a join once both are done, a report after the join.
    const extract = (name: string): SparkApplicationOptions => ({
      type: SparkJobType.PYTHON,
      image: `${JOBS_REGISTRY}/extract:1.2.0`,
      mainApplicationFile: 'local:///opt/app/extract.py',
      arguments: ['--source', name, '--run', '{{workflow.name}}'],
      sparkVersion: '4.0.1',
    });
    const weekly = workflows.addPipeline(analyticsJobs, 'weekly-attribution');
    const orders = weekly.addSparkStep('extract-orders', extract('orders'));
    const clicks = weekly.addSparkStep('extract-clicks', extract('clicks'));
    const join = weekly.addSparkStep('join', { ...extract('join'), mainApplicationFile: 'local:///opt/app/join.py' }, { dependsOn: [orders, clicks] });
    weekly.addSparkStep('report', { ...extract('report'), mainApplicationFile: 'local:///opt/app/report.py' }, {
      dependsOn: [join],
      deadline: Duration.hours(2),
    });

    // --- History ------------------------------------------------------------------------------------------
    // The Spark History Server reads the event logs every job above writes (the bindings' one location): a
    // finished job's UI outlives its pods (EMR's persistent UI went with the cluster).
    const history = new SparkHistoryServer(this, 'spark-history', { nodePools: pools, bindings });

    // --- Logging ------------------------------------------------------------------------------------------
    // fluent-bit on every node (it tolerates every pool's taints, spot included), fluentd on the system pool
    // with its buffers on EBS volumes; each team's Spark logs go to its own daily index on the company's
    // Elasticsearch, as its own user (the password is a Secret the team keeps in its namespace).
    const loggingOperator = new LoggingOperator(this, 'logging-operator', { nodePools: pools });
    this.loggingOperator = loggingOperator;
    const logging = new Logging(this, 'logging', { operator: loggingOperator, fluentd: { bufferStorageClassName: volumes.name } });
    for (const jobs of [dataEngineeringJobs, analyticsJobs]) {
      const elasticsearch = logging.addTeamOutput(jobs, 'elasticsearch', {
        host: 'logs.acme.internal',
        user: `spark-${jobs.name}`,
        password: { secretName: 'elasticsearch-credentials', key: 'password' },
      });
      logging.addTeamFlow(jobs, { outputs: [elasticsearch] }); // -> index spark-<namespace>-YYYY.MM.DD
    }
    // The platform's own components go to one platform index.
    const platformLogs = logging.addClusterOutput('platform-elasticsearch', {
      host: 'logs.acme.internal',
      user: 'spark-platform',
      password: { secretName: 'elasticsearch-credentials', key: 'password' },
    });
    logging.addPlatformFlow({
      namespaces: [spark.release.namespace, workflows.release.namespace, history.namespace, autoscaler.namespace, loggingOperator.namespace],
      outputs: [platformLogs],
    });

    // --- Observability ------------------------------------------------------------------------------------
    // For the cluster's kube-prometheus-stack: monitors for the operators, every Spark driver, the autoscaler
    // and the Pushgateway; alerts on failed jobs and pipelines, overdue schedules, unschedulable pods and
    // components down; dashboards. Every pipeline pushes its outcome to the Pushgateway when it ends.
    if (props.monitoring ?? true) this.monitoring = this.addMonitoring(spark, workflows, autoscaler, history);

    // A nightly job (was a CloudWatch cron rule starting an EMR step).
    analyticsJobs.addScheduledJob('nightly-revenue', {
      type: SparkJobType.SCALA,
      image: `${JOBS_REGISTRY}/revenue:3.2.0`,
      mainApplicationFile: 'local:///opt/spark/jars/revenue-assembly.jar',
      mainClass: 'com.acme.revenue.NightlyRevenue',
      sparkVersion: '3.5.5',
      schedule: '30 2 * * *',
      timeZone: 'Europe/Amsterdam',
      concurrencyPolicy: ConcurrencyPolicy.FORBID,
      executor: { instances: 6, memory: SparkMemory.of('8g') },
    });
  }

  private addMonitoring(spark: SparkOperator, workflows: ArgoWorkflows, autoscaler: ClusterAutoscaler,
    history: SparkHistoryServer): PlatformMonitoring {
    const monitoring = new PlatformMonitoring(this, 'monitoring', {
      nodePools: pools,
      sparkOperator: spark,
      workflows,
      clusterAutoscaler: autoscaler,
      historyServer: history,
    });
    // The analytics team's own alert and panel.
    monitoring.addAlert(new AlertRule({
      name: 'AnalyticsAttributionSlow',
      expr: 'spark_pipeline_last_run_duration_seconds{namespace="analytics", pipeline="weekly-attribution"} > 3 * 3600',
      severity: AlertSeverity.WARNING,
      summary: 'The weekly attribution took more than 3 hours',
      description: 'Its last run took {{ $value | humanizeDuration }}: the report is late for Monday\'s review.',
      labels: { team: 'analytics' },
    }), 'analytics');
    monitoring.addDashboard('analytics', {
      title: 'Analytics jobs',
      panels: [{
        title: 'Shuffle written',
        kind: PanelKind.TIME_SERIES,
        unit: 'bytes',
        queries: [{ expr: 'sum by (application_name) (rate(metrics_executor_totalShuffleWrite_bytes_total{namespace="analytics"}[5m]))', legend: '{{application_name}}' }],
      }],
    });
    return monitoring;
  }

}

/** Builds the example app without writing it (the test suite validates it). */
export function createApp(): App {
  const app = new App();
  const platform = new ExamplePlatform(app, 'spark-platform');

  // GitOps: dist/gitops.k8s.yaml holds the AppProject, the root Application (it syncs the committed dist/)
  // and one Application per operator release. Apply it once to bootstrap; Argo CD does the rest.
  const gitops = new GitOps(app, 'gitops', { repoUrl: 'https://github.com/acme/spark-platform-infra.git', path: 'dist' });
  gitops.addHelmRelease(platform.spark.release);
  gitops.addHelmRelease(platform.workflows.release);
  gitops.addHelmRelease(platform.loggingOperator.release);
  return app;
}

if (require.main === module) {
  createApp().synth();
}
