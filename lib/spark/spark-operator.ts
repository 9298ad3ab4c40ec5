import { Construct } from 'constructs';
import { JobNamespace, JobNamespaceOptions } from './job-namespace';
import { SparkOperatorRelease } from './spark-operator-release';
import { PlatformBindings } from '../bindings';
import { NodePool, Placement } from '../scheduling';
import { EventLogLocation } from '../storage';
import { checkAwsRegion, checkInteger, invalidProp } from '../validation';

/**
 * Properties of a `SparkOperator`.
 */
export interface SparkOperatorProps {
  /**
   * Every node pool of the platform. Jobs may be placed on these pools only.
   */
  readonly nodePools: NodePool[];

  /**
   * The values from the AWS side: the event-log location (bucket and prefix), the region, and the IAM role of
   * each job namespace's service account (`<namespace>/<service account>`).
   *
   * @default - none: give `eventLogs`, and a role to each job namespace
   */
  readonly bindings?: PlatformBindings;

  /**
   * The one S3 location every job writes its event logs to (and the history server reads).
   *
   * @default - bindings.bucketName and bindings.eventLogPrefix
   */
  readonly eventLogs?: EventLogLocation;

  /**
   * Where Spark drivers run unless a job says otherwise.
   *
   * @default - the on-demand pools: a driver lost to a spot reclaim loses the whole job
   */
  readonly driverPlacement?: Placement;

  /**
   * Where Spark executors run unless a job says otherwise.
   *
   * @default - the spot pools, or the on-demand pools when there is no spot pool
   */
  readonly executorPlacement?: Placement;

  /**
   * Where the operator's controller and webhook run. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly operatorPlacement?: Placement;

  /**
   * The namespace the operator is installed in.
   *
   * @default 'spark-operator'
   */
  readonly namespace?: string;

  /**
   * The Helm release name.
   *
   * @default 'spark-operator'
   */
  readonly releaseName?: string;

  /**
   * The exact version of the `spark-operator` chart (https://kubeflow.github.io/spark-operator).
   *
   * @default SparkOperator.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Controller replicas (they elect a leader; more than one gives fast fail-over and a PodDisruptionBudget).
   *
   * @default 1
   */
  readonly controllerReplicas?: number;

  /**
   * Webhook replicas. The webhook puts tolerations, affinity and labels on driver and executor pods: while it is
   * down, jobs cannot start, so it runs two replicas with a PodDisruptionBudget by default.
   *
   * @default 2
   */
  readonly webhookReplicas?: number;

  /**
   * The AWS region of the platform's buckets, given to S3A (`fs.s3a.endpoint.region`) so it does not have to
   * discover it.
   *
   * @default - bindings.region, else S3A's own region resolution (the pods' AWS_REGION, set by IRSA)
   */
  readonly awsRegion?: string;

  /**
   * Chart values merged over the library's typed values (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}


/**
 * The Spark Operator (kubeflow/spark-operator) and the settings every job it runs shares: the platform's
 * node pools, the default placement of drivers and executors, and the event-log location.
 *
 * The operator itself is installed from its pinned upstream chart: `release` is a `HelmRelease` to deliver
 * (as an Argo CD Application, or from the AWS side) whose values are derived: the job namespaces it watches
 * come from the `JobNamespace`s added to it, and the chart creates no job service accounts or RBAC (each
 * `JobNamespace` does).
 */
export class SparkOperator extends Construct {
  /** The chart version the library is tested with. */
  public static readonly DEFAULT_CHART_VERSION = '2.5.2';

  /** Every node pool of the platform. */
  public readonly nodePools: NodePool[];
  /** The event-log location every job writes to. */
  public readonly eventLogs: EventLogLocation;
  /** Where drivers run by default. */
  public readonly driverPlacement: Placement;
  /** Where executors run by default. */
  public readonly executorPlacement: Placement;
  /** Where the operator's own pods run. */
  public readonly operatorPlacement: Placement;
  /** The AWS region given to S3A, if any. */
  public readonly awsRegion?: string;
  /** The values from the AWS side, if given. */
  public readonly bindings?: PlatformBindings;
  /** The operator's Helm release (the pinned chart with the derived values). */
  public readonly release: SparkOperatorRelease;
  private readonly namespaces: JobNamespace[] = [];

  public constructor(scope: Construct, id: string, props: SparkOperatorProps) {
    super(scope, id);
    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
      throw invalidProp(this, 'nodePools', props.nodePools, 'must list the platform\'s node pools (at least one on-demand pool)');
    }
    const names = new Set<string>();
    for (const pool of props.nodePools) {
      if (names.has(pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'lists two pools with this name');
      names.add(pool.name);
    }
    this.nodePools = [...props.nodePools];
    this.bindings = props.bindings;
    const eventLogs = props.eventLogs ?? (props.bindings
      ? new EventLogLocation({ bucketName: props.bindings.bucketName, prefix: props.bindings.eventLogPrefix })
      : undefined);
    if (!eventLogs) {
      throw invalidProp(this, 'eventLogs', undefined, 'is required: the S3 location every job writes its event logs to (or give bindings)');
    }
    this.eventLogs = eventLogs;

    const onDemand = this.nodePools.filter(pool => !pool.isSpot);
    const spot = this.nodePools.filter(pool => pool.isSpot);
    if (onDemand.length === 0 && !(props.driverPlacement && props.operatorPlacement)) {
      throw invalidProp(this, 'nodePools', this.nodePools.map(p => p.name),
        'has no on-demand pool for the operator and the drivers: add one, or give driverPlacement and operatorPlacement');
    }
    this.driverPlacement = props.driverPlacement ?? Placement.onPools(onDemand);
    this.executorPlacement = props.executorPlacement ?? Placement.onPools(spot.length > 0 ? spot : onDemand);
    this.operatorPlacement = props.operatorPlacement ?? Placement.onPools(onDemand);
    for (const [prop, placement] of [['driverPlacement', this.driverPlacement], ['executorPlacement', this.executorPlacement], ['operatorPlacement', this.operatorPlacement]] as const) {
      for (const pool of placement.pools) {
        if (!this.nodePools.includes(pool)) throw invalidProp(this, prop, pool.name, `is not one of nodePools (${[...names].join(', ')})`);
      }
    }
    const spotForOperator = this.operatorPlacement.pools.find(pool => pool.isSpot);
    if (spotForOperator) {
      throw invalidProp(this, 'operatorPlacement', spotForOperator.name, 'is a spot pool: the operator and its webhook must run on on-demand capacity');
    }
    const awsRegion = props.awsRegion ?? props.bindings?.region;
    this.awsRegion = awsRegion === undefined ? undefined : checkAwsRegion(this, props.awsRegion !== undefined ? 'awsRegion' : 'bindings.region', awsRegion);

    this.release = new SparkOperatorRelease({
      releaseName: props.releaseName ?? 'spark-operator',
      namespace: props.namespace ?? 'spark-operator',
      version: props.chartVersion ?? SparkOperator.DEFAULT_CHART_VERSION,
      controllerReplicas: checkInteger(this, 'controllerReplicas', props.controllerReplicas ?? 1, 1),
      webhookReplicas: checkInteger(this, 'webhookReplicas', props.webhookReplicas ?? 2, 1),
      operator: this,
      extraValues: props.extraValues,
    });

    this.node.addValidation({
      validate: () => this.namespaces.length === 0
        ? [`${this.node.path}: the operator watches no job namespace: add one with addJobNamespace() (the chart would otherwise watch "default")`]
        : [],
    });
  }

  /** The job namespaces the operator watches, in the order they were added. */
  public get jobNamespaces(): JobNamespace[] {
    return [...this.namespaces];
  }

  /** Adds a namespace where Spark jobs run, watched by this operator. */
  public addJobNamespace(id: string, options: JobNamespaceOptions = {}): JobNamespace {
    return new JobNamespace(this, id, { ...options, operator: this });
  }

  /** @internal */
  public _registerJobNamespace(namespace: JobNamespace): void {
    const clash = this.namespaces.find(ns => ns.name === namespace.name);
    if (clash) {
      throw invalidProp(namespace, 'name', namespace.name, `is already a job namespace of this operator (${clash.node.path})`);
    }
    this.namespaces.push(namespace);
  }
}
