import { Construct } from 'constructs';
import { ISparkOperator } from './interfaces';
import { JobNamespace } from './job-namespace';
import { PlatformPriority } from './platform-priority';
import { checkDriverPlacement } from './private/spark-conf-checks';
import { SparkOperatorRelease } from './spark-operator-release';
import { SparkTeam } from './spark-team';
import { PlatformBindings } from '../bindings';
import { requireLiteralBindings } from '../bindings/internal';
import { NodePool, Placement } from '../scheduling';
import { onDemandForPlatform, requireOnDemand } from '../scheduling/internal';
import { EventLogLocation } from '../storage';
import { checkArgs, checkInteger, checkPlatformNamespace, checkShape, invalidProp, wiringProblem } from '../validation';

/**
 * Properties of a `SparkOperator`.
 */
export interface SparkOperatorProps {
  /**
   * Every node pool of the platform. Jobs may be placed on these pools only.
   */
  readonly nodePools: NodePool[];

  /**
   * The values from the AWS side: the event-log location every job writes to, the region given to S3A, and
   * the IAM role of each team's service account.
   */
  readonly bindings: PlatformBindings;

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
export class SparkOperator extends Construct implements ISparkOperator {
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
  /** The AWS region of the platform's bucket, given to S3A. */
  public readonly region: string;
  /** The values from the AWS side. */
  public readonly bindings: PlatformBindings;
  /** The operator's Helm release (the pinned chart with the derived values). */
  public readonly release: SparkOperatorRelease;
  private readonly namespaces: JobNamespace[] = [];

  public constructor(scope: Construct, id: string, props: SparkOperatorProps) {
    super(scope, id);
    checkShape(this, 'SparkOperatorProps', props, 'props');
    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
      throw invalidProp(this, 'nodePools', props.nodePools, 'must list the platform\'s node pools (at least one on-demand pool)');
    }
    const names = new Set<string>();
    for (const pool of props.nodePools) {
      if (names.has(pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'lists two pools with this name');
      names.add(pool.name);
    }
    this.nodePools = [...props.nodePools];
    if (!props.bindings) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings (event logs, region, roles)');
    this.bindings = props.bindings;
    requireLiteralBindings(this, props.bindings);
    this.eventLogs = props.bindings.eventLogs;
    this.region = props.bindings.region;

    const onDemand = onDemandForPlatform(this.nodePools);
    const spot = this.nodePools.filter(pool => pool.isSpot);
    if (onDemand.length === 0 && !(props.driverPlacement && props.operatorPlacement)) {
      throw invalidProp(this, 'nodePools', this.nodePools.map(p => p.name),
        'has no on-demand pool for the operator and the drivers: add one, or give driverPlacement and operatorPlacement');
    }
    this.driverPlacement = props.driverPlacement ?? Placement.onPools(onDemand);
    for (const pool of spot.filter(p => p.fallback && !this.nodePools.includes(p.fallback))) {
      throw invalidProp(this, 'nodePools', pool.fallback!.name, `is the fallback of spot pool "${pool.name}" but not one of nodePools: list it too`);
    }
    // Spot first; a spot pool's on-demand fallback when spot has no capacity.
    this.executorPlacement = props.executorPlacement ?? (spot.length > 0 ? Placement.spotWithFallback(spot) : Placement.onPools(onDemand));
    this.operatorPlacement = props.operatorPlacement ?? Placement.onPools(onDemand);
    for (const [prop, placement] of [['driverPlacement', this.driverPlacement], ['executorPlacement', this.executorPlacement], ['operatorPlacement', this.operatorPlacement]] as const) {
      for (const pool of placement.pools) {
        if (!this.nodePools.includes(pool)) throw invalidProp(this, prop, pool.name, `is not one of nodePools (${[...names].join(', ')})`);
      }
    }
    checkDriverPlacement(this, 'driverPlacement', this.driverPlacement);
    requireOnDemand(this, 'operatorPlacement', this.operatorPlacement, 'the operator and its webhook must run on on-demand capacity');
    PlatformPriority._ensure(this);
    this.release = SparkOperatorRelease._of({
      releaseName: props.releaseName ?? 'spark-operator',
      namespace: checkPlatformNamespace(this, 'namespace', props.namespace ?? 'spark-operator'),
      chartVersion: props.chartVersion ?? SparkOperator.DEFAULT_CHART_VERSION,
      controllerReplicas: checkInteger(this, 'controllerReplicas', props.controllerReplicas ?? 1, 1),
      webhookReplicas: checkInteger(this, 'webhookReplicas', props.webhookReplicas ?? 2, 1),
      placement: this.operatorPlacement,
      jobNamespaces: () => this.namespaces.map(ns => ns.name),
      extraValues: props.extraValues,
    });

    this.node.addValidation({
      validate: () => this.namespaces.length === 0
        ? [wiringProblem(this, 'the operator watches no job namespace: add a team with addTeam() (the chart would otherwise watch "default")')]
        : [],
    });
  }

  /** The job namespaces the operator watches, in the order they were added. */
  public get jobNamespaces(): JobNamespace[] {
    return [...this.namespaces];
  }

  /**
   * Adds a team: its job namespace (watched by this operator), service account with its IAM role, driver RBAC,
   * quota and labels, all derived from the `SparkTeam` object the AWS side takes too.
   */
  public addTeam(team: SparkTeam): JobNamespace {
    checkArgs(this, 'SparkOperator', 'addTeam', [team]);
    const known = this.bindings.teamNamespaces;
    if (known !== undefined && !known.includes(team.namespace)) {
      throw invalidProp(this, 'team', team.namespace, `is not a namespace the AWS side made roles for (${known.map(ns => `"${ns}"`).join(', ') || 'none'}): `
        + 'its service accounts would name IAM roles that do not exist; spell the team as on the AWS side, or add it there');
    }
    if (team.namespace === this.release.namespace) {
      throw invalidProp(this, 'team', team.name, `uses namespace "${team.namespace}", the Spark Operator's own: a team's namespace is the team's alone`);
    }
    const clash = this.namespaces.find(ns => ns.name === team.namespace);
    if (clash) {
      throw invalidProp(this, 'team', team.name, `uses namespace "${team.namespace}", already the job namespace of team "${clash.team.name}"`);
    }
    return new JobNamespace(this, team.namespace, { team, operator: this });
  }

  /** @internal */
  public _registerJobNamespace(namespace: JobNamespace): void {
    this.namespaces.push(namespace);
  }
}
