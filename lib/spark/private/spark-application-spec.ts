import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IJobNamespace } from '../interfaces';
import { namespaceFitProblems } from './namespace-fit';
import { PlatformPriority } from '../platform-priority';
import { RestartPolicy } from '../restart-policy';
import { SparkApplicationOptions, SparkJobType, SparkPodOptions } from '../spark-application-options';
import { checkDriverPlacement, checkSparkSettings } from './spark-conf-checks';
import { SparkLabels } from '../spark-labels';
import { SparkLogLayout } from '../spark-log-layout';
import { SparkMemory } from '../spark-memory';
import { SparkPodRequest, capacityProblems, sparkPodRequest } from './spark-pod-resources';
import { SparkPorts } from '../spark-ports';
import { SparkSettings } from '../spark-settings';
import type { SparkTeam } from '../spark-team';
import { awsSdkMajorOf, bundledHadoopVersion, checkHadoopVersion, checkSparkVersion } from './spark-version';
import { WorkloadIdentity } from '../../bindings';
import { AppFacts } from '../../facts';
import { restrictedContainer } from '../../policy/internal';
import { NodePool, Placement } from '../../scheduling';
import { S3Location } from '../../storage';
import { checkDns1123Label, checkInteger, checkLabels, checkOneOf, checkPinnedImage, invalidProp, isUnresolvedToken } from '../../validation';

const URI_SCHEMES = ['local', 's3a', 'https', 'http', 'hdfs', 'file', 'abfss', 'gs'];
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const DEFAULT_DRIVER_MEMORY = SparkMemory.of('2g');
const DEFAULT_EXECUTOR_MEMORY = SparkMemory.of('4g');
// The `spark` user and group of the official apache/spark images (apache/spark-docker Dockerfile.template:
// `useradd --system --uid=185`, then `USER spark`).
const SPARK_IMAGE_UID = 185;
const MAX_ID = 2147483647;

/**
 * The spec of a SparkApplication, validated when the job is built and rendered at synth. Shared by every
 * construct that renders one: `SparkJob`, `ScheduledSparkJob` (as its template) and pipelines.
 */
export class SparkApplicationSpec {
  /** `<name>-ui-svc` is a Service name (a DNS-1035 label of at most 63 characters). */
  public static readonly SPARK_APPLICATION_NAME_MAX = 63 - '-ui-svc'.length;
  /**
   * A scheduled run is named `<name>-<UnixNano>` (19 digits at the operator's default nanosecond precision),
   * and its UI service `<run>-ui-svc`.
   */
  public static readonly SCHEDULED_NAME_MAX = 63 - '-ui-svc'.length - '-'.length - 19;

  /** The job's name: the `SparkLabels.JOB` label and the metrics namespace. */
  public readonly name: string;
  /** The SparkApplication's name: the job's name, and `-<runId>` for a run with an id. */
  public readonly objectName: string;
  public readonly labels: { [key: string]: string };
  /** What each driver pod requests. */
  public readonly driverRequest: SparkPodRequest;
  /** What each executor pod requests. */
  public readonly executorRequest: SparkPodRequest;
  private readonly podLabels: { [key: string]: string };
  private readonly hadoopVersion: string;
  private readonly driverPlacement: Placement;
  private readonly executorPlacement: Placement;
  private readonly spotResilience: boolean;
  private readonly restartPolicy: RestartPolicy;
  private readonly runAsUser: number;
  private readonly runAsGroup: number;
  private sparkConfCache?: { [key: string]: string };
  private hadoopConfCache?: { [key: string]: string };

  public constructor(
    private readonly scope: Construct,
    private readonly props: SparkApplicationOptions & { namespace: IJobNamespace },
    jobName: string,
    maxNameLength: number,
    runId?: string,
    defaultRestartPolicy: RestartPolicy = RestartPolicy.onFailure(),
  ) {
    this.name = checkDns1123Label(scope, 'name', jobName);
    if (runId !== undefined) checkDns1123Label(scope, 'runId', runId);
    this.objectName = checkName(scope, runId === undefined ? jobName : `${jobName}-${runId}`, maxNameLength, runId !== undefined);
    const p = props;
    checkApplication(scope, p);
    checkSparkSettings(scope, p);
    this.hadoopVersion = hadoopVersionOf(scope, p);
    checkResources(scope, p);
    if (p.runAsUser === 0) throw invalidProp(scope, 'runAsUser', 0, 'is root: Spark pods run as non-root; give the non-root uid of the image\'s user');
    this.runAsUser = checkInteger(scope, 'runAsUser', p.runAsUser ?? SPARK_IMAGE_UID, 1, MAX_ID);
    this.runAsGroup = checkInteger(scope, 'runAsGroup', p.runAsGroup ?? SPARK_IMAGE_UID, 0, MAX_ID);
    if (p.timeToLive !== undefined) checkInteger(scope, 'timeToLive', p.timeToLive.toSeconds(), 1);

    const operator = p.namespace.operator;
    this.driverPlacement = p.driver?.placement ?? operator.driverPlacement;
    this.executorPlacement = p.executor?.placement ?? operator.executorPlacement;
    checkPoolsKnown(scope, 'driver.placement', this.driverPlacement, operator.nodePools);
    if (p.driver?.placement) checkDriverPlacement(scope, 'driver.placement', p.driver.placement);
    checkPoolsKnown(scope, 'executor.placement', this.executorPlacement, operator.nodePools);
    this.spotResilience = p.spotResilience ?? this.executorPlacement.pools.some(pool => pool.isSpot);
    if (p.fallbackStorage && !this.spotResilience) {
      throw invalidProp(scope, 'fallbackStorage', p.fallbackStorage.s3aUri, 'is used by spot decommissioning only, which is off for this job');
    }
    if (p.fallbackStorage) checkFallbackStorage(scope, p.fallbackStorage, p.namespace.team, operator.eventLogs.bucketName);
    this.restartPolicy = p.restartPolicy ?? defaultRestartPolicy;
    this.restartPolicy._render(scope, 'restartPolicy');

    this.labels = { ...p.namespace.podLabels, [SparkLabels.JOB]: this.name, ...p.labels };
    AppFacts.of(scope).eventLogWriters.set(scope, () => {
      const conf = this.sparkConf;
      return conf['spark.eventLog.enabled'] === 'true' ? conf['spark.eventLog.dir'] : undefined;
    });
    this.podLabels = { ...this.labels, ...(p.metrics ?? true ? { [SparkLabels.METRICS]: 'prometheus' } : {}) };
    this.driverRequest = sparkPodRequest(scope, p, 'driver');
    this.executorRequest = sparkPodRequest(scope, p, 'executor');
    // Every pod must fit a node of each pool it may land on, or it stays Pending (checked at synth: the
    // platform's daemon sets are known then).
    scope.node.addValidation({
      validate: () => [
        ...capacityProblems(scope, 'driver', p, this.driverRequest, this.driverPlacement),
        ...capacityProblems(scope, 'executor', p, this.executorRequest, this.executorPlacement),
        ...namespaceFitProblems(scope, p.namespace.team, p, this.driverRequest, this.executorRequest),
      ],
    });
  }

  /**
   * The SparkApplication as a plain manifest, for a workflow to create at run time: named
   * `<generateName><5 random characters>` by the API server, with `labels` added to the job's.
   */
  public manifest(generateName: string, labels: { [key: string]: string }): { [key: string]: any } {
    return {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { generateName, namespace: this.props.namespace.name, labels: { ...this.labels, ...labels } },
      spec: this.render(),
    };
  }

  /**
   * Renders a SparkApplication or ScheduledSparkApplication under `scope` with id `Resource`, its spec
   * produced at synth.
   */
  public renderApiObject(kind: string, produceSpec: () => { [key: string]: any }): ApiObject {
    return new ApiObject(this.scope, 'Resource', {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind,
      metadata: { name: this.objectName, namespace: this.props.namespace.name, labels: this.labels },
      spec: Lazy.any({ produce: produceSpec }),
    });
  }

  /** The Spark settings the library derives, with the job's own `sparkConf` applied last. */
  public get sparkConf(): { [key: string]: string } {
    // Built from what the job was constructed with: once (every synth reads it several times), a copy each time.
    this.sparkConfCache ??= this.buildSparkConf();
    return { ...this.sparkConfCache };
  }

  /** The Hadoop settings the library derives, with the job's own `hadoopConf` applied last. */
  public get hadoopConf(): { [key: string]: string } {
    this.hadoopConfCache ??= this.buildHadoopConf();
    return { ...this.hadoopConfCache };
  }

  private buildSparkConf(): { [key: string]: string } {
    const operator = this.props.namespace.operator;
    return sorted({
      ...(this.props.eventLogs ?? true ? SparkSettings.eventLogs(operator.eventLogs) : {}),
      ...(this.spotResilience ? SparkSettings.spotDecommissioning(this.props.fallbackStorage) : {}),
      ...(this.props.metrics ?? true ? SparkSettings.prometheusMetrics(this.name) : {}),
      ...SparkPorts.settings(),
      ...(this.props.structuredLogs ?? true ? SparkLogLayout.settings() : {}),
      ...this.props.sparkConf,
    });
  }

  private buildHadoopConf(): { [key: string]: string } {
    const region = this.props.namespace.operator.region;
    return sorted({
      ...SparkSettings.s3aCredentials(this.hadoopVersion, this.props.namespace.team.serviceAccount.identity),
      ...SparkSettings.s3aDirectoryMarkers(this.hadoopVersion),
      'fs.s3a.endpoint.region': region,
      ...this.props.hadoopConf,
    });
  }

  // What the driver and the executors share: memory, JVM options, service account, labels, env, security,
  // placement.
  private podFields(options: SparkPodOptions, defaultMemory: SparkMemory, placement: Placement, request: SparkPodRequest,
    priorityClassName: string): { [key: string]: any } {
    const env = Object.entries(this.props.env ?? {}).map(([name, value]) => ({ name, value }));
    return {
      memory: (options.memory ?? defaultMemory).value,
      // Always explicit, so the pod's memory is the one the capacity check computed.
      memoryOverhead: options.memoryOverhead?.value ?? `${request.overheadMiB}m`,
      coreRequest: options.coreRequest ? `${request.cpuMillis}m` : undefined,
      // Set on the pods by the operator's webhook (sparkpod_defaulter.go addPriorityClassName).
      priorityClassName,
      javaOptions: options.javaOptions,
      serviceAccount: this.props.namespace.serviceAccountName,
      labels: this.podLabels,
      env: env.length ? env : undefined,
      // Mounted by the operator's webhook (sparkpod_defaulter.go addGeneralConfigMaps) as `<name>-vol`.
      configMaps: this.props.structuredLogs ?? true ? [SparkLogLayout.configMapMount()] : undefined,
      // The kubelet cannot verify runAsNonRoot against an image whose USER is a name (apache/spark's `spark`)
      // and refuses the container unless runAsUser is numeric (kubelet verifyRunAsNonRoot).
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: this.runAsUser,
        runAsGroup: this.runAsGroup,
        fsGroup: this.runAsGroup,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      securityContext: { ...restrictedContainer(CONTAINER_SECURITY), runAsUser: this.runAsUser, runAsGroup: this.runAsGroup },
      ...placementFields(placement),
    };
  }

  /** The SparkApplication spec. */
  public render(): { [key: string]: any } {
    const p = this.props;
    const da = p.dynamicAllocation;
    return {
      type: p.type,
      mode: 'cluster',
      image: p.image,
      imagePullPolicy: p.imagePullPolicy ?? kplus.ImagePullPolicy.IF_NOT_PRESENT,
      mainApplicationFile: p.mainApplicationFile,
      mainClass: p.mainClass,
      arguments: p.arguments?.length ? [...p.arguments] : undefined,
      sparkVersion: p.sparkVersion,
      sparkConf: this.sparkConf,
      hadoopConf: this.hadoopConf,
      restartPolicy: this.restartPolicy._render(this.scope, 'restartPolicy'),
      timeToLiveSeconds: p.timeToLive?.toSeconds(),
      dynamicAllocation: da ? {
        enabled: true,
        minExecutors: da.minExecutors ?? 0,
        initialExecutors: da.initialExecutors ?? da.minExecutors ?? 0,
        maxExecutors: da.maxExecutors,
        shuffleTrackingEnabled: true,
        shuffleTrackingTimeout: da.shuffleTrackingTimeout?.toMilliseconds(),
      } : undefined,
      driver: {
        ...this.podFields(p.driver ?? {}, DEFAULT_DRIVER_MEMORY, this.driverPlacement, this.driverRequest, PlatformPriority.DRIVERS),
        cores: p.driver?.cores ?? 1,
        // Karpenter neither consolidates nor drifts a node while a driver runs there: the job would fail with it.
        annotations: AppFacts.of(this.scope).karpenter ? { [DO_NOT_DISRUPT]: 'true' } : undefined,
      },
      executor: {
        ...this.podFields(p.executor ?? {}, DEFAULT_EXECUTOR_MEMORY, this.executorPlacement, this.executorRequest, PlatformPriority.EXECUTORS),
        cores: p.executor?.cores ?? 2,
        instances: da ? undefined : p.executor?.instances ?? 2,
      },
    };
  }
}

// kubernetes-sigs/karpenter pkg/apis/v1/labels.go DoNotDisruptAnnotationKey.
const DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';

// Spark needs no privilege: non-root, no escalation, no capabilities, the runtime's default seccomp profile (its
// local dirs are in the image: the root filesystem stays writable).
const CONTAINER_SECURITY = { readOnlyRootFilesystem: false, seccompProfile: true };

function placementFields(placement: Placement): { [key: string]: any } {
  const tolerations = placement.tolerations;
  return { tolerations: tolerations.length ? tolerations : undefined, nodeSelector: placement.nodeSelector, affinity: placement.affinity };
}

// What the application is: its type, image, main file and class.
function checkApplication(where: Construct, p: SparkApplicationOptions): void {
  checkOneOf(where, 'type', p.type, Object.values(SparkJobType));
  checkPinnedImage(where, 'image', p.image, 'every run must use the same code');
  checkMainApplicationFile(where, p.mainApplicationFile);
  const jvm = p.type === SparkJobType.SCALA || p.type === SparkJobType.JAVA;
  if (jvm && !p.mainClass) throw invalidProp(where, 'mainClass', p.mainClass, `is required for ${p.type} jobs (the class with the main method)`);
  if (!jvm && p.mainClass !== undefined) {
    throw invalidProp(where, 'mainClass', p.mainClass, `applies to Scala and Java jobs only; a ${p.type} job runs its mainApplicationFile`);
  }
  for (const name of Object.keys(p.env ?? {})) {
    if (!ENV_NAME.test(name)) throw invalidProp(where, 'env key', name, 'must be an environment variable name: letters, digits, \'_\', \'-\', \'.\', not starting with a digit');
  }
  checkLabels(where, 'labels', p.labels);
}

// The Hadoop of the image decides S3A's credential provider; EKS Pod Identity needs its AWS SDK v2.
function hadoopVersionOf(where: Construct, p: SparkApplicationOptions & { namespace: IJobNamespace }): string {
  checkSparkVersion(where, 'sparkVersion', p.sparkVersion, p.hadoopVersion !== undefined);
  const hadoopVersion = p.hadoopVersion !== undefined ? checkHadoopVersion(where, 'hadoopVersion', p.hadoopVersion) : bundledHadoopVersion(p.sparkVersion);
  const team = p.namespace.team;
  if (team.serviceAccount.identity === WorkloadIdentity.POD_IDENTITY && awsSdkMajorOf(hadoopVersion) < 2) {
    throw invalidProp(where, 'sparkVersion', p.sparkVersion, `runs Hadoop ${hadoopVersion} (AWS SDK v1), which cannot get credentials from `
      + `EKS Pod Identity, the identity of team "${team.name}": use IRSA for the team, or an image with Hadoop 3.4 or later (Spark 4, or hadoopVersion)`);
  }
  return hadoopVersion;
}

// Cores, instances, memory and dynamic allocation.
function checkResources(where: Construct, p: SparkApplicationOptions): void {
  checkInteger(where, 'driver.cores', p.driver?.cores ?? 1, 1);
  checkInteger(where, 'executor.cores', p.executor?.cores ?? 2, 1);
  checkInteger(where, 'executor.instances', p.executor?.instances ?? 2, 1);
  for (const [prop, memory] of [
    ['driver.memory', p.driver?.memory], ['driver.memoryOverhead', p.driver?.memoryOverhead],
    ['executor.memory', p.executor?.memory], ['executor.memoryOverhead', p.executor?.memoryOverhead],
  ] as const) {
    if (memory && memory.problem) throw invalidProp(where, prop, memory.value, memory.problem);
  }
  if (p.dynamicAllocation) checkDynamicAllocation(where, p);
}

function checkName(where: Construct, name: string, max: number, withRunId: boolean): string {
  if (name.length > max) {
    throw invalidProp(where, withRunId ? 'name and runId' : 'name', name, `must be at most ${max} characters${withRunId ? ' together ("<name>-<runId>")' : ''}: the operator derives longer names from it `
      + `(the UI service "<name>-ui-svc"${max < SparkApplicationSpec.SPARK_APPLICATION_NAME_MAX ? ' of each run "<name>-<timestamp>"' : ''}), which must stay within 63`);
  }
  return name;
}

function checkMainApplicationFile(where: Construct, file: string): void {
  const scheme = typeof file === 'string' ? /^([a-z][a-z0-9+.-]*):\/\//.exec(file)?.[1] : undefined;
  if (scheme === 's3' || scheme === 's3n') {
    throw invalidProp(where, 'mainApplicationFile', file, `use "s3a://": "${scheme}://" is EMRFS, which exists on EMR only`);
  }
  if (!scheme || !URI_SCHEMES.includes(scheme)) {
    throw invalidProp(where, 'mainApplicationFile', file,
      `must be a URI with one of the schemes ${URI_SCHEMES.map(s => `${s}://`).join(', ')} (e.g. "local:///opt/app/job.jar" for a file in the image)`);
  }
}

function checkDynamicAllocation(where: Construct, p: SparkApplicationOptions): void {
  const da = p.dynamicAllocation!;
  const max = checkInteger(where, 'dynamicAllocation.maxExecutors', da.maxExecutors, 1);
  const min = checkInteger(where, 'dynamicAllocation.minExecutors', da.minExecutors ?? 0, 0, max);
  checkInteger(where, 'dynamicAllocation.initialExecutors', da.initialExecutors ?? min, min, max);
  if (p.executor?.instances !== undefined) {
    throw invalidProp(where, 'executor.instances', p.executor.instances, 'conflicts with dynamicAllocation: set dynamicAllocation.initialExecutors instead');
  }
}

function checkPoolsKnown(where: Construct, prop: string, placement: Placement, pools: NodePool[]): void {
  for (const pool of placement.pools) {
    if (!pools.includes(pool)) {
      throw invalidProp(where, prop, pool.name, `is not a pool of the platform: the operator knows ${pools.map(p => `"${p.name}"`).join(', ')}`);
    }
  }
}

function sorted(map: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Executors of a reclaimed spot node write their blocks to the fallback storage with the team's role: it must
// lie in a prefix the team may write (S3 would answer 403 and the blocks would be lost with the node).
function checkFallbackStorage(where: Construct, location: S3Location, team: SparkTeam, platformBucket: string): void {
  const prefix = location.prefix;
  const inside = team.readWritePrefixes.some(p => prefix === p || prefix.startsWith(`${p}/`));
  const sameBucket = isUnresolvedToken(location.bucketName) || isUnresolvedToken(platformBucket) || location.bucketName === platformBucket;
  if (!inside || !sameBucket) {
    const allowed = team.readWritePrefixes.length
      ? `a location in the platform bucket below one of team "${team.name}"'s readWritePrefixes (${team.readWritePrefixes.join(', ')}), e.g. "s3a://${platformBucket}/${team.readWritePrefixes[0]}/spark-fallback"`
      : `a location below one of team "${team.name}"'s readWritePrefixes, and the team has none: give it one`;
    throw invalidProp(where, 'fallbackStorage', location.s3aUri,
      `is not writable by the team's role, so executors of a reclaimed spot node could not save their blocks there (403): must be ${allowed}`);
  }
}
