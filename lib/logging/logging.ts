import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FluentBitAgent, FluentBitOptions } from './fluent-bit-agent';
import { LogFlow, PlatformLogFlowOptions, TeamLogFlowOptions } from './log-flow';
import { LogIndex } from './log-index';
import { LogOutput, LogOutputOptions } from './log-output';
import { LoggingOperator } from './logging-operator';
import { SparkLogFormat } from './spark-log-format';
import { SyncWave } from '../delivery';
import { restrictedContainer } from '../policy/internal';
import { Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { JobNamespace, PlatformPriority } from '../spark';
import { checkArgs, checkDns1123Label, checkDns1123Subdomain, checkInteger, checkLabels, checkShape, checkTaggedImage, invalidProp, synthWarning, wiringProblem } from '../validation';

/**
 * How fluentd, which routes and ships every log, runs in the control namespace.
 */
export interface FluentdOptions {
  /**
   * The fluentd image, pinned by tag.
   *
   * @default Logging.DEFAULT_FLUENTD_IMAGE
   */
  readonly image?: string;

  /**
   * Replicas (a StatefulSet: each has its own buffer volume).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The CPU request of each replica.
   *
   * @default Cpu.millis(500)
   */
  readonly cpu?: kplus.Cpu;

  /**
   * The memory of each replica (request and limit).
   *
   * @default Size.gibibytes(1)
   */
  readonly memory?: Size;

  /**
   * The size of each replica's buffer volume: it must hold the buffers of every output (their
   * `buffer.totalLimit`), or a long outage of a log store fills the disk.
   *
   * @default Size.gibibytes(20)
   */
  readonly bufferVolumeSize?: Size;

  /**
   * The StorageClass of the buffer volumes (on EKS, an EBS CSI driver class such as `EbsStorageClass`'s).
   *
   * @default - the cluster's default StorageClass
   */
  readonly bufferStorageClassName?: string;

  /**
   * Where fluentd runs. Must not include a spot pool.
   *
   * @default - the operator's placement
   */
  readonly placement?: Placement;
}

/**
 * Properties of a `Logging`.
 */
export interface LoggingProps {
  /** The logging-operator that runs it; its namespace is the control namespace. */
  readonly operator: LoggingOperator;

  /**
   * The name of the Logging (cluster-scoped) and of its FluentbitAgent.
   *
   * @default 'spark-platform'
   */
  readonly name?: string;

  /**
   * fluentd.
   *
   * @default - 2 replicas of `DEFAULT_FLUENTD_IMAGE` on the operator's pools, 500m CPU and 1 GiB each, 20 GiB buffer volumes
   */
  readonly fluentd?: FluentdOptions;

  /**
   * fluent-bit.
   *
   * @default - `FluentBitAgent.DEFAULT_IMAGE` on every node, 100m CPU and 256 MiB each
   */
  readonly fluentBit?: FluentBitOptions;
}

// The user and group the operator runs fluentd as (fluentd_types.go SetDefaults); fsGroup makes the buffer volume writable.
const FLUENTD_UID = 100;
const FLUENTD_GID = 101;

/**
 * A logging-operator `Logging`: the control namespace (the operator's), fluentd with its buffers on persistent
 * volumes (a restart loses nothing buffered) on on-demand capacity, and fluent-bit on every node of every pool.
 * Teams get outputs (`addTeamOutput`) and flows (`addTeamFlow`) in their namespaces; the platform gets cluster
 * outputs and a ClusterFlow for its own components. Every reference is checked at synth, and a team namespace
 * without a flow is reported.
 */
export class Logging extends Construct {
  /** The fluentd image the library is tested with (the logging-operator 6.7 default, `-full` with every plugin). */
  public static readonly DEFAULT_FLUENTD_IMAGE = 'ghcr.io/kube-logging/logging-operator/fluentd:6.7.0-full';

  /** The Logging's name. */
  public readonly name: string;
  /** The control namespace: fluentd, fluent-bit and the cluster outputs and flows live there. */
  public readonly controlNamespace: string;
  /** The operator. */
  public readonly operator: LoggingOperator;
  /** Where fluentd runs. */
  public readonly fluentdPlacement: Placement;
  /** The size of each fluentd buffer volume. */
  public readonly bufferVolumeSize: Size;
  /** The fluent-bit agent. */
  public readonly fluentBit: FluentBitAgent;
  /** The Logging. */
  public readonly apiObject: ApiObject;
  private readonly outputs: LogOutput[] = [];
  private readonly flows: LogFlow[] = [];

  public constructor(scope: Construct, id: string, props: LoggingProps) {
    super(scope, id);
    checkShape(this, 'LoggingProps', props, 'props');
    if (!(props.operator instanceof LoggingOperator)) throw invalidProp(this, 'operator', props.operator, 'must be the platform\'s LoggingOperator');
    this.operator = props.operator;
    this.name = checkDns1123Label(this, 'name', props.name ?? 'spark-platform');
    this.controlNamespace = props.operator.namespace;
    const fluentd = props.fluentd ?? {};
    this.fluentdPlacement = fluentd.placement ? componentPlacement(this, props.operator.nodePools, fluentd.placement, 'fluentd') : props.operator.placement;
    this.bufferVolumeSize = fluentd.bufferVolumeSize ?? Size.gibibytes(20);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind: 'Logging',
      metadata: { name: this.name },
      spec: {
        // Immutable upstream (logging_types.go): changing it means a new Logging.
        controlNamespace: this.controlNamespace,
        // Let the operator recreate fluentd's StatefulSet when an immutable field changes (the volumes stay).
        enableRecreateWorkloadOnImmutableFieldChange: true,
        // Every flow's filters read a container's text from `log`, the key fluent-bit's multiline `cri` parser
        // writes (FluentBitAgent): the operator's default log key follows this flag, not fluent-bit
        // (kube-logging/logging-operator 6.7.0 controllers/logging/logging_controller.go GetLogKey).
        enableDockerParserCompatibilityForCRI: true,
        fluentd: this.renderFluentd(fluentd),
      },
    });
    SyncWave.markCustomResource(this.apiObject);
    this.fluentBit = FluentBitAgent._of(this, 'FluentBit', { ...props.fluentBit, loggingName: this.name, nodePools: props.operator.nodePools });
    this.node.addValidation({ validate: () => this.checkWiring() });
  }

  /**
   * Adds an output in a team's namespace (an `Output`), which only that team's flows may reference. Its password
   * Secret must be in that namespace.
   *
   * @param namespace the team's job namespace
   * @param id the construct id (and, by default, the Output's name)
   * @param options the log store, its address, index (default: daily `spark-<namespace>-YYYY.MM.DD`), credentials and buffer
   */
  public addTeamOutput(namespace: JobNamespace, id: string, options: LogOutputOptions): LogOutput {
    checkArgs(this, 'Logging', 'addTeamOutput', [namespace, id, options]);
    checkShape(`${this.node.path}/${namespace?.name}-${id}`, 'LogOutputOptions', options, 'options');
    checkJobNamespace(this, namespace);
    return this.track(this.outputs, LogOutput._of(this, `${namespace.name}-${id}`, {
      ...options, name: options.name ?? id, logging: this, namespace: namespace.name, cluster: false, defaultIndex: LogIndex.daily(`spark-${namespace.name}`),
    }));
  }

  /**
   * Adds a platform-wide output (a `ClusterOutput` in the control namespace), which every flow may reference.
   * Its password Secret must be in the control namespace.
   *
   * @param id the construct id (and, by default, the ClusterOutput's name)
   * @param options the log store, its address, index (default: daily `spark-platform-YYYY.MM.DD`), credentials and buffer
   */
  public addClusterOutput(id: string, options: LogOutputOptions): LogOutput {
    checkArgs(this, 'Logging', 'addClusterOutput', [id, options]);
    checkShape(`${this.node.path}/${id}`, 'LogOutputOptions', options, 'options');
    return this.track(this.outputs, LogOutput._of(this, id, {
      ...options, logging: this, namespace: this.controlNamespace, cluster: true, defaultIndex: LogIndex.daily('spark-platform'),
    }));
  }

  /**
   * Adds a team's `Flow`: the logs of its Spark drivers and executors, stack traces joined, Spark's layout
   * parsed into `time`, `level`, `logger` and `message`, with the fields `namespace`, `pod`, `container`,
   * `spark_app`, `spark_role`, `team` and `cost_center`, sent to the outputs given.
   *
   * @param namespace the team's job namespace
   * @param options the outputs, and optionally other pods and more filters
   */
  public addTeamFlow(namespace: JobNamespace, options: TeamLogFlowOptions): LogFlow {
    checkArgs(this, 'Logging', 'addTeamFlow', [namespace, options]);
    checkShape(this, 'TeamLogFlowOptions', options, 'options');
    checkJobNamespace(this, namespace);
    const name = options.name ?? 'spark-jobs';
    const id = `${namespace.name}-${name}`;
    if (this.node.tryFindChild(id)) throw invalidProp(this, 'name', name, `is taken: namespace "${namespace.name}" already has a flow of this name`);
    const podLabels = options.podLabels ?? { ...SparkLogFormat.SPARK_POD_LABELS };
    checkLabels(`${this.node.path}/${id}`, 'podLabels', podLabels);
    if (Object.keys(podLabels).length === 0) throw invalidProp(`${this.node.path}/${id}`, 'podLabels', podLabels, 'must select by at least one label');
    return this.track(this.flows, LogFlow._of(this, id, {
      logging: this,
      name,
      namespace: namespace.name,
      cluster: false,
      outputs: options.outputs,
      match: [{ select: { labels: podLabels } }],
      filters: SparkLogFormat.filters(),
      extraFilters: options.extraFilters ?? [],
    }));
  }

  /**
   * Adds the platform's `ClusterFlow` (in the control namespace): the logs of every pod in the platform's own
   * namespaces, exceptions joined, sent to cluster outputs.
   */
  public addPlatformFlow(options: PlatformLogFlowOptions): LogFlow {
    checkShape(this, 'PlatformLogFlowOptions', options, 'options');
    const name = options.name ?? 'platform';
    if (!Array.isArray(options.namespaces) || options.namespaces.length === 0) {
      throw invalidProp(`${this.node.path}/${name}`, 'namespaces', options.namespaces, 'must list the namespaces of the platform\'s components');
    }
    options.namespaces.forEach((ns, i) => checkDns1123Label(`${this.node.path}/${name}`, `namespaces[${i}]`, ns));
    return this.track(this.flows, LogFlow._of(this, name, {
      logging: this,
      name,
      namespace: this.controlNamespace,
      cluster: true,
      outputs: options.outputs,
      match: [{ select: { namespaces: [...options.namespaces] } }],
      filters: [{ detectExceptions: { ...SparkLogFormat.DETECT_EXCEPTIONS, languages: ['java', 'go', 'python'] } }],
      extraFilters: options.extraFilters ?? [],
    }));
  }

  private renderFluentd(options: FluentdOptions): { [key: string]: any } {
    const replicas = checkInteger(this, 'fluentd.replicas', options.replicas ?? 2, 1);
    const memoryMiB = checkInteger(this, 'fluentd.memory', (options.memory ?? Size.gibibytes(1)).toMebibytes(), 128);
    const volumeGiB = checkInteger(this, 'fluentd.bufferVolumeSize', this.bufferVolumeSize.toGibibytes(), 1);
    if (options.bufferStorageClassName !== undefined) checkDns1123Subdomain(this, 'fluentd.bufferStorageClassName', options.bufferStorageClassName);
    const ids = { runAsUser: FLUENTD_UID, runAsGroup: FLUENTD_GID, runAsNonRoot: true };
    return {
      image: checkTaggedImage(this, 'fluentd.image', options.image ?? Logging.DEFAULT_FLUENTD_IMAGE),
      // On scale-down, a drain job ships what a removed replica still buffers.
      scaling: { replicas, drain: { enabled: true } },
      podPriorityClassName: PlatformPriority.COMPONENTS,
      ...(replicas > 1 ? { pdb: { minAvailable: replicas - 1 } } : {}),
      resources: {
        requests: { cpu: (options.cpu ?? kplus.Cpu.millis(500)).amount, memory: `${memoryMiB}Mi` },
        limits: { memory: `${memoryMiB}Mi` },
      },
      // One ReadWriteOnce claim per replica (volumeClaimTemplates): buffered chunks survive a restart.
      bufferStorageVolume: {
        pvc: {
          spec: {
            accessModes: ['ReadWriteOnce'],
            volumeMode: 'Filesystem',
            resources: { requests: { storage: `${volumeGiB}Gi` } },
            ...(options.bufferStorageClassName !== undefined ? { storageClassName: options.bufferStorageClassName } : {}),
          },
        },
      },
      ...this.fluentdPlacement.schedulingValues,
      security: {
        podSecurityContext: { ...ids, fsGroup: FLUENTD_GID, seccompProfile: { type: 'RuntimeDefault' } },
        securityContext: { ...ids, ...restrictedContainer({ runAsNonRoot: false, readOnlyRootFilesystem: false }) },
      },
      // The operator's probes (pkg/sdk/logging/api/v1beta1/fluentd_types.go SetDefaults, pkg/resources/fluentd/
      // statefulset.go generateReadinessCheck): alive while /bin/healthy.sh passes; ready while the buffer volume
      // has free space and a bounded number of chunks, so a replica that cannot flush stops receiving logs.
      livenessDefaultCheck: true,
      readinessDefaultCheck: { bufferFreeSpace: true, bufferFileNumber: true },
    };
  }

  private track<T extends LogOutput | LogFlow>(list: T[], item: T): T {
    list.push(item);
    return item;
  }

  private checkWiring(): string[] {
    const errors: string[] = [];
    // Nothing here sets a loggingRef, and the operator binds a resource to every Logging whose loggingRef equals
    // its own (resources/model/repository.go): a second Logging would run every flow twice.
    const all = this.node.root.node.findAll();
    const loggings = all.filter((c): c is Logging => c instanceof Logging);
    if (loggings.length > 1 && loggings[0] === this) {
      errors.push(wiringProblem(this, `the app has ${loggings.length} Loggings (${loggings.map(l => l.node.path).join(', ')}): `
        + 'each would process every flow and output; use one Logging for the cluster'));
    }
    const seen = new Map<string, LogOutput>();
    for (const output of this.outputs) {
      const key = `${output.cluster ? 'ClusterOutput' : 'Output'} ${output.namespace}/${output.name}`;
      const other = seen.get(key);
      if (other) errors.push(wiringProblem(output, `${key} is also ${other.node.path}: give one of them another name`));
      seen.set(key, output);
    }
    // Every output may buffer up to its total limit on each replica's volume.
    // fluentd runs one instance of an output, with its own buffer, per flow that references it (logging-operator
    // 6.7.0 pkg/resources/model/system.go: each flow renders its outputs into its own label section).
    const instances = this.flows.flatMap(f => f.outputs);
    const buffered = instances.reduce((sum, o) => sum + o.bufferTotalLimit.toMebibytes(), 0);
    if (buffered > this.bufferVolumeSize.toMebibytes()) {
      errors.push(wiringProblem(this, `the outputs may buffer ${Math.ceil(buffered / 1024)} GiB together (buffer.totalLimit of ${instances.length} output instances: one per flow that references an output), `
        + `more than fluentd's ${this.bufferVolumeSize.toGibibytes()} GiB buffer volume: a long outage would fill the disk; raise fluentd.bufferVolumeSize or lower buffer.totalLimit`));
    }
    // An output no flow references receives nothing: whatever it was added for, its logs go nowhere.
    const referenced = new Set(this.flows.flatMap(f => f.outputs));
    for (const output of this.outputs.filter(o => !referenced.has(o))) {
      errors.push(wiringProblem(output, `${output.cluster ? 'ClusterOutput' : 'Output'} ${output.namespace}/${output.name} is referenced by no Flow or ClusterFlow: `
        + 'no log reaches it; reference it from a flow (addTeamFlow, addPlatformFlow) or remove it'));
    }
    const flowNamespaces = new Set(this.flows.filter(f => !f.cluster).map(f => f.namespace));
    for (const namespace of all.filter((c): c is JobNamespace => c instanceof JobNamespace)) {
      if (!flowNamespaces.has(namespace.name)) {
        synthWarning(this, `job namespace "${namespace.name}" (${namespace.node.path}) has no Flow: the logs of its Spark jobs go nowhere; add one with addTeamFlow`);
      }
    }
    return errors;
  }
}

function checkJobNamespace(where: Construct, namespace: JobNamespace): void {
  if (!(namespace instanceof JobNamespace)) throw invalidProp(where, 'namespace', namespace, 'must be a JobNamespace (SparkOperator.addTeam)');
}
