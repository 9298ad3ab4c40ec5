import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Expander } from './expander';
import { PlatformBindings, PlatformServiceAccounts, ServiceAccountIdentity } from '../bindings';
import { FALLBACK_TIER, ON_DEMAND_TIER, SPOT_TIER, claimAutoscaling, poolTier } from './private/autoscaler-choice';
import { KNOWN_KUBERNETES_VERSIONS, clusterAutoscalerImage, clusterAutoscalerRules } from './private/cluster-autoscaler-release';
import { requireLiteralBindings } from '../bindings/internal';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { checkArgs, checkInteger, checkOneOf, checkPinnedImage, checkShape, goDurationProblem, invalidProp } from '../validation';


/**
 * When the cluster-autoscaler removes nodes. Durations are Go durations ("10m", "1h30m").
 */
export interface ScaleDownOptions {
  /**
   * How long a node must be unneeded before it is removed (`--scale-down-unneeded-time`).
   *
   * @default '10m'
   */
  readonly unneededTime?: string;

  /**
   * How long after a scale-up scale-down resumes (`--scale-down-delay-after-add`).
   *
   * @default '10m'
   */
  readonly delayAfterAdd?: string;

  /**
   * How long after a node deletion scale-down resumes (`--scale-down-delay-after-delete`).
   *
   * @default '0s'
   */
  readonly delayAfterDelete?: string;

  /**
   * Below this share of requested CPU and memory a node is a scale-down candidate
   * (`--scale-down-utilization-threshold`), between 0 and 1.
   *
   * @default 0.5
   */
  readonly utilizationThreshold?: number;
}

/**
 * Properties of a `ClusterAutoscaler`.
 */
export interface ClusterAutoscalerProps {
  /**
   * The node pools it scales. On-demand pools are the fallback of spot pools in the priority expander, and
   * where the autoscaler itself runs.
   */
  readonly nodePools: NodePool[];

  /**
   * The values from the AWS side: the cluster's name (node groups are discovered by its tag), its region
   * (`AWS_REGION`), its Kubernetes minor (the image and the RBAC of the same minor: VolumeAttachments from 1.32,
   * dynamic resource allocation from 1.35) and the role of the autoscaler's service account.
   */
  readonly bindings: PlatformBindings;

  /**
   * The autoscaler's service account: its namespace, its name and how it gets its IAM role. The AWS side
   * creates the role for the same object.
   *
   * @default PlatformServiceAccounts.CLUSTER_AUTOSCALER (kube-system/cluster-autoscaler, IRSA)
   */
  readonly serviceAccount?: ServiceAccountIdentity;

  /**
   * The image, instead of the one of the version table.
   *
   * @default - the image of the cluster's Kubernetes minor (`bindings.kubernetesVersion`)
   */
  readonly image?: string;

  /**
   * How it picks the node group to grow.
   *
   * @default Expander.PRIORITY (spot pools first, on-demand as the fallback)
   */
  readonly expander?: Expander;

  /**
   * When it removes nodes.
   *
   * @default - 10m unneeded, 10m after a scale-up, 0.5 utilization
   */
  readonly scaleDown?: ScaleDownOptions;

  /**
   * How long a node may take to register before its group is considered out of capacity (then the next
   * priority, such as on-demand, is tried): `--max-node-provision-time`.
   *
   * @default '10m'
   */
  readonly maxNodeProvisionTime?: string;

  /**
   * Where the autoscaler runs. Must not include a spot pool: it would evict itself.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * Replicas (they elect a leader; two keep it available through node drains, with a PodDisruptionBudget).
   *
   * @default 2
   */
  readonly replicas?: number;

  /**
   * More command-line flags (`{ 'scan-interval': '20s' }` becomes `--scan-interval=20s`).
   *
   * @default - none
   */
  readonly extraArgs?: { [flag: string]: string };
}

const NAME = 'cluster-autoscaler';
const METRICS_PORT = 8085;

/** The flags that take a Go duration, with the prop that sets each and its default. */
interface Timings {
  readonly unneededTime: string;
  readonly delayAfterAdd: string;
  readonly delayAfterDelete: string;
  readonly maxNodeProvisionTime: string;
  readonly utilizationThreshold: number;
}

/**
 * The Kubernetes cluster-autoscaler for EKS, rendered natively (it owns no CRDs) and wired to the `NodePool`s:
 * node groups discovered by the cluster's tags, the priority expander preferring spot pools with on-demand as
 * the fallback (patterns from `NodePool.autoScalingGroupNamePattern`), the least RBAC its binary needs, and the
 * autoscaler itself on on-demand capacity, hardened.
 */
export class ClusterAutoscaler extends Construct {
  /** The EKS cluster's name. */
  public readonly clusterName: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The service account, and how it gets its IAM role. */
  public readonly serviceAccount: ServiceAccountIdentity;
  /** The image. */
  public readonly image: string;
  /** The expander. */
  public readonly expander: Expander;
  /** Where the autoscaler runs. */
  public readonly placement: Placement;
  private readonly pools: NodePool[] = [];
  private readonly labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'spark-platform' };

  public constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    checkShape(this, 'ClusterAutoscalerProps', props, 'props');
    if (!props.bindings) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings (cluster name, region, roles)');
    this.clusterName = props.bindings.clusterName;
    requireLiteralBindings(this, props.bindings);
    claimAutoscaling(this, 'clusterAutoscaler');
    this.serviceAccount = props.serviceAccount ?? PlatformServiceAccounts.CLUSTER_AUTOSCALER;
    this.namespace = this.serviceAccount.namespace;
    // Its minor must match the cluster's (it simulates that version's scheduler), and so must its RBAC.
    const version = props.bindings.kubernetesVersion;
    this.image = this.imageOf(version, props.image);
    this.expander = checkOneOf(this, 'expander', props.expander ?? Expander.PRIORITY, Object.values(Expander));
    const timings = this.timingsOf(props);
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 1);
    const extraArgs = this.extraArgsOf(props.extraArgs ?? {});

    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
      throw invalidProp(this, 'nodePools', props.nodePools, 'must list the node pools the autoscaler scales');
    }
    for (const pool of props.nodePools) this.addNodePool(pool);
    this.placement = componentPlacement(this, this.pools, props.placement, 'the autoscaler (a reclaim would evict it)');

    this.renderRbac(props.bindings, version);
    if (this.expander === Expander.PRIORITY) this.renderPriorityExpander();
    this.renderDeployment(replicas, [...this.argsOf(timings), ...extraArgs], props.bindings.region);
  }

  /** The pools it scales. */
  public get nodePools(): NodePool[] {
    return [...this.pools];
  }

  /** Adds a pool to the priority expander's tiers (before synth). */
  public addNodePool(pool: NodePool): void {
    checkArgs(this, 'ClusterAutoscaler', 'addNodePool', [pool]);
    if (this.pools.some(p => p.name === pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'is listed twice');
    this.pools.push(pool);
  }

  /**
   * The priority expander's `priorities` document: spot pools' Auto Scaling groups first, then the on-demand
   * pools spot pools fall back to, then the other on-demand pools. A scale-up lands on spot while spot has
   * capacity, and on the fallback when the spot group cannot grow (the autoscaler backs a group off after a
   * failed scale-up or `maxNodeProvisionTime`).
   */
  public get priorities(): string {
    const tiers = [SPOT_TIER, FALLBACK_TIER, ON_DEMAND_TIER]
      .map(tier => [tier, this.pools.filter(p => poolTier(p, this.pools) === tier)] as [number, NodePool[]]);
    return tiers
      .filter(([, pools]) => pools.length > 0)
      .map(([priority, pools]) => `${priority}:\n${pools.map(p => `  - ${p.autoScalingGroupNamePattern}`).join('\n')}\n`)
      .join('');
  }

  private imageOf(version: string, image: string | undefined): string {
    if (image !== undefined) {
      checkPinnedImage(this, 'image', image, 'the autoscaler\'s minor must stay that of the cluster (registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6)');
    }
    const found = image ?? clusterAutoscalerImage(version);
    if (!found) {
      throw invalidProp(this, 'bindings.kubernetesVersion', version,
        `has no known cluster-autoscaler image (its minor must match the cluster's): known ${KNOWN_KUBERNETES_VERSIONS.join(', ')}; or give image`);
    }
    return found;
  }

  private timingsOf(props: ClusterAutoscalerProps): Timings {
    const scaleDown = props.scaleDown ?? {};
    const durations: Array<[string, string]> = [
      ['scaleDown.unneededTime', scaleDown.unneededTime ?? '10m'],
      ['scaleDown.delayAfterAdd', scaleDown.delayAfterAdd ?? '10m'],
      ['scaleDown.delayAfterDelete', scaleDown.delayAfterDelete ?? '0s'],
      ['maxNodeProvisionTime', props.maxNodeProvisionTime ?? '10m'],
    ];
    for (const [prop, value] of durations) {
      const problem = goDurationProblem(value);
      if (problem) throw invalidProp(this, prop, value, problem);
    }
    const threshold = scaleDown.utilizationThreshold ?? 0.5;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) {
      throw invalidProp(this, 'scaleDown.utilizationThreshold', threshold, 'must be a number greater than 0 and at most 1');
    }
    const [unneededTime, delayAfterAdd, delayAfterDelete, maxNodeProvisionTime] = durations.map(([, value]) => value);
    return { unneededTime, delayAfterAdd, delayAfterDelete, maxNodeProvisionTime, utilizationThreshold: threshold };
  }

  private extraArgsOf(extraArgs: { [flag: string]: string }): string[] {
    for (const flag of Object.keys(extraArgs)) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(flag)) throw invalidProp(this, 'extraArgs key', flag, 'must be a flag name without dashes in front, e.g. "scan-interval"');
    }
    return Object.entries(extraArgs).map(([flag, value]) => `--${flag}=${value}`);
  }


  /** The labels that select the autoscaler's pods (its Service's selector): what NetworkPolicies select it by. */
  public get podLabels(): { [key: string]: string } {
    return { 'app.kubernetes.io/name': NAME };
  }

  private metadata(name = NAME): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: this.labels };
  }

  // Its service account with its IAM role, and the least RBAC its binary needs for this Kubernetes minor.
  private renderRbac(bindings: PlatformBindings, version: string): void {
    const annotations = bindings.serviceAccountAnnotations(this.serviceAccount);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...this.metadata(this.serviceAccount.name), annotations: Object.keys(annotations).length ? annotations : undefined },
    });
    const subjects = [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace: this.namespace }];
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: NAME, labels: this.labels }, rules: clusterAutoscalerRules(version) });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME, labels: this.labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects,
    });
    new k8s.KubeRole(this, 'Role', { metadata: this.metadata(), rules: NAMESPACE_RULES });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: this.metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME },
      subjects,
    });
  }

  private renderPriorityExpander(): void {
    new k8s.KubeConfigMap(this, 'PriorityExpander', {
      metadata: this.metadata('cluster-autoscaler-priority-expander'),
      data: { priorities: Lazy.any({ produce: () => this.priorities }) as any },
    });
  }

  private argsOf(timings: Timings): string[] {
    return [
      '--cloud-provider=aws',
      `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${this.clusterName}`,
      '--balance-similar-node-groups',
      '--skip-nodes-with-local-storage=false',
      `--expander=${this.expander}`,
      `--scale-down-unneeded-time=${timings.unneededTime}`,
      `--scale-down-delay-after-add=${timings.delayAfterAdd}`,
      `--scale-down-delay-after-delete=${timings.delayAfterDelete}`,
      `--scale-down-utilization-threshold=${timings.utilizationThreshold}`,
      `--max-node-provision-time=${timings.maxNodeProvisionTime}`,
      '--leader-elect=true',
      `--address=:${METRICS_PORT}`,
      '--logtostderr=true',
      '--stderrthreshold=info',
      '--v=4',
    ];
  }

  // The Deployment (hardened, on on-demand capacity), its PodDisruptionBudget and the metrics Service.
  private renderDeployment(replicas: number, args: string[], region: string): void {
    const podLabels = { 'app.kubernetes.io/name': NAME };
    const podSpec: k8s.PodSpec = this.placement.applyToPodSpec({
      serviceAccountName: this.serviceAccount.name,
      priorityClassName: 'system-cluster-critical',
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: NAME,
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['./cluster-autoscaler'],
        args,
        env: [{ name: 'AWS_REGION', value: region }],
        ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/health-check', port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds: 30, periodSeconds: 10 },
        // /health-check (cluster-autoscaler/main.go) fails only once the loop it monitors stalls; a replica
        // waiting for the leader lease has no loop to monitor yet and stays Ready.
        readinessProbe: { httpGet: { path: '/health-check', port: k8s.IntOrString.fromString('metrics') }, periodSeconds: 10 },
        resources: {
          requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('600Mi') },
          limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('600Mi') },
        },
        securityContext: restrictedContainer(),
      }],
    });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: this.metadata(),
      spec: {
        replicas,
        selector: { matchLabels: podLabels },
        template: {
          metadata: { labels: podLabels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) } },
          spec: podSpec,
        },
      },
    });
    new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: this.metadata(),
      spec: replicas > 1
        ? { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } }
        : { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } },
    });
    new k8s.KubeService(this, 'MetricsService', {
      metadata: this.metadata(),
      spec: { selector: podLabels, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });
  }
}

// In its own namespace: its status ConfigMap and the priority expander's.
const NAMESPACE_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
  {
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: ['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander'],
    verbs: ['delete', 'get', 'update', 'watch'],
  },
];

