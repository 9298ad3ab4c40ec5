import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { KarpenterDisruptionOptions, KarpenterNodePool } from './karpenter-node-pool';
import { KarpenterRelease } from './karpenter-release';
import { PlatformBindings, PlatformServiceAccounts, ServiceAccountIdentity } from '../bindings';
import { claimAutoscaling, poolTier } from './private/autoscaler-choice';
import { requireLiteralBindings } from '../bindings/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { checkArgs, checkInteger, checkShape, invalidProp, synthWarning } from '../validation';

/**
 * How the platform runs Karpenter (`SparkPlatform`'s `karpenter`).
 */
export interface KarpenterOptions extends KarpenterDisruptionOptions {
  /**
   * The EKS-optimized Amazon Linux 2023 AMI release every node boots (`EC2NodeClass` alias `al2023@<amiVersion>`),
   * e.g. `'v20260714'` (awslabs/amazon-eks-ami releases). Pinned, as Karpenter recommends for production: a new
   * release changes no node until you change this (then Karpenter replaces the nodes within the disruption
   * budget). `'latest'` follows every release, and synth warns.
   */
  readonly amiVersion: string;

  /**
   * The controller's service account: its namespace, its name and how it gets its IAM role. The AWS side creates
   * the role for the same object (`aws.SparkEksCluster`'s `karpenter`).
   *
   * @default PlatformServiceAccounts.KARPENTER (kube-system/karpenter, IRSA)
   */
  readonly serviceAccount?: ServiceAccountIdentity;

  /**
   * Where the controller runs: on-demand pools whose `minSize` nodes (a managed node group's, which Karpenter did
   * not launch) can hold one replica each.
   *
   * @default - the on-demand pools for the platform's components
   */
  readonly placement?: Placement;

  /**
   * Controller replicas (they elect a leader; the chart puts each on its own node).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * The exact version of the `karpenter` chart (OCI, `oci://public.ecr.aws/karpenter`).
   *
   * @default Karpenter.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Chart values merged over the library's typed values (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}

/**
 * Properties of a `Karpenter`.
 */
export interface KarpenterProps extends KarpenterOptions {
  /**
   * Every node pool of the platform. Each pool whose `maxSize` exceeds its `minSize` becomes a Karpenter NodePool
   * of `maxSize - minSize` nodes; its `minSize` nodes are the AWS side's managed node group.
   */
  readonly nodePools: NodePool[];

  /**
   * The values from the AWS side: the cluster's name (settings and the discovery tag), Karpenter's interruption
   * queue and node role (named after the cluster), the controller's role.
   */
  readonly bindings: PlatformBindings;
}

const AMI_VERSION = /^v[0-9]{8}$/;

/**
 * Karpenter (aws/karpenter-provider-aws) as the platform's autoscaler, from the same `NodePool` objects as the
 * cluster-autoscaler: its pinned chart (`release`, delivered like every operator) and, per pool, a NodePool and an
 * EC2NodeClass (`KarpenterNodePool`). Spot pools are weighted above their on-demand fallbacks, as the
 * cluster-autoscaler's priority expander orders them; Spark drivers carry `karpenter.sh/do-not-disrupt`; the
 * controller runs on on-demand nodes it did not launch.
 */
export class Karpenter extends Construct {
  /** The chart version the library is tested with. */
  public static readonly DEFAULT_CHART_VERSION = '1.14.1';

  /** The release (the pinned chart with the derived values). */
  public readonly release: KarpenterRelease;
  /** The controller's namespace. */
  public readonly namespace: string;
  /** The controller's service account, and how it gets its IAM role. */
  public readonly serviceAccount: ServiceAccountIdentity;
  /** Where the controller runs. */
  public readonly placement: Placement;
  /** Every node pool of the platform. */
  public readonly nodePools: NodePool[];
  /** The pools Karpenter scales, as it runs them. */
  public readonly karpenterNodePools: KarpenterNodePool[];
  /** The FlowSchemas that keep its API requests at the priority of kube-system's, outside kube-system (none in it). */
  public readonly flowSchemas: ApiObject[];

  public constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    checkShape(this, 'KarpenterProps', props, 'props');
    if (!(props.bindings instanceof PlatformBindings)) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings (cluster name, region, roles)');
    requireLiteralBindings(this, props.bindings);
    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
      throw invalidProp(this, 'nodePools', props.nodePools, 'must list the platform\'s node pools');
    }
    this.nodePools = [...props.nodePools];
    const amiVersion = this.amiVersionOf(props.amiVersion);
    this.serviceAccount = props.serviceAccount ?? PlatformServiceAccounts.KARPENTER;
    this.namespace = this.serviceAccount.namespace;
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 1);
    this.placement = componentPlacement(this, this.nodePools, props.placement, 'Karpenter\'s controller (a reclaim would take down the autoscaler)');
    this.checkControllerNodes(replicas);

    this.release = KarpenterRelease._of({
      releaseName: 'karpenter',
      namespace: this.namespace,
      chartVersion: props.chartVersion ?? Karpenter.DEFAULT_CHART_VERSION,
      extraValues: props.extraValues,
      bindings: props.bindings,
      serviceAccount: this.serviceAccount,
      placement: this.placement,
      replicas,
    });
    this.flowSchemas = this.namespace === 'kube-system' ? [] : this.renderFlowSchemas();
    this.karpenterNodePools = this.nodePools.filter(pool => pool.maxSize > pool.minSize).map(pool => new KarpenterNodePool(this, `NodePool-${pool.name}`, {
      pool,
      bindings: props.bindings,
      amiVersion,
      weight: poolTier(pool, this.nodePools),
      consolidation: props.consolidation,
      consolidateAfter: props.consolidateAfter,
      budget: props.budget,
      expireAfter: props.expireAfter,
    }));
    // The app's one autoscaler; Spark drivers carry karpenter.sh/do-not-disrupt from now on (read when the jobs render).
    claimAutoscaling(this, 'karpenter');
  }

  /** The labels that select the controller's pods (what NetworkPolicies select it by). */
  public get podLabels(): { [key: string]: string } {
    return this.release.controller.podLabels;
  }

  /** The Karpenter NodePool of a pool, or undefined when Karpenter does not scale it (`minSize === maxSize`). */
  public nodePoolOf(pool: NodePool): KarpenterNodePool | undefined {
    checkArgs(this, 'Karpenter', 'nodePoolOf', [pool]);
    return this.karpenterNodePools.find(p => p.pool === pool);
  }

  // In kube-system the built-in FlowSchemas system-leader-election and kube-system-service-accounts put Karpenter's
  // requests in the leader-election and workload-high priority levels; elsewhere it would be throttled with every
  // workload (aws/karpenter-provider-aws v1.14.1 docs/getting-started/getting-started-with-karpenter/_index.md,
  // "Preventing APIServer Request Throttling", and its step15-apply-flowschemas.sh).
  private renderFlowSchemas(): ApiObject[] {
    const subjects = [{ kind: 'ServiceAccount', serviceAccount: { name: this.serviceAccount.name, namespace: this.namespace } }];
    // An ApiObject: cdk8s-plus-33 types a FlowSchema's subjects as RBAC subjects and would drop `serviceAccount`.
    const flowSchema = (id: string, name: string, spec: { [key: string]: any }) => new ApiObject(this, id, {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name, labels: { 'app.kubernetes.io/name': 'karpenter', 'app.kubernetes.io/part-of': 'spark-platform' } },
      spec,
    });
    return [
      flowSchema('LeaderElectionFlowSchema', `${this.serviceAccount.name}-leader-election`, {
        distinguisherMethod: { type: 'ByUser' },
        matchingPrecedence: 200,
        priorityLevelConfiguration: { name: 'leader-election' },
        rules: [{
          resourceRules: [{ apiGroups: ['coordination.k8s.io'], namespaces: ['*'], resources: ['leases'], verbs: ['get', 'create', 'update'] }],
          subjects,
        }],
      }),
      flowSchema('WorkloadFlowSchema', `${this.serviceAccount.name}-workload`, {
        distinguisherMethod: { type: 'ByUser' },
        matchingPrecedence: 1000,
        priorityLevelConfiguration: { name: 'workload-high' },
        rules: [{
          nonResourceRules: [{ nonResourceURLs: ['*'], verbs: ['*'] }],
          resourceRules: [{ apiGroups: ['*'], clusterScope: true, namespaces: ['*'], resources: ['*'], verbs: ['*'] }],
          subjects,
        }],
      }),
    ];
  }

  private amiVersionOf(amiVersion: string): string {
    if (amiVersion === 'latest') {
      synthWarning(this, 'amiVersion "latest": every EKS AMI release replaces every node Karpenter launched (drift) before it was tested on this '
        + 'platform; Karpenter recommends a pinned release in production (aws/karpenter-provider-aws v1.14.1 docs/tasks/managing-amis.md)');
      return amiVersion;
    }
    if (typeof amiVersion !== 'string' || !AMI_VERSION.test(amiVersion)) {
      throw invalidProp(this, 'amiVersion', amiVersion, 'must be an EKS AL2023 AMI release such as "v20260714" (awslabs/amazon-eks-ami releases), or "latest"');
    }
    return amiVersion;
  }

  // The controller must not run on a node it launched (it would drain itself), and the chart puts each replica on
  // a node of its own: the placement's node groups (their minSize nodes) must hold every replica.
  private checkControllerNodes(replicas: number): void {
    const baseline = this.placement.pools.reduce((sum, pool) => sum + pool.minSize, 0);
    if (baseline < replicas) {
      throw invalidProp(this, 'placement', this.placement.poolNames,
        `has ${baseline} node(s) Karpenter did not launch (the pools' minSize), but the controller runs ${replicas} replicas, one per node, `
        + 'never on a node Karpenter launched: raise the minSize of an on-demand pool there, or lower replicas');
    }
  }
}
