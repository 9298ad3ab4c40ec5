// The catalogue of bad inputs: each must fail at construct time or at synth, with a message that names the
// construct path (or the value object), the prop as the user spelled it, the bad value and what is allowed.
// It holds every input an outside audit saw accepted silently (marked "audit").
import { Duration as AwsDuration, Token } from 'aws-cdk-lib';
import { App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { TaintEffect } from 'cdk8s-plus-33';
import {
  AlertRule, AlertSeverity, ArgoCdRelease, ArgoWorkflows, CapacityType, ClusterAutoscaler, EventLogLocation, NodePool,
  Placement, PlatformBindings, S3Location, SparkHistoryServer, SparkJobType, SparkMemory, SparkPlatform, SparkTeam, aws,
} from '../lib';
import { testStack } from './aws/fixtures';
import { bindings, scalaJob, sparkFixture, spotPool, systemPool } from './fixtures/spark-platform';

interface BadInput {
  /** What is wrong. */
  readonly name: string;
  /** Builds it (and synthesizes when the check runs at synth). */
  readonly act: () => unknown;
  /** Where: the construct path or value object the message starts with. */
  readonly where: string;
  /** The prop, as the user spelled it. */
  readonly prop: string;
  /** The bad value, as the message quotes it. */
  readonly value: string;
  /** What is allowed (a phrase of the message). */
  readonly allowed: string;
}

const JOB = 'test/spark-operator/team-a/job';
const job = (extra: any, team?: SparkTeam) => () => {
  const f = sparkFixture({}, team);
  f.namespace.addJob('job', { ...scalaJob, ...extra });
  return Testing.synth(f.chart);
};
const scheduled = (extra: any) => () => {
  const f = sparkFixture();
  f.namespace.addScheduledJob('job', { ...scalaJob, schedule: '0 2 * * *', ...extra });
  return Testing.synth(f.chart);
};
const pool = (extra: any) => () => new NodePool({ name: 'pool', capacityType: CapacityType.SPOT, instanceTypes: ['m5.2xlarge'], ...extra });
const team = (extra: any) => () => new SparkTeam({ name: 'team-z', ...extra });
const teamJob = (teamProps: any, extra: any) => job(extra, new SparkTeam({ name: 'team-a', ...teamProps }));
const autoscaler = (extra: any) => () => new ClusterAutoscaler(Testing.chart(), 'autoscaler', { nodePools: [systemPool, spotPool], bindings, ...extra });
const workflows = (extra: any) => () => new ArgoWorkflows(Testing.chart(), 'argo', { nodePools: [systemPool, spotPool], bindings, ...extra });
const history = (extra: any) => () => new SparkHistoryServer(Testing.chart(), 'history', { nodePools: [systemPool, spotPool], bindings, ...extra });
const bindingsWith = (extra: any) => () => new PlatformBindings({ accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-bucket', ...extra });
const pipeline = (build: (p: any) => unknown) => () => {
  const f = sparkFixture();
  const argo = new ArgoWorkflows(f.chart, 'argo', { nodePools: [systemPool, spotPool], bindings });
  const p = argo.addPipeline(f.namespace, 'nightly');
  p.addSparkStep('etl', scalaJob);
  build(p);
  return Testing.synth(f.chart);
};
const alert = (extra: any) => () => new AlertRule({ name: 'JobFailed', expr: 'up == 0', severity: AlertSeverity.CRITICAL, summary: 's', description: 'd', ...extra });
const cluster = (extra: any) => () => new aws.SparkEksCluster(testStack(), 'Platform', { clusterName: 'spark-platform', systemPool, nodePools: [spotPool], ...extra });
const CLUSTER = 'Test/Platform';

const CATALOGUE: BadInput[] = [
  // Node pools
  { name: 'audit: an unknown instance type', act: pool({ instanceTypes: ['m5.mega'] }), where: 'NodePool "pool"', prop: 'instanceTypes[0]', value: '"m5.mega"', allowed: 'is not in the library\'s instance table' },
  { name: 'no instance type', act: pool({ instanceTypes: [] }), where: 'NodePool "pool"', prop: 'instanceTypes', value: '[]', allowed: 'at least one' },
  { name: 'a pool name that is not a label value', act: () => new NodePool({ name: 'Spot Pool', capacityType: CapacityType.SPOT, instanceTypes: ['m5.large'] }), where: 'NodePool "Spot Pool"', prop: 'name', value: '"Spot Pool"', allowed: 'DNS-1123' },
  { name: 'minSize above maxSize', act: pool({ minSize: 5, maxSize: 2 }), where: 'NodePool "pool"', prop: 'minSize', value: '5', allowed: 'maxSize' },
  { name: 'a negative maxSize', act: pool({ maxSize: -1 }), where: 'NodePool "pool"', prop: 'maxSize', value: '-1', allowed: 'integer' },
  { name: 'instance types of different sizes in one pool', act: pool({ instanceTypes: ['m5.2xlarge', 'm5.4xlarge'] }), where: 'NodePool "pool"', prop: 'instanceTypes', value: 'm5.4xlarge', allowed: 'same' },
  { name: 'a taint without a key', act: pool({ taints: [{ key: '', value: 'spot', effect: TaintEffect.NO_SCHEDULE }] }), where: 'NodePool "pool"', prop: 'taints[0].key', value: '""', allowed: '' },
  { name: 'a fallback that is spot', act: pool({ fallback: spotPool }), where: 'NodePool "pool"', prop: 'fallback', value: '"spark-spot"', allowed: 'on-demand' },
  { name: 'a root volume under 20 GiB', act: pool({ rootVolumeSize: Size.gibibytes(4) }), where: 'NodePool "pool"', prop: 'rootVolumeSize', value: '4', allowed: '' },

  // Teams and namespaces
  { name: 'audit: a namespace that is not a DNS label', act: team({ namespace: 'Team.A' }), where: 'SparkTeam "team-z"', prop: 'namespace', value: '"Team.A"', allowed: 'DNS-1123 label' },
  { name: 'a team name that is not a label value', act: () => new SparkTeam({ name: 'Team A' }), where: 'SparkTeam "Team A"', prop: 'name', value: '"Team A"', allowed: '' },
  { name: 'audit: a zero CPU quota', act: team({ quota: { cpu: kplus.Cpu.units(0) } }), where: 'SparkTeam "team-z"', prop: 'quota.cpu', value: '"0"', allowed: 'must be more than zero' },
  { name: 'audit: a zero memory quota', act: team({ quota: { memory: Size.gibibytes(0) } }), where: 'SparkTeam "team-z"', prop: 'quota.memory', value: '"0Mi"', allowed: 'must be more than zero' },
  { name: 'audit: a zero pod quota', act: team({ quota: { pods: 0 } }), where: 'SparkTeam "team-z"', prop: 'quota.pods', value: '0', allowed: 'integer >= 1' },
  { name: 'an empty quota', act: team({ quota: {} }), where: 'SparkTeam "team-z"', prop: 'quota', value: '{}', allowed: 'at least one of cpu, memory, pods' },
  { name: 'audit: a LimitRange default above its max', act: team({ limits: { defaultMemory: Size.gibibytes(8), maxMemory: Size.gibibytes(4) } }), where: 'SparkTeam "team-z"', prop: 'limits.defaultMemory', value: '"8192Mi"', allowed: 'must be at most limits.maxMemory (4096Mi)' },
  { name: 'a zero LimitRange max', act: team({ limits: { maxMemory: Size.mebibytes(0) } }), where: 'SparkTeam "team-z"', prop: 'limits.maxMemory', value: '"0Mi"', allowed: 'more than zero' },
  { name: 'a cost center that is not a label value', act: team({ costCenter: 'cc 1001' }), where: 'SparkTeam "team-z"', prop: 'costCenter', value: '"cc 1001"', allowed: '' },
  { name: 'audit: an empty data prefix', act: team({ readWritePrefixes: [''] }), where: 'SparkTeam "team-z"', prop: 'readWritePrefixes[0]', value: '""', allowed: 'must not be empty' },
  { name: 'a data prefix with s3a://', act: team({ readPrefixes: ['s3a://bucket/raw'] }), where: 'SparkTeam "team-z"', prop: 'readPrefixes[0]', value: '"s3a://bucket/raw"', allowed: '' },
  { name: 'a service account name with upper case', act: team({ serviceAccountName: 'Spark' }), where: 'SparkTeam "team-z"', prop: 'serviceAccountName', value: '"Spark"', allowed: 'DNS-1123 subdomain' },
  { name: 'two teams in one namespace', act: () => { const f = sparkFixture(); f.operator.addTeam(new SparkTeam({ name: 'team-b', namespace: 'team-a' })); }, where: 'test/spark-operator', prop: 'team', value: '"team-b"', allowed: 'already the job namespace of team "team-a"' },
  { name: 'audit: a team namespace spelled differently on the AWS side', act: () => sparkFixture({ bindings: bindingsWith({ teamNamespaces: ['team-alpha'] })() as PlatformBindings }), where: 'test/spark-operator', prop: 'team', value: '"team-a"', allowed: 'is not a namespace the AWS side made roles for ("team-alpha")' },

  // Spark jobs
  { name: 'audit: a driver placed on a spot pool', act: job({ driver: { placement: Placement.onPool(spotPool) } }), where: JOB, prop: 'driver.placement', value: '"spark-spot"', allowed: 'is a spot pool: a reclaimed driver fails the whole job' },
  { name: 'audit: executor cores above the pool\'s instance types', act: job({ executor: { cores: 64 } }), where: JOB, prop: 'executor.cores', value: '64', allowed: 'fit no node of pool "spark-spot"' },
  { name: 'audit: executor memory above the pool\'s instance types', act: job({ executor: { memory: SparkMemory.of('200g') } }), where: JOB, prop: 'executor.memory', value: '"200g"', allowed: 'fit no node of pool "spark-spot"' },
  { name: 'audit: executor memory above the namespace\'s LimitRange max', act: teamJob({ limits: { maxMemory: Size.gibibytes(4) } }, { executor: { memory: SparkMemory.of('8g') } }), where: JOB, prop: 'executor.memory', value: '"8g"', allowed: 'above the 4096Mi LimitRange max of namespace "team-a"' },
  { name: 'audit: a job that alone exceeds its namespace quota', act: teamJob({ quota: { cpu: kplus.Cpu.units(4) } }, { executor: { instances: 10, cores: 4 } }), where: JOB, prop: 'executor.instances', value: '10', allowed: 'more than the 4000m quota of namespace "team-a"' },
  { name: 'a job whose pods exceed the pod quota', act: teamJob({ quota: { pods: 3 } }, { executor: { instances: 5 } }), where: JOB, prop: 'executor.instances', value: '5', allowed: 'more than the 3 quota' },
  { name: 'audit: s3:// in arguments', act: job({ arguments: ['--in', 's3://bucket/raw'] }), where: JOB, prop: 'arguments[1]', value: '"s3://bucket/raw"', allowed: '"s3a://bucket/raw"' },
  { name: 'audit: s3:// in sparkConf', act: job({ sparkConf: { 'spark.sql.warehouse.dir': 's3://bucket/warehouse' } }), where: JOB, prop: 'sparkConf["spark.sql.warehouse.dir"]', value: '"s3://bucket/warehouse"', allowed: 'exists on EMR only' },
  { name: 'audit: s3n:// in hadoopConf', act: job({ hadoopConf: { 'fs.defaultFS': 's3n://bucket' } }), where: JOB, prop: 'hadoopConf["fs.defaultFS"]', value: '"s3n://bucket"', allowed: '"s3a://bucket"' },
  { name: 'audit: spark.executor.cores in sparkConf', act: job({ sparkConf: { 'spark.executor.cores': '8' } }), where: JOB, prop: 'sparkConf', value: '"spark.executor.cores"', allowed: 'is set by the library from executor.cores' },
  { name: 'audit: spark.executor.memory in sparkConf', act: job({ sparkConf: { 'spark.executor.memory': '8g' } }), where: JOB, prop: 'sparkConf', value: '"spark.executor.memory"', allowed: 'from executor.memory' },
  { name: 'audit: spark.executor.instances in sparkConf', act: job({ sparkConf: { 'spark.executor.instances': '20' } }), where: JOB, prop: 'sparkConf', value: '"spark.executor.instances"', allowed: 'from executor.instances' },
  { name: 'audit: spark.driver.memory in sparkConf', act: job({ sparkConf: { 'spark.driver.memory': '8g' } }), where: JOB, prop: 'sparkConf', value: '"spark.driver.memory"', allowed: 'from driver.memory' },
  { name: 'audit: dynamic allocation in sparkConf', act: job({ sparkConf: { 'spark.dynamicAllocation.maxExecutors': '50' } }), where: JOB, prop: 'sparkConf', value: '"spark.dynamicAllocation.maxExecutors"', allowed: 'from dynamicAllocation.maxExecutors' },
  { name: 'a node selector in sparkConf', act: job({ sparkConf: { 'spark.kubernetes.node.selector.pool': 'x' } }), where: JOB, prop: 'sparkConf', value: '"spark.kubernetes.node.selector.pool"', allowed: 'placement' },
  { name: 'audit: a misspelled Spark setting', act: job({ sparkConf: { 'spark.sql.shuffle.partition': '400' } }), where: JOB, prop: 'sparkConf', value: '"spark.sql.shuffle.partition"', allowed: 'did you mean "spark.sql.shuffle.partitions"?' },
  { name: 'audit: a transposed Spark setting', act: job({ sparkConf: { 'spark.speculaiton': 'true' } }), where: JOB, prop: 'sparkConf', value: '"spark.speculaiton"', allowed: 'did you mean "spark.speculation"?' },
  { name: 'audit: an invalid imagePullPolicy', act: job({ imagePullPolicy: 'Sometimes' }), where: JOB, prop: 'imagePullPolicy', value: '"Sometimes"', allowed: 'allowed: Always, IfNotPresent, Never' },
  { name: 'an image tagged latest', act: job({ image: 'registry.example.com/etl:latest' }), where: JOB, prop: 'image', value: '"registry.example.com/etl:latest"', allowed: 'must pin a tag other than "latest"' },
  { name: 'an image without a tag', act: job({ image: 'registry.example.com/etl' }), where: JOB, prop: 'image', value: '"registry.example.com/etl"', allowed: 'must pin a tag' },
  { name: 'a main file on s3://', act: job({ mainApplicationFile: 's3://bucket/etl.jar' }), where: JOB, prop: 'mainApplicationFile', value: '"s3://bucket/etl.jar"', allowed: 'EMRFS' },
  { name: 'a main file without a scheme', act: job({ mainApplicationFile: '/opt/app/etl.jar' }), where: JOB, prop: 'mainApplicationFile', value: '"/opt/app/etl.jar"', allowed: 'local:///opt/app/job.jar' },
  { name: 'a Scala job without mainClass', act: job({ mainClass: undefined }), where: JOB, prop: 'mainClass', value: 'undefined', allowed: 'is required for Scala jobs' },
  { name: 'a Python job with a mainClass', act: job({ type: SparkJobType.PYTHON, mainApplicationFile: 'local:///opt/app/job.py' }), where: JOB, prop: 'mainClass', value: '"com.acme.etl.Main"', allowed: 'Scala and Java jobs only' },
  { name: 'zero executors', act: job({ executor: { instances: 0 } }), where: JOB, prop: 'executor.instances', value: '0', allowed: 'integer >= 1' },
  { name: 'fractional driver cores', act: job({ driver: { cores: 1.5 } }), where: JOB, prop: 'driver.cores', value: '1.5', allowed: 'integer' },
  { name: 'a malformed memory size', act: job({ executor: { memory: SparkMemory.of('4 GB') } }), where: JOB, prop: 'executor.memory', value: '"4 GB"', allowed: '' },
  { name: 'executor instances with dynamic allocation', act: job({ executor: { instances: 4 }, dynamicAllocation: { maxExecutors: 10 } }), where: JOB, prop: 'executor.instances', value: '4', allowed: 'conflicts with dynamicAllocation' },
  { name: 'minExecutors above maxExecutors', act: job({ dynamicAllocation: { minExecutors: 20, maxExecutors: 10 } }), where: JOB, prop: 'dynamicAllocation.minExecutors', value: '20', allowed: 'between 0 and 10' },
  { name: 'runAsUser root', act: job({ runAsUser: 0 }), where: JOB, prop: 'runAsUser', value: '0', allowed: 'is root' },
  { name: 'an unknown Spark version', act: job({ sparkVersion: '2.4' }), where: JOB, prop: 'sparkVersion', value: '"2.4"', allowed: '' },
  { name: 'a job name that is not a DNS label', act: () => { const f = sparkFixture(); f.namespace.addJob('Daily_ETL', scalaJob); }, where: 'test/spark-operator/team-a/Daily_ETL', prop: 'name', value: '"Daily_ETL"', allowed: 'DNS-1123 label' },
  { name: 'an environment variable name with a space', act: job({ env: { 'MY VAR': 'x' } }), where: JOB, prop: 'env key', value: '"MY VAR"', allowed: 'environment variable name' },
  { name: 'a label with an invalid value', act: job({ labels: { team: 'a b' } }), where: JOB, prop: 'labels["team"]', value: '"a b"', allowed: '' },
  { name: 'a driver placed on a pool the operator does not know', act: job({ driver: { placement: Placement.onPool(new NodePool({ name: 'other', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] })) } }), where: JOB, prop: 'driver.placement', value: '"other"', allowed: 'is not a pool of the platform' },

  // Schedules
  { name: 'audit: a cron that never fires', act: scheduled({ schedule: '0 2 31 2 *' }), where: JOB, prop: 'schedule', value: '"0 2 31 2 *"', allowed: 'never fires: FEB has no day 31' },
  { name: 'a cron on 31 April and June', act: scheduled({ schedule: '0 2 31 4,6 *' }), where: JOB, prop: 'schedule', value: '"0 2 31 4,6 *"', allowed: 'never fires: APR, JUN have no day 31' },
  { name: 'a cron with six fields', act: scheduled({ schedule: '0 0 2 * * *' }), where: JOB, prop: 'schedule', value: '"0 0 2 * * *"', allowed: 'must have 5 fields' },
  { name: 'an hour of 24', act: scheduled({ schedule: '0 24 * * *' }), where: JOB, prop: 'schedule', value: '"0 24 * * *"', allowed: 'must be 0-23' },
  { name: 'a CRON_TZ prefix', act: scheduled({ schedule: 'CRON_TZ=UTC 0 2 * * *' }), where: JOB, prop: 'schedule', value: '"CRON_TZ=UTC 0 2 * * *"', allowed: 'set the time zone prop instead' },
  { name: 'audit: a time zone in the wrong case', act: scheduled({ timeZone: 'europe/amsterdam' }), where: JOB, prop: 'timeZone', value: '"europe/amsterdam"', allowed: 'use "Europe/Amsterdam"' },
  { name: 'an unknown time zone', act: scheduled({ timeZone: 'Mars/Olympus_Mons' }), where: JOB, prop: 'timeZone', value: '"Mars/Olympus_Mons"', allowed: 'IANA time zone' },
  { name: 'a run history limit of -1', act: scheduled({ successfulRunHistoryLimit: -1 }), where: JOB, prop: 'successfulRunHistoryLimit', value: '-1', allowed: 'integer' },
  { name: 'audit: a pipeline cron that never fires', act: pipeline(p => p.addSchedule('nightly', { schedules: ['0 2 30 2 *'] })), where: 'test/spark-operator/team-a/nightly/nightly', prop: 'schedules[0]', value: '"0 2 30 2 *"', allowed: 'never fires' },
  { name: 'audit: a pipeline time zone in the wrong case', act: pipeline(p => p.addSchedule('nightly', { schedules: ['0 2 * * *'], timeZone: 'america/new_york' })), where: 'test/spark-operator/team-a/nightly/nightly', prop: 'timeZone', value: '"america/new_york"', allowed: 'use "America/New_York"' },
  { name: 'a pipeline schedule without a cron', act: pipeline(p => p.addSchedule('nightly', { schedules: [] })), where: 'test/spark-operator/team-a/nightly/nightly', prop: 'schedules', value: '[]', allowed: '' },

  // Platform components
  { name: 'audit: the operator placed on a spot pool', act: () => sparkFixture({ operatorPlacement: Placement.onPool(spotPool) }), where: 'test/spark-operator', prop: 'operatorPlacement', value: '"spark-spot"', allowed: 'is a spot pool' },
  { name: 'audit: drivers placed on a spot pool', act: () => sparkFixture({ driverPlacement: Placement.onPool(spotPool) }), where: 'test/spark-operator', prop: 'driverPlacement', value: '"spark-spot"', allowed: 'a reclaimed driver fails the whole job' },
  { name: 'audit: Argo CD placed on a spot pool', act: () => new ArgoCdRelease({ placement: Placement.onPool(spotPool) }), where: 'ArgoCdRelease', prop: 'placement', value: '"spark-spot"', allowed: 'must run on on-demand capacity' },
  { name: 'zero webhook replicas', act: () => sparkFixture({ webhookReplicas: 0 }), where: 'test/spark-operator', prop: 'webhookReplicas', value: '0', allowed: '' },
  { name: 'audit: an autoscaler image tagged latest', act: autoscaler({ image: 'registry.k8s.io/autoscaling/cluster-autoscaler:latest' }), where: 'test/autoscaler', prop: 'image', value: '"registry.k8s.io/autoscaling/cluster-autoscaler:latest"', allowed: 'must pin a tag other than "latest"' },
  { name: 'audit: an unpinned autoscaler image', act: autoscaler({ image: 'registry.k8s.io/autoscaling/cluster-autoscaler' }), where: 'test/autoscaler', prop: 'image', value: '"registry.k8s.io/autoscaling/cluster-autoscaler"', allowed: 'must pin a tag' },
  { name: 'the autoscaler on a spot pool', act: autoscaler({ placement: Placement.onPool(spotPool) }), where: 'test/autoscaler', prop: 'placement', value: '"spark-spot"', allowed: 'is a spot pool' },
  { name: 'a scale-down threshold above 1', act: autoscaler({ scaleDown: { utilizationThreshold: 1.5 } }), where: 'test/autoscaler', prop: 'scaleDown.utilizationThreshold', value: '1.5', allowed: '' },
  { name: 'a scale-down time that is not a Go duration', act: autoscaler({ scaleDown: { unneededTime: '10 minutes' } }), where: 'test/autoscaler', prop: 'scaleDown.unneededTime', value: '"10 minutes"', allowed: 'Go duration' },
  { name: 'Argo Workflows on a spot pool', act: workflows({ placement: Placement.onPool(spotPool) }), where: 'test/argo', prop: 'placement', value: '"spark-spot"', allowed: 'is a spot pool' },
  { name: 'zero Argo server replicas', act: workflows({ serverReplicas: 0 }), where: 'test/argo', prop: 'serverReplicas', value: '0', allowed: 'integer' },
  { name: 'a history server image tagged latest', act: history({ image: 'apache/spark:latest' }), where: 'test/history', prop: 'image', value: '"apache/spark:latest"', allowed: 'must pin a tag' },
  { name: 'a history server port out of range', act: history({ port: 70000 }), where: 'test/history', prop: 'port', value: '70000', allowed: '65535' },
  { name: 'an alert name that is not a metric name', act: alert({ name: 'job failed' }), where: 'AlertRule "job failed"', prop: 'name', value: '"job failed"', allowed: '' },
  { name: 'an alert expression that is not PromQL', act: alert({ expr: 'sum(rate(x[5m])' }), where: 'AlertRule "JobFailed"', prop: 'expr', value: '"sum(rate(x[5m])"', allowed: '' },
  { name: 'Argo CD SSO with an http issuer', act: () => new ArgoCdRelease({ sso: { url: 'https://argocd.acme.example', issuer: 'http://okta', clientId: 'argocd', clientSecretName: 'oidc', adminGroups: ['platform'] } }), where: 'ArgoCdRelease', prop: 'sso.issuer', value: '"http://okta"', allowed: 'https:// URL' },
  { name: 'Argo CD SSO without admin groups', act: () => new ArgoCdRelease({ sso: { url: 'https://argocd.acme.example', issuer: 'https://okta', clientId: 'argocd', clientSecretName: 'oidc', adminGroups: [] } }), where: 'ArgoCdRelease', prop: 'sso.adminGroups', value: '[]', allowed: 'at least one group' },

  // Bindings and storage
  { name: 'audit: an unknown AWS partition', act: bindingsWith({ partition: 'aws-mars' }), where: 'PlatformBindings', prop: 'partition', value: '"aws-mars"', allowed: 'aws-cn' },
  { name: 'an account id of 11 digits', act: bindingsWith({ accountId: '12345678901' }), where: 'PlatformBindings', prop: 'accountId', value: '"12345678901"', allowed: '12-digit' },
  { name: 'a region that is not one', act: bindingsWith({ region: 'Ireland' }), where: 'PlatformBindings', prop: 'region', value: '"Ireland"', allowed: 'AWS region' },
  { name: 'a bucket name with upper case', act: bindingsWith({ bucketName: 'Acme-Bucket' }), where: 'PlatformBindings', prop: 'bucketName', value: '"Acme-Bucket"', allowed: '' },
  { name: 'a Kubernetes version that is not a minor', act: bindingsWith({ kubernetesVersion: '1.33.2' }), where: 'PlatformBindings', prop: 'kubernetesVersion', value: '"1.33.2"', allowed: 'minor version' },
  { name: 'audit: an unknown partition in an S3 location', act: () => new S3Location({ bucketName: 'acme-bucket', prefix: 'raw', partition: 'amazon' }), where: 'S3Location', prop: 'partition', value: '"amazon"', allowed: 'aws-us-gov' },
  { name: 'an event-log prefix ending with a slash', act: () => new EventLogLocation({ bucketName: 'acme-bucket', prefix: 'spark-events/' }), where: 'EventLogLocation', prop: 'prefix', value: '"spark-events/"', allowed: '' },
  {
    name: 'audit: CDK tokens in a plain cdk8s app',
    act: () => {
      const app = Testing.app();
      new SparkPlatform(app, 'platform', { nodePools: [systemPool, spotPool], bindings: bindingsWith({ region: Token.asString({ Ref: 'AWS::Region' }) })() as PlatformBindings, clusterAutoscaler: false, pipelines: false, historyServer: false, logging: undefined, monitoring: false }).addTeam(new SparkTeam({ name: 'team-a' }));
      (app as App).synth();
    },
    where: 'platform/spark-operator',
    prop: 'bindings.region',
    value: '"${Token[',
    allowed: 'is an AWS CDK token in a plain cdk8s app',
  },

  // AWS side
  { name: 'audit: a public endpoint CIDR wider than /16', act: () => aws.ClusterEndpoint.publicAndPrivate(['10.0.0.0/8']), where: 'ClusterEndpoint.publicAndPrivate', prop: 'cidrs[0]', value: '"10.0.0.0/8"', allowed: 'allowWideCidrBlocks' },
  { name: 'audit: an empty event-log prefix', act: cluster({ bucket: { eventLogPrefix: '' } }), where: `${CLUSTER}/Bucket`, prop: 'eventLogPrefix', value: '""', allowed: 'must not be empty' },
  { name: 'audit: an event-log retention of zero days', act: cluster({ bucket: { eventLogRetention: AwsDuration.days(0) } }), where: `${CLUSTER}/Bucket`, prop: 'eventLogRetention', value: '0', allowed: 'at least 1' },
  { name: 'audit: a team with the whole bucket', act: cluster({ teams: [new SparkTeam({ name: 'team-a' }), { ...new SparkTeam({ name: 'team-b' }), readWritePrefixes: [''] }] }), where: CLUSTER, prop: 'teams[1].readWritePrefixes[0]', value: '""', allowed: 'must not be empty' },
  { name: 'an EKS cluster name with a space', act: cluster({ clusterName: 'spark platform' }), where: CLUSTER, prop: 'clusterName', value: '"spark platform"', allowed: '' },
  { name: 'a system pool on spot', act: cluster({ systemPool: spotPool }), where: CLUSTER, prop: 'systemPool', value: '"spark-spot"', allowed: 'give an ON_DEMAND pool' },
];

describe('bad inputs fail early, naming where, the prop, the value and what is allowed', () => {
  test('the catalogue has at least 80 inputs, every one the audit saw accepted among them', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(80);
    expect(CATALOGUE.filter(c => c.name.startsWith('audit:')).length).toBeGreaterThanOrEqual(26);
    expect(new Set(CATALOGUE.map(c => c.name)).size).toBe(CATALOGUE.length);
  });

  test.each(CATALOGUE.map(c => [c.name, c] as const))('%s', (_name, input) => {
    let message: string | undefined;
    try {
      input.act();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBeDefined();
    expect(message).toContain(`${input.where}: `);
    expect(message).toContain(`"${input.prop}"`);
    expect(message).toContain(input.value);
    expect(message).toContain(input.allowed);
  });
});
