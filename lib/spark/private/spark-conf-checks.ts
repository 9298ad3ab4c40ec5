import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Placement } from '../../scheduling';
import { requireOnDemand } from '../../scheduling/internal';
import { checkList, checkNoCredentials, checkOneOf, invalidProp } from '../../validation';
import { SparkApplicationOptions } from '../spark-application-options';

// Spark settings the typed props own: set in sparkConf, they would bypass the props the capacity, quota and
// placement checks read (and the operator's own fields, which spark-operator passes as these same confs).
const TYPED_PROPS: { [key: string]: string } = {
  'spark.driver.cores': 'driver.cores',
  'spark.driver.memory': 'driver.memory',
  'spark.driver.memoryOverhead': 'driver.memoryOverhead',
  'spark.driver.extraJavaOptions': 'driver.javaOptions',
  'spark.kubernetes.driver.request.cores': 'driver.coreRequest',
  'spark.executor.cores': 'executor.cores',
  'spark.executor.instances': 'executor.instances',
  'spark.executor.memory': 'executor.memory',
  'spark.executor.memoryOverhead': 'executor.memoryOverhead',
  'spark.executor.extraJavaOptions': 'executor.javaOptions',
  'spark.kubernetes.executor.request.cores': 'executor.coreRequest',
  'spark.dynamicAllocation.enabled': 'dynamicAllocation',
  'spark.dynamicAllocation.minExecutors': 'dynamicAllocation.minExecutors',
  'spark.dynamicAllocation.maxExecutors': 'dynamicAllocation.maxExecutors',
  'spark.dynamicAllocation.initialExecutors': 'dynamicAllocation.initialExecutors',
  'spark.dynamicAllocation.shuffleTracking.timeout': 'dynamicAllocation.shuffleTrackingTimeout',
  'spark.kubernetes.container.image': 'image',
  'spark.kubernetes.container.image.pullPolicy': 'imagePullPolicy',
  'spark.kubernetes.namespace': 'the job namespace (JobNamespace.addJob)',
  'spark.kubernetes.authenticate.driver.serviceAccountName': 'the team\'s service account (SparkTeam serviceAccountName)',
  'spark.decommission.enabled': 'spotResilience',
};
// Settings the platform sets for every job (the log4j2 configuration, SparkLogLayout): options a job adds go
// to the javaOptions props, which Spark appends after these.
const PLATFORM_OWNED: { [key: string]: string } = {
  'spark.driver.defaultJavaOptions': 'driver.javaOptions',
  'spark.executor.defaultJavaOptions': 'executor.javaOptions',
};
const TYPED_PREFIXES: Array<[string, string]> = [
  ['spark.kubernetes.node.selector.', 'driver.placement / executor.placement'],
  ['spark.kubernetes.driver.node.selector.', 'driver.placement'],
  ['spark.kubernetes.executor.node.selector.', 'executor.placement'],
];

// Settings users tune most, from Spark's configuration reference (docs/configuration.md, docs/sql-performance-
// tuning.md, docs/running-on-kubernetes.md): a key one or two letters away from one of them is a typo that
// Spark ignores without a word.
const WELL_KNOWN = [
  'spark.app.name', 'spark.driver.maxResultSize', 'spark.driver.extraClassPath', 'spark.executor.extraClassPath',
  'spark.driver.extraLibraryPath', 'spark.executor.extraLibraryPath', 'spark.executor.pyspark.memory', 'spark.executor.memoryOverheadFactor',
  'spark.driver.memoryOverheadFactor', 'spark.memory.fraction', 'spark.memory.storageFraction', 'spark.memory.offHeap.enabled',
  'spark.memory.offHeap.size', 'spark.default.parallelism', 'spark.serializer', 'spark.kryo.registrationRequired', 'spark.kryoserializer.buffer.max',
  'spark.network.timeout', 'spark.executor.heartbeatInterval', 'spark.task.maxFailures', 'spark.task.cpus', 'spark.speculation',
  'spark.speculation.multiplier', 'spark.speculation.quantile', 'spark.locality.wait', 'spark.scheduler.mode', 'spark.shuffle.compress',
  'spark.shuffle.spill.compress', 'spark.shuffle.file.buffer', 'spark.shuffle.service.enabled', 'spark.reducer.maxSizeInFlight',
  'spark.rdd.compress', 'spark.io.compression.codec', 'spark.broadcast.compress', 'spark.files.maxPartitionBytes', 'spark.local.dir',
  'spark.jars', 'spark.jars.packages', 'spark.jars.repositories', 'spark.jars.excludes', 'spark.submit.pyFiles', 'spark.files',
  'spark.sql.shuffle.partitions', 'spark.sql.adaptive.enabled', 'spark.sql.adaptive.coalescePartitions.enabled',
  'spark.sql.adaptive.skewJoin.enabled', 'spark.sql.adaptive.advisoryPartitionSizeInBytes', 'spark.sql.autoBroadcastJoinThreshold',
  'spark.sql.broadcastTimeout', 'spark.sql.files.maxPartitionBytes', 'spark.sql.files.maxRecordsPerFile', 'spark.sql.sources.partitionOverwriteMode',
  'spark.sql.parquet.compression.codec', 'spark.sql.parquet.mergeSchema', 'spark.sql.session.timeZone', 'spark.sql.warehouse.dir',
  'spark.sql.catalogImplementation', 'spark.sql.extensions', 'spark.sql.catalog.spark_catalog', 'spark.sql.ansi.enabled',
  'spark.sql.execution.arrow.pyspark.enabled', 'spark.sql.legacy.timeParserPolicy', 'spark.sql.hive.metastore.version',
  'spark.sql.streaming.checkpointLocation', 'spark.sql.codegen.wholeStage', 'spark.sql.orc.impl', 'spark.sql.caseSensitive',
  'spark.eventLog.enabled', 'spark.eventLog.dir', 'spark.eventLog.compress', 'spark.eventLog.rolling.enabled', 'spark.eventLog.rolling.maxFileSize',
  'spark.ui.enabled', 'spark.ui.port', 'spark.ui.prometheus.enabled', 'spark.metrics.namespace', 'spark.metrics.appStatusSource.enabled',
  'spark.storage.decommission.enabled', 'spark.storage.decommission.shuffleBlocks.enabled', 'spark.storage.decommission.rddBlocks.enabled',
  'spark.storage.decommission.fallbackStorage.path', 'spark.kubernetes.memoryOverheadFactor', 'spark.kubernetes.executor.deleteOnTermination',
  'spark.kubernetes.driver.podTemplateFile', 'spark.kubernetes.executor.podTemplateFile', 'spark.kubernetes.file.upload.path',
  'spark.kubernetes.allocation.batch.size', 'spark.kubernetes.allocation.batch.delay', 'spark.kubernetes.executor.limit.cores',
  'spark.kubernetes.driver.limit.cores', 'spark.kubernetes.local.dirs.tmpfs', 'spark.kubernetes.executor.podNamePrefix',
  'spark.kubernetes.submission.waitAppCompletion', 'spark.hadoop.fs.s3a.committer.name', 'spark.hadoop.fs.s3a.fast.upload',
  'spark.hadoop.fs.s3a.connection.maximum', 'spark.hadoop.fs.s3a.threads.max', 'spark.hadoop.fs.s3a.multipart.size',
  'spark.hadoop.fs.s3a.endpoint.region', 'spark.hadoop.fs.s3a.aws.credentials.provider', 'spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version',
  'spark.sql.parquet.output.committer.class', 'spark.sql.sources.commitProtocolClass', 'spark.dynamicAllocation.shuffleTracking.enabled',
  'spark.dynamicAllocation.executorIdleTimeout', 'spark.dynamicAllocation.cachedExecutorIdleTimeout', 'spark.dynamicAllocation.schedulerBacklogTimeout',
  'spark.dynamicAllocation.executorAllocationRatio', 'spark.cleaner.referenceTracking.cleanCheckpoints', 'spark.checkpoint.compress',
  ...Object.keys(TYPED_PROPS), ...Object.keys(PLATFORM_OWNED),
];
const KNOWN = new Set(WELL_KNOWN);

// The optimal string alignment distance (edits, with adjacent transpositions), bounded: enough to see typos.
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The well-known Spark setting a key is a typo of, if it is one. */
export function misspelledSparkKey(key: string): string | undefined {
  if (KNOWN.has(key) || !key.startsWith('spark.')) return undefined;
  return WELL_KNOWN.find(known => distance(key, known) <= 2);
}

// "s3://" and "s3n://" are EMRFS on EMR; open-source Hadoop reads S3 through S3A only (hadoop-aws has no
// FileSystem for the "s3" scheme: "No FileSystem for scheme \"s3\"").
const EMRFS = /\bs3n?:\/\//;

/** The checks of a job's settings, arguments and pull policy. */
export function checkSparkSettings(where: Construct, p: SparkApplicationOptions): void {
  if (p.imagePullPolicy !== undefined) checkOneOf(where, 'imagePullPolicy', p.imagePullPolicy, Object.values(kplus.ImagePullPolicy));
  checkList<string>(where, 'arguments', p.arguments ?? [], a => typeof a === 'string', 'arguments (strings)').forEach((arg, i) => {
    if (EMRFS.test(arg)) throw invalidProp(where, `arguments[${i}]`, arg, emrfs(arg));
  });
  for (const [prop, conf] of [['sparkConf', p.sparkConf], ['hadoopConf', p.hadoopConf]] as const) {
    for (const [key, value] of Object.entries(conf ?? {})) {
      if (EMRFS.test(String(value))) throw invalidProp(where, `${prop}["${key}"]`, value, emrfs(String(value)));
    }
  }
  // Conf and env land in the SparkApplication, and so in Git.
  checkNoCredentials(where, 'sparkConf', p.sparkConf,
    'reference a Secret instead (sparkConf "spark.kubernetes.driver.secretKeyRef.<ENV>": "<secret>:<key>", and the executor\'s), or give the team\'s role the access (IRSA)');
  checkNoCredentials(where, 'hadoopConf', p.hadoopConf,
    'S3A takes the team\'s IAM role from its service account (IRSA or Pod Identity): remove the keys; other credentials come from a Secret (spark.kubernetes.driver.secretKeyRef.<ENV>)');
  checkNoCredentials(where, 'env', p.env, 'reference a Secret instead (sparkConf "spark.kubernetes.driver.secretKeyRef.<ENV>": "<secret>:<key>", and spark.kubernetes.executor.secretKeyRef.<ENV>)');
  for (const key of Object.keys(p.sparkConf ?? {})) {
    const typed = TYPED_PROPS[key] ?? TYPED_PREFIXES.find(([prefix]) => key.startsWith(prefix))?.[1];
    if (typed) throw invalidProp(where, 'sparkConf', key, `is set by the library from ${typed}: use that prop, which the capacity, quota and placement checks read`);
    if (PLATFORM_OWNED[key] && (p.structuredLogs ?? true)) {
      throw invalidProp(where, 'sparkConf', key, `is set by the platform (its log4j2 configuration, see structuredLogs): add JVM options with ${PLATFORM_OWNED[key]}`);
    }
    const meant = misspelledSparkKey(key);
    if (meant) throw invalidProp(where, 'sparkConf', key, `is not a Spark setting (Spark ignores it): did you mean "${meant}"?`);
  }
}

function emrfs(value: string): string {
  return `uses EMRFS ("s3://"), which exists on EMR only; on Kubernetes Hadoop reads S3 through S3A: "${value.replace(/\bs3n?:\/\//g, 's3a://')}"`;
}

/** Throws when a driver placement includes a spot pool: a reclaimed driver fails the whole job. */
export function checkDriverPlacement(where: Construct | string, prop: string, placement: Placement): void {
  requireOnDemand(where, prop, placement, 'a reclaimed driver fails the whole job (executors are replaced, the driver is not); place drivers on on-demand pools');
}
