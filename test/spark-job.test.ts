import { App, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import {
  CapacityType, GitOps, NodePool, NodeTaints, Placement, RestartPolicy, RunOnce, S3Location, SparkJob, SparkJobType, SparkLabels,
  SparkMemory, SparkTeam, SyncWave,
} from '../lib';
import { eventLogs, findObject, scalaJob, sparkFixture, spotPool, systemPool } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

describe('SparkJob', () => {
  test('renders a SparkApplication that passes the pinned CRD, with production defaults', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('daily-etl', { ...scalaJob, arguments: ['--date', '2026-11-24'] });
    const app = findObject(synthValid(chart), 'SparkApplication', 'daily-etl');

    expect(app.apiVersion).toBe('sparkoperator.k8s.io/v1beta2');
    expect(app.metadata.namespace).toBe('team-a');
    expect(app.spec).toMatchObject({
      type: 'Scala',
      mode: 'cluster',
      image: scalaJob.image,
      imagePullPolicy: 'IfNotPresent',
      mainApplicationFile: 'local:///opt/app/etl.jar',
      mainClass: 'com.acme.etl.Main',
      arguments: ['--date', '2026-11-24'],
      sparkVersion: '3.5.5',
      restartPolicy: { type: 'OnFailure', onFailureRetries: 2, onFailureRetryInterval: 60, onSubmissionFailureRetries: 3, onSubmissionFailureRetryInterval: 30 },
      driver: { cores: 1, memory: '2g', serviceAccount: 'spark' },
      executor: { cores: 2, instances: 2, memory: '4g', serviceAccount: 'spark' },
    });
    expect(app.spec.timeToLiveSeconds).toBeUndefined();
    expect(app.spec.driver.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  // kubernetes pkg/kubelet/kuberuntime/security_context_others.go verifyRunAsNonRoot: with runAsNonRoot and no
  // runAsUser, a non-numeric image user fails with "container has runAsNonRoot and image has non-numeric user
  // (spark), cannot verify user is non-root". apache/spark-docker's Dockerfile.template ends with `USER spark`.
  function kubeletAdmits(pod: { securityContext?: any; podSecurityContext?: any }, imageUser: string): boolean {
    const nonRoot = pod.securityContext?.runAsNonRoot ?? pod.podSecurityContext?.runAsNonRoot;
    const uid = pod.securityContext?.runAsUser ?? pod.podSecurityContext?.runAsUser;
    if (!nonRoot) return true;
    if (uid !== undefined) return uid !== 0;
    return /^[0-9]+$/.test(imageUser) && imageUser !== '0';
  }

  test('driver and executors run as uid/gid 185 by default, so the kubelet admits the apache/spark images', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    const { driver, executor } = findObject(synthValid(chart), 'SparkApplication', 'etl').spec;
    for (const pod of [driver, executor]) {
      expect(pod.podSecurityContext).toEqual({ runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } });
      expect(kubeletAdmits(pod, 'spark')).toBe(true);
      // The model of the kubelet rule refuses what the library used to render.
      expect(kubeletAdmits({ securityContext: { runAsNonRoot: true } }, 'spark')).toBe(false);
    }
  });

  test('a custom image user changes the uid and gid', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', { ...scalaJob, runAsUser: 1001, runAsGroup: 2001 });
    const { driver, executor } = findObject(synthValid(chart), 'SparkApplication', 'etl').spec;
    for (const pod of [driver, executor]) {
      expect(pod.podSecurityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 2001, fsGroup: 2001 });
      expect(pod.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 2001 });
    }
  });

  test('driver on on-demand capacity, executors on the spot pool: tolerations equal the pool\'s taints', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    const { driver, executor } = findObject(synthValid(chart), 'SparkApplication', 'etl').spec;

    expect(driver.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: systemPool.name });
    expect(driver.tolerations).toBeUndefined();
    expect(executor.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: spotPool.name });
    expect(executor.tolerations).toEqual(spotPool.taints.map(NodeTaints.toleration));
  });

  test('placement is overridable per job, with the pool objects', () => {
    const onDemandSpark = new NodePool({ name: 'spark-on-demand', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.2xlarge'] });
    const { chart, namespace } = sparkFixture({ nodePools: [systemPool, spotPool, onDemandSpark] });
    namespace.addJob('critical', { ...scalaJob, executor: { placement: Placement.onPools([spotPool, onDemandSpark]) } });
    const { executor, sparkConf } = findObject(synthValid(chart), 'SparkApplication', 'critical').spec;
    expect(executor.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: NodePool.POOL_LABEL, operator: 'In', values: ['spark-spot', 'spark-on-demand'] }]);
    expect(sparkConf['spark.decommission.enabled']).toBe('true');
  });

  test('event logs go to the one shared location, rolling; S3A credentials come from the service account', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    namespace.addJob('etl-spark4', { ...scalaJob, sparkVersion: '4.0.1' });
    const docs = synthValid(chart);
    const spark3 = findObject(docs, 'SparkApplication', 'etl').spec;
    const spark4 = findObject(docs, 'SparkApplication', 'etl-spark4').spec;

    expect(spark3.sparkConf['spark.eventLog.enabled']).toBe('true');
    expect(spark3.sparkConf['spark.eventLog.dir']).toBe(eventLogs.s3aUri);
    expect(spark3.sparkConf['spark.eventLog.dir']).toBe('s3a://acme-spark-platform/spark/event-logs');
    expect(spark4.sparkConf['spark.eventLog.dir']).toBe(eventLogs.s3aUri);
    expect(spark3.sparkConf['spark.eventLog.rolling.enabled']).toBe('true');
    expect(spark3.hadoopConf['fs.s3a.aws.credentials.provider']).toBe('com.amazonaws.auth.WebIdentityTokenCredentialsProvider');
    expect(spark4.hadoopConf['fs.s3a.aws.credentials.provider']).toBe('software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider');
  });

  // hadoop-aws uses AWS SDK v1 up to Hadoop 3.3 and SDK v2 from 3.4 (HADOOP-18073); Spark 3.5 bundles Hadoop 3.3.4,
  // Spark 4.0 Hadoop 3.4.1 (apache/spark pom.xml hadoop.version, SPARK-49550).
  test.each([
    ['3.4.4', undefined, 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider'],
    ['3.5.5', undefined, 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider'],
    ['4.0.1', undefined, 'software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider'],
    ['4.1.0', undefined, 'software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider'],
    // An image built with a newer Hadoop than its Spark release bundles.
    ['3.5.5', '3.4.1', 'software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider'],
    ['3.2.4', '3.3.1', 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider'],
  ])('Spark %s with Hadoop %s: S3A credentials from %s', (sparkVersion, hadoopVersion, provider) => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', { ...scalaJob, sparkVersion, hadoopVersion });
    expect(findObject(synthValid(chart), 'SparkApplication', 'etl').spec.hadoopConf['fs.s3a.aws.credentials.provider']).toBe(provider);
  });

  test('the platform\'s region is given to S3A', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    expect(findObject(synthValid(chart), 'SparkApplication', 'etl').spec.hadoopConf['fs.s3a.endpoint.region']).toBe('eu-west-1');
  });

  test('spot resilience: decommissioning with shuffle and RDD block migration, optional S3 fallback', () => {
    const writer = new SparkTeam({ name: 'team-a', costCenter: 'cc-1042', readWritePrefixes: ['spark'] });
    const { chart, namespace } = sparkFixture({}, writer);
    namespace.addJob('etl', { ...scalaJob, fallbackStorage: new S3Location({ bucketName: 'acme-spark-platform', prefix: 'spark/fallback' }) });
    namespace.addJob('on-demand-only', { ...scalaJob, executor: { placement: Placement.onPool(systemPool) } });
    const docs = synthValid(chart);
    expect(findObject(docs, 'SparkApplication', 'etl').spec.sparkConf).toMatchObject({
      'spark.decommission.enabled': 'true',
      'spark.storage.decommission.enabled': 'true',
      'spark.storage.decommission.shuffleBlocks.enabled': 'true',
      'spark.storage.decommission.rddBlocks.enabled': 'true',
      'spark.storage.decommission.fallbackStorage.path': 's3a://acme-spark-platform/spark/fallback/',
    });
    expect(findObject(docs, 'SparkApplication', 'on-demand-only').spec.sparkConf['spark.decommission.enabled']).toBeUndefined();
  });

  test('metrics: PrometheusServlet, executor metrics on the driver, a stable metrics namespace, a label for monitors', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    namespace.addJob('quiet', { ...scalaJob, metrics: false });
    const docs = synthValid(chart);
    const etl = findObject(docs, 'SparkApplication', 'etl').spec;
    expect(etl.sparkConf).toMatchObject({
      'spark.ui.prometheus.enabled': 'true',
      'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
      'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
      'spark.metrics.namespace': 'etl',
    });
    expect(etl.driver.labels[SparkLabels.METRICS]).toBe('prometheus');
    const quiet = findObject(docs, 'SparkApplication', 'quiet').spec;
    expect(quiet.sparkConf['spark.ui.prometheus.enabled']).toBeUndefined();
    expect(quiet.driver.labels[SparkLabels.METRICS]).toBeUndefined();
  });

  test('every job pod carries the namespace\'s cost labels, the job label and the job\'s labels; the service account is the namespace\'s', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('etl', { ...scalaJob, labels: { pipeline: 'nightly' } });
    const app = findObject(synthValid(chart), 'SparkApplication', 'etl');
    const expected = { [SparkLabels.TEAM]: 'team-a', [SparkLabels.COST_CENTER]: 'cc-1042', [SparkLabels.JOB]: 'etl', pipeline: 'nightly' };
    expect(app.metadata.labels).toEqual(expected);
    expect(app.spec.driver.labels).toEqual({ ...expected, [SparkLabels.METRICS]: 'prometheus' });
    expect(app.spec.executor.labels).toEqual(app.spec.driver.labels);
    expect(app.spec.driver.serviceAccount).toBe(namespace.serviceAccountName);
    expect(app.spec.executor.serviceAccount).toBe(namespace.serviceAccountName);
  });

  test('typed resources, memory as Size or Spark string, dynamic allocation, restart policy, TTL, env', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('big', {
      ...scalaJob,
      driver: { cores: 2, memory: SparkMemory.fromSize(Size.gibibytes(4)), memoryOverhead: SparkMemory.of('1g'), javaOptions: '-XX:+UseG1GC' },
      executor: { cores: 4, memory: SparkMemory.of('16g'), memoryOverhead: SparkMemory.fromSize(Size.mebibytes(2048)) },
      dynamicAllocation: { minExecutors: 2, maxExecutors: 40, shuffleTrackingTimeout: Duration.minutes(10) },
      restartPolicy: RestartPolicy.onFailure({ retries: 5, retryInterval: Duration.minutes(5) }),
      timeToLive: Duration.days(2),
      env: { LOG_LEVEL: 'INFO' },
    });
    namespace.addJob('once', { ...scalaJob, restartPolicy: RestartPolicy.never() });
    const docs = synthValid(chart);
    const big = findObject(docs, 'SparkApplication', 'big').spec;
    expect(big.driver).toMatchObject({ cores: 2, memory: '4096m', memoryOverhead: '1g', javaOptions: '-XX:+UseG1GC', env: [{ name: 'LOG_LEVEL', value: 'INFO' }] });
    expect(big.executor).toMatchObject({ cores: 4, memory: '16g', memoryOverhead: '2048m' });
    expect(big.executor.instances).toBeUndefined();
    expect(big.dynamicAllocation).toEqual({
      enabled: true, minExecutors: 2, initialExecutors: 2, maxExecutors: 40, shuffleTrackingEnabled: true, shuffleTrackingTimeout: 600000,
    });
    expect(big.restartPolicy).toMatchObject({ type: 'OnFailure', onFailureRetries: 5, onFailureRetryInterval: 300 });
    expect(big.timeToLiveSeconds).toBe(172800);
    expect(findObject(docs, 'SparkApplication', 'once').spec.restartPolicy).toEqual({ type: 'Never' });
  });

  test('Python jobs need no main class; sparkConf and hadoopConf escape hatches win', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('report', {
      type: SparkJobType.PYTHON,
      image: 'acme/report:2.0.0',
      mainApplicationFile: 's3a://acme-spark-platform/jobs/report.py',
      sparkVersion: '3.5.5',
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      sparkConf: { 'spark.eventLog.rolling.maxFileSize': '64m', 'spark.sql.shuffle.partitions': '400' },
      hadoopConf: { 'fs.s3a.connection.maximum': '200' },
    });
    const spec = findObject(synthValid(chart), 'SparkApplication', 'report').spec;
    expect(spec.type).toBe('Python');
    expect(spec.mainClass).toBeUndefined();
    expect(spec.imagePullPolicy).toBe('Always');
    expect(spec.sparkConf['spark.eventLog.rolling.maxFileSize']).toBe('64m');
    expect(spec.sparkConf['spark.sql.shuffle.partitions']).toBe('400');
    expect(spec.hadoopConf['fs.s3a.connection.maximum']).toBe('200');
  });

  test('the SparkJob construct can live in any scope', () => {
    const { chart, namespace } = sparkFixture();
    const job = new SparkJob(chart, 'standalone', { ...scalaJob, namespace });
    expect(job.name).toBe('standalone');
    expect(job.apiObject.kind).toBe('SparkApplication');
    findObject(synthValid(chart), 'SparkApplication', 'standalone');
  });

  describe('one run under GitOps (the operator re-submits a SparkApplication whose spec changes: spark-operator v2.5.2 event_filter.go)', () => {
    test('a run is created once, in the last wave, and its health does not count in the platform\'s', () => {
      const { chart, namespace } = sparkFixture();
      const job = namespace.addJob('etl', scalaJob);
      expect(RunOnce.of(job.apiObject)).toEqual({ deletedBy: undefined });
      expect(findObject(synthValid(chart), 'SparkApplication', 'etl').metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(SyncWave.RUNS));
    });

    test('runId names a new run "<name>-<runId>"; the job label and metrics keep the job\'s name', () => {
      const { chart, namespace } = sparkFixture();
      const job = namespace.addJob('etl', { ...scalaJob, runId: '2026-11-30' });
      const app = findObject(synthValid(chart), 'SparkApplication', 'etl-2026-11-30');
      expect(job.name).toBe('etl');
      expect(app.metadata.labels[SparkLabels.JOB]).toBe('etl');
      expect(app.spec.sparkConf['spark.metrics.namespace']).toBe('etl');
      expect(() => namespace.addJob('etl-2', { ...scalaJob, name: 'etl', runId: 'again' })).toThrow(/a job named "etl" already exists/);
    });

    test('timeToLive on a job GitOps delivers is a synth error; on a scheduled job it is fine', () => {
      const { chart, namespace } = sparkFixture();
      const gitops = new GitOps(chart.node.root as App, 'gitops', { repoUrl: 'https://github.com/acme/infra.git' });
      namespace.addScheduledJob('nightly', { ...scalaJob, schedule: '@daily', timeToLive: Duration.days(1) });
      expect(() => Testing.synth(gitops)).not.toThrow();
      namespace.addJob('etl', { ...scalaJob, timeToLive: Duration.hours(1) });
      expect(() => Testing.synth(gitops)).toThrow(/team-a\/etl\/Resource: timeToLive \(spec.timeToLiveSeconds\) makes the operator delete SparkApplication "etl" once it has run/);
    });

    test('a bad or too long runId', () => {
      const { namespace } = sparkFixture();
      expect(() => namespace.addJob('etl', { ...scalaJob, runId: 'Run 1' })).toThrow(/team-a\/etl: invalid prop "runId" "Run 1": must be a DNS-1123 label/);
      expect(() => namespace.addJob('etl-long', { ...scalaJob, name: 'etl', runId: 'x'.repeat(60) }))
        .toThrow(/team-a\/etl-long: invalid prop "name and runId" "etl-x+": must be at most 56 characters together \("<name>-<runId>"\)/);
    });
  });

  describe('rejects bad input with the construct path, the prop, the value and what is allowed', () => {
    const cases: Array<[string, any, RegExp]> = [
      ['a name that is not DNS-1123', { name: 'Daily_ETL' }, /team-a\/job: invalid prop "name" "Daily_ETL": must be a DNS-1123 label/],
      ['a name too long for the UI service', { name: 'a'.repeat(57) }, /invalid prop "name" "a{57}": must be at most 56 characters: .*"<name>-ui-svc"/],
      ['no image', { image: '' }, /invalid prop "image" "": is required/],
      ['an untagged image', { image: 'acme/etl' }, /invalid prop "image" "acme\/etl": must pin a tag other than "latest" or a digest/],
      ['a latest image', { image: 'acme/etl:latest' }, /must pin a tag other than "latest"/],
      ['a malformed image', { image: 'Acme ETL:1' }, /invalid prop "image" "Acme ETL:1": must be an image reference/],
      ['an EMRFS s3:// main file', { mainApplicationFile: 's3://bucket/etl.jar' }, /invalid prop "mainApplicationFile" "s3:\/\/bucket\/etl.jar": use "s3a:\/\/"/],
      ['a main file without a scheme', { mainApplicationFile: '/opt/app/etl.jar' }, /must be a URI with one of the schemes local:\/\//],
      ['a Scala job without a main class', { mainClass: undefined }, /invalid prop "mainClass" undefined: is required for Scala jobs/],
      ['a main class on a Python job', { type: SparkJobType.PYTHON, mainApplicationFile: 'local:///app/job.py' }, /invalid prop "mainClass" "com.acme.etl.Main": applies to Scala and Java jobs only/],
      ['an unknown type', { type: 'Go' }, /invalid prop "type" "Go": allowed: Scala, Java, Python, R/],
      ['a bad Spark version', { sparkVersion: '3.5' }, /invalid prop "sparkVersion" "3.5": must be a Spark release version/],
      ['a Spark release whose Hadoop the library does not know', { sparkVersion: '2.4.8' }, /invalid prop "sparkVersion" "2.4.8": the library knows the Hadoop bundled with Spark 3.3, 3.4, 3.5, 4.0, 4.1: give hadoopVersion/],
      ['a Hadoop version that is not Hadoop 3', { hadoopVersion: '2.7.4' }, /invalid prop "hadoopVersion" "2.7.4": must be a Hadoop 3 release version/],
      ['executor instances < 1', { executor: { instances: 0 } }, /invalid prop "executor.instances" 0: must be an integer >= 1/],
      ['driver cores < 1', { driver: { cores: 0.5 } }, /invalid prop "driver.cores" 0.5: must be an integer >= 1/],
      ['malformed memory', { executor: { memory: SparkMemory.of('4 GB') } }, /invalid prop "executor.memory" "4 GB": must be a Spark size/],
      ['memory without a unit', { driver: { memoryOverhead: SparkMemory.of('512') } }, /invalid prop "driver.memoryOverhead" "512"/],
      ['dynamic allocation min > max', { dynamicAllocation: { minExecutors: 5, maxExecutors: 2 } }, /"dynamicAllocation.minExecutors" 5: must be an integer between 0 and 2/],
      ['executor instances with dynamic allocation', { dynamicAllocation: { maxExecutors: 4 }, executor: { instances: 3 } }, /"executor.instances" 3: conflicts with dynamicAllocation/],
      ['a bad env name', { env: { '1BAD': 'x' } }, /invalid prop "env key" "1BAD"/],
      ['a bad label', { labels: { team: 'x y' } }, /invalid prop "labels\["team"\]" "x y"/],
      ['a fallback storage without spot resilience', { spotResilience: false, fallbackStorage: new S3Location({ bucketName: 'acme-spark' }) }, /invalid prop "fallbackStorage" "s3a:\/\/acme-spark": is used by spot decommissioning only/],
      ['root as the image user', { runAsUser: 0 }, /invalid prop "runAsUser" 0: is root: Spark pods run as non-root/],
      ['a negative group', { runAsGroup: -1 }, /invalid prop "runAsGroup" -1: must be an integer between 0 and 2147483647/],
    ];
    test.each(cases)('%s', (_what, override, error) => {
      const { namespace } = sparkFixture();
      expect(() => namespace.addJob('job', { ...scalaJob, ...override })).toThrow(error);
    });

    test('a retry policy with negative retries fails where it is made', () => {
      expect(() => RestartPolicy.onFailure({ retries: -1 })).toThrow('RestartPolicy.onFailure: invalid prop "retries" -1: must be an integer >= 0');
    });

    test('a job placed on a pool the platform does not have', () => {
      const { namespace } = sparkFixture();
      const stranger = new NodePool({ name: 'gpu', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.xlarge'] });
      expect(() => namespace.addJob('job', { ...scalaJob, executor: { placement: Placement.onPool(stranger) } }))
        .toThrow(/team-a\/job: invalid prop "executor.placement" "gpu": is not a pool of the platform: the operator knows "system", "spark-spot"/);
    });

    test('two jobs with the same name in one namespace', () => {
      const { namespace } = sparkFixture();
      namespace.addJob('etl', scalaJob);
      expect(() => namespace.addJob('etl-again', { ...scalaJob, name: 'etl' }))
        .toThrow(/team-a\/etl-again: invalid prop "name" "etl": a job named "etl" already exists in namespace "team-a" \(.*team-a\/etl\)/);
    });

    test('the same name in two namespaces is fine', () => {
      const { chart, operator, namespace } = sparkFixture();
      const other = operator.addTeam(new SparkTeam({ name: 'team-b' }));
      namespace.addJob('etl', scalaJob);
      other.addJob('etl', scalaJob);
      expect(synthValid(chart).filter(d => d.kind === 'SparkApplication')).toHaveLength(2);
    });
  });
});
