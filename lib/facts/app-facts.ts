import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { DaemonSetRequest, NodeCapacity } from '../scheduling';

/**
 * A `PlatformBindings` object the app's components took, with the first construct that took it (named in the
 * error) and the check of its values that are AWS CDK tokens.
 */
export interface BindingsUse {
  /** The bindings object (a `PlatformBindings`: compared by identity). */
  readonly bindings: object;
  /** The first construct that took it. */
  readonly where: IConstruct;
  /** Its values that no plain cdk8s synth resolves, as error messages. */
  readonly tokenProblems: () => string[];
}

/** Where a job definition (an options object) is used in the app: as standalone jobs, as pipeline steps. */
export interface DefinitionUses {
  readonly standalone: Construct[];
  readonly steps: Construct[];
}

/**
 * The facts one component of an app records and another reads: one object per app (per construct tree root),
 * one typed field per fact, each naming who writes it and who reads it. Components never pass facts through
 * module-level registries of their own: a new fact is a new field here (docs/conventions.md).
 *
 * Internal: not exported from the package.
 */
export class AppFacts {
  /** The facts of the app `scope` belongs to. */
  public static of(scope: IConstruct): AppFacts {
    const root = scope.node.root;
    let facts = AppFacts.BY_ROOT.get(root);
    if (!facts) {
      facts = new AppFacts();
      AppFacts.BY_ROOT.set(root, facts);
    }
    return facts;
  }

  // The one registry of the library: each app root's facts, dropped with the app.
  private static readonly BY_ROOT = new WeakMap<IConstruct, AppFacts>();

  /**
   * The daemon sets the platform itself runs on every node of every pool, each request read at synth.
   * Written by: `FluentBitAgent` (logging). Read by: the capacity checks of Spark pods (spark, `capacityProblems`).
   */
  public readonly platformDaemonSets: Array<() => DaemonSetRequest> = [];

  /**
   * The API objects whose creation starts a run, with the field that deletes them when it is over (if any).
   * Written by: `RunOnce.mark()` (delivery; called by `SparkJob`). Read by: `RunOnce.of()`, so `GitOps` (delivery).
   */
  public readonly runs = new Map<ApiObject, { readonly deletedBy?: string }>();

  /**
   * Whether the platform's PriorityClasses are rendered already (they are rendered once per app).
   * Written and read by: `PlatformPriority._ensure()` (spark; called by every component whose pods use them).
   */
  public priorityClassesRendered = false;

  /**
   * The constructs that render Spark applications, each with where its event logs go (undefined: it writes none).
   * Written by: `SparkApplicationSpec` (spark: `SparkJob`, `ScheduledSparkJob`, pipeline steps). Read by:
   * `SparkHistoryServer` (history), which checks at synth that every one writes where it reads.
   */
  public readonly eventLogWriters = new Map<IConstruct, () => string | undefined>();

  /**
   * Where each job definition (an options object) is used, so a pipeline step is never also a standalone job.
   * Written and read by: `JobNamespace._useDefinition()` (spark; called by `JobNamespace.addJob()` and
   * `SparkPipelineStep`).
   */
  public readonly jobDefinitions = new WeakMap<object, DefinitionUses>();

  /**
   * The bindings objects the app's components took. Written by: `requireLiteralBindings()` (bindings; called by
   * `SparkOperator`, `ClusterAutoscaler`, `ArgoWorkflows`, `SparkHistoryServer`). Read by: the check it adds to the
   * app's root at the first write (tokens in a plain cdk8s app fail the synth).
   */
  public readonly bindingsUses: BindingsUse[] = [];

  /**
   * The app's Karpenter, if it has one. Written by: `Karpenter` (autoscaling). Read by: `SparkApplicationSpec`
   * (spark), which marks every driver `karpenter.sh/do-not-disrupt`, and `ClusterAutoscaler` (autoscaling), which refuses to run beside it.
   */
  public karpenter?: IConstruct;

  /**
   * The app's cluster-autoscaler, if it has one. Written by: `ClusterAutoscaler`. Read by: `Karpenter` (autoscaling),
   * which refuses to run beside it.
   */
  public clusterAutoscaler?: IConstruct;

  /**
   * Whether the AWS CDK app deploys this app's charts (its tokens resolve at deploy time). Written by:
   * `aws.DirectDelivery`. Read by: the check of `bindingsUses`.
   */
  public deployedByAwsCdk = false;

  private constructor() {}

  /** Every daemon set on a node of the app: EKS's and the platform's (`platformDaemonSets`, read now). */
  public daemonSetsOnEveryNode(): DaemonSetRequest[] {
    return [...NodeCapacity.EKS_DAEMON_SETS, ...this.platformDaemonSets.map(produce => produce())];
  }
}
