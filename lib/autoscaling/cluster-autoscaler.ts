import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { KNOWN_KUBERNETES_VERSIONS, clusterAutoscalerImage, clusterAutoscalerRules } from './cluster-autoscaler-release';
import { Expander } from './expander';
import { PlatformBindings } from '../bindings';
import { NodePool, Placement } from '../scheduling';
import { checkAwsRegion, checkEksClusterName, checkInteger, checkRoleArn, goDurationProblem, invalidProp } from '../validation';

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
   * The values from the AWS side (cluster name, region, the role of `<namespace>/cluster-autoscaler`). Give
   * these, or `clusterName` and `region` (and `serviceAccountRoleArn`) as plain strings.
   *
   * @default - the plain props
   */
  readonly bindings?: PlatformBindings;

  /**
   * The EKS cluster's name (node groups are discovered by its tag).
   *
   * @default - bindings.clusterName
   */
  readonly clusterName?: string;

  /**
   * The AWS region of the cluster (`AWS_REGION`).
   *
   * @default - bindings.region
   */
  readonly region?: string;

  /**
   * The IAM role of the autoscaler's service account (IRSA annotation).
   *
   * @default - bindings.serviceAccountRoleArns["<namespace>/cluster-autoscaler"]; without one, no annotation (EKS
   * Pod Identity)
   */
  readonly serviceAccountRoleArn?: string;

  /**
   * The cluster's Kubernetes minor version ("1.33"): it picks the autoscaler image of the same minor and the
   * RBAC that minor's binary needs (VolumeAttachments from 1.32, dynamic resource allocation from 1.35).
   *
   * @default '1.33'
   */
  readonly kubernetesVersion?: string;

  /**
   * The image, instead of the one of the version table.
   *
   * @default - the image of `kubernetesVersion`
   */
  readonly image?: string;

  /**
   * The namespace.
   *
   * @default 'kube-system'
   */
  readonly namespace?: string;

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
/** Priority of spot node groups: higher wins. */
const SPOT_PRIORITY = 50;
/** Priority of on-demand node groups: the fallback when spot capacity is gone. */
const ON_DEMAND_PRIORITY = 10;

/**
 * The Kubernetes cluster-autoscaler for EKS, rendered natively (it owns no CRDs) and wired to the `NodePool`s:
 * node groups discovered by the cluster's tags, the priority expander preferring spot pools with on-demand as
 * the fallback (patterns from `NodePool.autoScalingGroupNamePattern`), the least RBAC it needs, and the
 * autoscaler itself on on-demand capacity, hardened.
 */
export class ClusterAutoscaler extends Construct {
  /** The EKS cluster's name. */
  public readonly clusterName: string;
  /** The namespace. */
  public readonly namespace: string;
  /** The image. */
  public readonly image: string;
  /** The expander. */
  public readonly expander: Expander;
  /** Where the autoscaler runs. */
  public readonly placement: Placement;
  private readonly pools: NodePool[] = [];

  public constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'kube-system';
    this.clusterName = checkEksClusterName(this, props.clusterName !== undefined ? 'clusterName' : 'bindings.clusterName', props.clusterName ?? props.bindings?.clusterName!);
    const region = checkAwsRegion(this, props.region !== undefined ? 'region' : 'bindings.region', props.region ?? props.bindings?.region!);
    const roleArn = props.serviceAccountRoleArn ?? props.bindings?.serviceAccountRoleArns?.[`${this.namespace}/${NAME}`];
    if (roleArn !== undefined) checkRoleArn(this, 'serviceAccountRoleArn', roleArn);

    const version = props.kubernetesVersion ?? '1.33';
    if (typeof version !== 'string' || !/^1\.[0-9]+$/.test(version)) {
      throw invalidProp(this, 'kubernetesVersion', version, 'must be a Kubernetes minor version such as "1.33"');
    }
    const image = props.image ?? clusterAutoscalerImage(version);
    if (!image) {
      throw invalidProp(this, 'kubernetesVersion', version,
        `has no known cluster-autoscaler image (its minor must match the cluster's): known ${KNOWN_KUBERNETES_VERSIONS.join(', ')}; or give image`);
    }
    this.image = image;
    this.expander = props.expander ?? Expander.PRIORITY;
    if (!Object.values(Expander).includes(this.expander)) {
      throw invalidProp(this, 'expander', this.expander, `allowed on AWS: ${Object.values(Expander).join(', ')}`);
    }
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
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 2, 1);

    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) {
      throw invalidProp(this, 'nodePools', props.nodePools, 'must list the node pools the autoscaler scales');
    }
    for (const pool of props.nodePools) this.addNodePool(pool);
    const onDemand = this.pools.filter(pool => !pool.isSpot);
    if (!props.placement && onDemand.length === 0) {
      throw invalidProp(this, 'nodePools', this.pools.map(p => p.name),
        'has only spot pools: the autoscaler must run on on-demand capacity (a reclaim would evict it); add an on-demand pool or give placement');
    }
    this.placement = props.placement ?? Placement.onPools(onDemand);
    const spot = this.placement.pools.find(pool => pool.isSpot);
    if (spot) throw invalidProp(this, 'placement', spot.name, 'is a spot pool: the autoscaler must not run where it could evict itself');

    const labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'spark-platform' };
    const metadata = (name = NAME) => ({ name, namespace: this.namespace, labels });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata(), annotations: roleArn ? { 'eks.amazonaws.com/role-arn': roleArn } : undefined },
    });
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: NAME, labels }, rules: clusterAutoscalerRules(version) });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: this.namespace }],
    });
    new k8s.KubeRole(this, 'Role', { metadata: metadata(), rules: NAMESPACE_RULES });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: metadata(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: this.namespace }],
    });

    if (this.expander === Expander.PRIORITY) {
      new k8s.KubeConfigMap(this, 'PriorityExpander', {
        metadata: metadata('cluster-autoscaler-priority-expander'),
        data: { priorities: Lazy.any({ produce: () => this.priorities }) as any },
      });
    }

    const args = [
      '--cloud-provider=aws',
      `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${this.clusterName}`,
      '--balance-similar-node-groups',
      '--skip-nodes-with-local-storage=false',
      `--expander=${this.expander}`,
      `--scale-down-unneeded-time=${durations[0][1]}`,
      `--scale-down-delay-after-add=${durations[1][1]}`,
      `--scale-down-delay-after-delete=${durations[2][1]}`,
      `--scale-down-utilization-threshold=${threshold}`,
      `--max-node-provision-time=${durations[3][1]}`,
      '--leader-elect=true',
      `--address=:${METRICS_PORT}`,
      '--logtostderr=true',
      '--stderrthreshold=info',
      '--v=4',
      ...Object.entries(props.extraArgs ?? {}).map(([flag, value]) => `--${flag}=${value}`),
    ];
    for (const flag of Object.keys(props.extraArgs ?? {})) {
      if (!/^[a-z0-9][a-z0-9-]*$/.test(flag)) throw invalidProp(this, 'extraArgs key', flag, 'must be a flag name without dashes in front, e.g. "scan-interval"');
    }

    const podLabels = { 'app.kubernetes.io/name': NAME };
    const podSpec: k8s.PodSpec = this.placement.applyToPodSpec({
      serviceAccountName: NAME,
      priorityClassName: 'system-cluster-critical',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        fsGroup: 65534,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [{
        name: NAME,
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['./cluster-autoscaler'],
        args,
        env: [{ name: 'AWS_REGION', value: region }],
        ports: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/health-check', port: k8s.IntOrString.fromString('metrics') }, initialDelaySeconds: 30, periodSeconds: 10 },
        resources: {
          requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('600Mi') },
          limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('600Mi') },
        },
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        },
      }],
    });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: metadata(),
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
      metadata: metadata(),
      spec: replicas > 1
        ? { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } }
        : { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } },
    });
    new k8s.KubeService(this, 'MetricsService', {
      metadata: metadata(),
      spec: { selector: podLabels, ports: [{ name: 'metrics', port: METRICS_PORT, targetPort: k8s.IntOrString.fromString('metrics') }] },
    });
  }

  /** The pools it scales. */
  public get nodePools(): NodePool[] {
    return [...this.pools];
  }

  /** Adds a pool to the priority expander's tiers (before synth). */
  public addNodePool(pool: NodePool): void {
    if (this.pools.some(p => p.name === pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'is listed twice');
    this.pools.push(pool);
  }

  /**
   * The priority expander's `priorities` document: spot pools' Auto Scaling groups at a higher priority than
   * on-demand ones, so a scale-up lands on spot while spot has capacity and falls back to on-demand when it
   * has not (for pods that tolerate both).
   */
  public get priorities(): string {
    const tiers: Array<[number, NodePool[]]> = [
      [SPOT_PRIORITY, this.pools.filter(p => p.isSpot)],
      [ON_DEMAND_PRIORITY, this.pools.filter(p => !p.isSpot)],
    ];
    return tiers
      .filter(([, pools]) => pools.length > 0)
      .map(([priority, pools]) => `${priority}:\n${pools.map(p => `  - ${p.autoScalingGroupNamePattern}`).join('\n')}\n`)
      .join('');
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

