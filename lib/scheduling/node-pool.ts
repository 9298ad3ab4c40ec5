import { Size } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-33';
import { CapacityType, CpuArchitecture } from './capacity-type';
import { InstanceType } from './instance-type';
import { NodeTaint, NodeTaints } from './taint';
import { checkDns1123Label, checkInteger, checkLabels, checkList, checkOneOf, checkShape, invalidProp, keyInDomains, labelValueProblem, qualifiedNameProblem } from '../validation';

/**
 * Properties of a `NodePool`.
 */
export interface NodePoolProps {
  /**
   * The pool's name: a DNS-1123 label of at most 63 characters. It names the EKS managed node group, and every
   * node of the pool carries it as the `NodePool.POOL_LABEL` label.
   */
  readonly name: string;

  /**
   * Whether the pool's nodes are spot or on-demand instances.
   */
  readonly capacityType: CapacityType;

  /**
   * The EC2 instance types the pool may launch, all of one CPU architecture. For spot pools, list several
   * similar types (same vCPU and memory) so that EC2 can find capacity when one type runs out.
   */
  readonly instanceTypes: string[];

  /**
   * Taints carried by every node of the pool. Workloads placed on the pool get the matching tolerations.
   *
   * @default - no taints
   */
  readonly taints?: NodeTaint[];

  /**
   * Labels carried by every node of the pool, besides `NodePool.POOL_LABEL` which is always set.
   *
   * @default - only the pool label
   */
  readonly labels?: { [key: string]: string };

  /**
   * The smallest number of nodes. 0 lets the autoscaler remove every node when no pod needs the pool.
   *
   * @default 0
   */
  readonly minSize?: number;

  /**
   * The largest number of nodes.
   *
   * @default 10
   */
  readonly maxSize?: number;

  /**
   * For a spot pool: the on-demand pool its workloads fall back to when spot has no capacity for any of its
   * instance types. Executors placed on this pool may also run there (spot preferred), and the autoscaler's
   * priority expander tries it after every spot pool.
   *
   * @default - no fallback: when spot runs dry, executors wait
   */
  readonly fallback?: NodePool;

  /**
   * The size of each node's root volume (gp3, encrypted). Spark's shuffle and spill go to local disk: on
   * instance types without NVMe instance store, that is this volume.
   *
   * @default Size.gibibytes(100)
   */
  readonly rootVolumeSize?: Size;

  /**
   * Instance types of `instanceTypes` that the library's table does not know (`InstanceType.known`), described.
   *
   * @default - none: every instance type must be in the table
   */
  readonly describedInstanceTypes?: InstanceType[];

  /**
   * Let the pool list instance types of different vCPUs or memory. The cluster-autoscaler builds the node it
   * plans with from one of them (the first of the Auto Scaling group's overrides), so a scale-up may bring a
   * smaller node than it planned: the pool's capacity checks then use the smallest type, and a warning says so.
   *
   * @default false
   */
  readonly allowMixedInstanceSizes?: boolean;
}

// Label prefixes reserved to Kubernetes: the NodeRestriction admission plugin forbids kubelets to set them, so
// EKS node groups cannot carry them.
const RESERVED_LABEL_DOMAINS = ['kubernetes.io', 'k8s.io'];
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const MAX_TAINTS = 50;

/**
 * A pool of nodes: one EKS managed node group on the AWS side, a set of tolerations and a node selection on
 * the Kubernetes side.
 *
 * A `NodePool` is a plain value object, not a construct: define it once and hand the same object to the AWS
 * app (which creates the node group) and to the cdk8s app (which places pods on it), so a taint or a label is
 * written in one place only.
 *
 * @example
 *
 * const spot = new NodePool({
 *   name: 'spark-spot',
 *   capacityType: CapacityType.SPOT,
 *   instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm6i.2xlarge'],
 *   taints: [{ key: 'spark-platform.io/spot', value: 'true', effect: kplus.TaintEffect.NO_SCHEDULE }],
 *   maxSize: 50,
 * });
 */
export class NodePool {
  /**
   * The node label every node of a pool carries, with the pool's name as its value. Placement selects pools
   * by it.
   */
  public static readonly POOL_LABEL = 'spark-platform.io/node-pool';

  /** The pool's name. */
  public readonly name: string;
  /** Spot or on-demand. */
  public readonly capacityType: CapacityType;
  /** The EC2 instance types the pool may launch. */
  public readonly instanceTypes: string[];
  /** The CPU architecture shared by all the instance types. */
  public readonly cpuArchitecture: CpuArchitecture;
  /** The taints every node carries. */
  public readonly taints: NodeTaint[];
  /** The smallest number of nodes. */
  public readonly minSize: number;
  /** The largest number of nodes. */
  public readonly maxSize: number;
  /** The on-demand pool this spot pool's workloads fall back to, if any. */
  public readonly fallback?: NodePool;
  /** The size of each node's root volume. */
  public readonly rootVolumeSize: Size;
  /** Every instance type of the pool, described (vCPUs, memory, maximum pods, instance store). */
  public readonly instanceTypeSpecs: InstanceType[];
  /** What the pool's definition warns about (mixed instance sizes, allowed). */
  public readonly warnings: string[] = [];
  private readonly userLabels: { [key: string]: string };

  public constructor(props: NodePoolProps) {
    const where = `NodePool ${JSON.stringify(props?.name)}`;
    checkShape(where, 'NodePoolProps', props, 'props');
    this.name = checkDns1123Label(where, 'name', props.name);

    this.capacityType = checkOneOf(where, 'capacityType', props.capacityType, Object.values(CapacityType));

    this.instanceTypes = validateInstanceTypes(where, props.instanceTypes);
    this.cpuArchitecture = architectureOf(where, this.instanceTypes);
    this.taints = validateTaints(where, checkList<NodeTaint>(where, 'taints', props.taints ?? [], t => typeof t === 'object' && t !== null && !Array.isArray(t), 'taints ({ key, value?, effect })'));
    this.userLabels = validateLabels(where, props.labels ?? {});

    this.minSize = checkInteger(where, 'minSize', props.minSize ?? 0, 0);
    this.maxSize = checkInteger(where, 'maxSize', props.maxSize ?? 10, 1);
    if (this.minSize > this.maxSize) {
      throw invalidProp(where, 'minSize', this.minSize, `must not be greater than maxSize (${this.maxSize})`);
    }
    if (props.fallback !== undefined) {
      if (!(props.fallback instanceof NodePool)) throw invalidProp(where, 'fallback', props.fallback, 'must be a NodePool');
      if (this.capacityType !== CapacityType.SPOT) throw invalidProp(where, 'fallback', props.fallback.name, 'applies to spot pools only: an on-demand pool does not run dry');
      if (props.fallback.isSpot) throw invalidProp(where, 'fallback', props.fallback.name, 'must be an on-demand pool: a spot fallback runs dry with the same market');
      if (props.fallback.cpuArchitecture !== this.cpuArchitecture) {
        throw invalidProp(where, 'fallback', props.fallback.name, `is ${props.fallback.cpuArchitecture} but this pool is ${this.cpuArchitecture}: the same images must run on both`);
      }
      this.fallback = props.fallback;
    }
    this.instanceTypeSpecs = describeInstanceTypes(where, this.instanceTypes, props.describedInstanceTypes ?? []);
    checkSizesAgree(where, this.instanceTypeSpecs, props.allowMixedInstanceSizes ?? false, this.warnings);
    this.rootVolumeSize = props.rootVolumeSize ?? Size.gibibytes(100);
    const rootGiB = this.rootVolumeSize.toGibibytes();
    if (!Number.isInteger(rootGiB) || rootGiB < 20 || rootGiB > 16384) {
      throw invalidProp(where, 'rootVolumeSize', `${this.rootVolumeSize.toMebibytes()} MiB`, 'must be whole GiB between 20 and 16384 (gp3 limits; EKS\'s default is 20)');
    }
  }

  /** The instance type with the least memory (then the fewest vCPUs): what capacity checks plan with. */
  public get smallestInstanceType(): InstanceType {
    return [...this.instanceTypeSpecs].sort((a, b) => a.memoryMiB - b.memoryMiB || a.vcpus - b.vcpus)[0];
  }

  /** True when any of the pool's instance types has NVMe instance store. */
  public get hasLocalNvme(): boolean {
    return this.instanceTypeSpecs.some(t => t.hasLocalNvme);
  }

  /** True when the pool runs on spot instances. */
  public get isSpot(): boolean {
    return this.capacityType === CapacityType.SPOT;
  }

  /**
   * Every label the pool's nodes carry: the user's labels and `NodePool.POOL_LABEL`.
   */
  public get labels(): { [key: string]: string } {
    return { ...this.userLabels, [NodePool.POOL_LABEL]: this.name };
  }

  /**
   * The name of the EKS managed node group that runs this pool. The AWS side names the node group with it and
   * the cluster-autoscaler's priority expander matches its Auto Scaling group through
   * `autoScalingGroupNamePattern`: this is the one place that naming lives.
   */
  public get nodeGroupName(): string {
    return this.name;
  }

  /**
   * A regular expression matching exactly the name of the Auto Scaling group EKS creates for the pool's managed
   * node group (`eks-<node group name>-<node group uuid>`), and not the group of a pool whose name merely
   * starts with this one's.
   */
  public get autoScalingGroupNamePattern(): string {
    return `^eks-${this.nodeGroupName}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`;
  }

  /**
   * The tags that tell the cluster-autoscaler the labels and taints of the pool's nodes while the group has no
   * node to look at (scale from zero): `k8s.io/cluster-autoscaler/node-template/label/<key>` and
   * `.../taint/<key>` = `<value>:<Effect>`.
   */
  public get autoscalerNodeTemplateTags(): { [key: string]: string } {
    const tags: { [key: string]: string } = {};
    for (const [key, value] of Object.entries(this.labels)) {
      tags[`k8s.io/cluster-autoscaler/node-template/label/${key}`] = value;
    }
    for (const taint of this.taints) {
      tags[`k8s.io/cluster-autoscaler/node-template/taint/${taint.key}`] = NodeTaints.toAutoscalerTagValue(taint);
    }
    return tags;
  }
}

function describeInstanceTypes(where: string, names: string[], described: InstanceType[]): InstanceType[] {
  const byName = new Map(described.map(t => [t.name, t]));
  for (const type of described) {
    if (!(type instanceof InstanceType)) throw invalidProp(where, 'describedInstanceTypes', type, 'must be InstanceType.describe(...) values');
    if (!names.includes(type.name)) throw invalidProp(where, 'describedInstanceTypes', type.name, 'is not one of instanceTypes');
  }
  return names.map((name, i) => {
    const spec = byName.get(name) ?? InstanceType.of(name);
    if (!spec) {
      throw invalidProp(where, `instanceTypes[${i}]`, name, 'is not in the library\'s instance table (general purpose, memory, compute and storage optimized families, '
        + 'large to 16xlarge): describe it with describedInstanceTypes: [InstanceType.describe({ name, vcpus, memory, maxPods, localNvme })]');
    }
    return spec;
  });
}

// cluster-autoscaler cloudprovider/aws: the template node of a group is built from its first instance type
// (aws_manager.go); its README asks for types of the same vCPUs and memory.
function checkSizesAgree(where: string, specs: InstanceType[], allowMixed: boolean, warnings: string[]): void {
  const first = specs[0];
  const other = specs.find(t => t.vcpus !== first.vcpus || t.memoryMiB !== first.memoryMiB);
  if (!other) return;
  const sizes = `"${first.name}" has ${first.vcpus} vCPUs and ${first.memoryMiB} MiB, "${other.name}" ${other.vcpus} vCPUs and ${other.memoryMiB} MiB`;
  if (!allowMixed) {
    throw invalidProp(where, 'instanceTypes', specs.map(t => t.name), `must share vCPUs and memory (${sizes}): the cluster-autoscaler plans a `
      + 'scale-up with one of them and may get another; list same-size types, or set allowMixedInstanceSizes');
  }
  const warning = `${where}: instance types of different sizes (${sizes}): the cluster-autoscaler may plan with a larger node than it gets; `
    + 'capacity checks use the smallest';
  warnings.push(warning);
  process.stderr.write(`[WARNING] ${warning}\n`);
}

function validateInstanceTypes(where: string, instanceTypes: string[]): string[] {
  if (!Array.isArray(instanceTypes) || instanceTypes.length === 0) {
    throw invalidProp(where, 'instanceTypes', instanceTypes, 'must list at least one EC2 instance type, e.g. "m5.2xlarge"');
  }
  const seen = new Set<string>();
  instanceTypes.forEach((type, i) => {
    if (typeof type !== 'string' || !INSTANCE_TYPE.test(type)) {
      throw invalidProp(where, `instanceTypes[${i}]`, type, 'must be an EC2 instance type such as "m5.2xlarge"');
    }
    if (seen.has(type)) throw invalidProp(where, `instanceTypes[${i}]`, type, 'is listed twice');
    seen.add(type);
  });
  return [...instanceTypes];
}

function architectureOf(where: string, instanceTypes: string[]): CpuArchitecture {
  const archOf = (type: string) => InstanceType.cpuArchitectureOf(type);
  const first = archOf(instanceTypes[0]);
  instanceTypes.forEach((type, i) => {
    if (archOf(type) !== first) {
      throw invalidProp(where, `instanceTypes[${i}]`, type,
        `is ${archOf(type)} but "${instanceTypes[0]}" is ${first}: a node group has one AMI type, so all instance types must share one CPU architecture`);
    }
  });
  return first;
}

function validateTaints(where: string, taints: NodeTaint[]): NodeTaint[] {
  if (taints.length > MAX_TAINTS) {
    throw invalidProp(where, 'taints', `${taints.length} taints`, `EKS allows at most ${MAX_TAINTS} taints per node group`);
  }
  const keys = new Set<string>();
  return taints.map((taint, i) => {
    const keyProblem = qualifiedNameProblem(taint.key);
    if (keyProblem) throw invalidProp(where, `taints[${i}].key`, taint.key, keyProblem);
    if (taint.value !== undefined) {
      const valueProblem = labelValueProblem(taint.value);
      if (valueProblem) throw invalidProp(where, `taints[${i}].value`, taint.value, valueProblem);
    }
    checkOneOf(where, `taints[${i}].effect`, taint.effect, Object.values(TaintEffect));
    if (keys.has(taint.key)) {
      throw invalidProp(where, `taints[${i}].key`, taint.key, 'is used by another taint of this pool: taint keys must be unique');
    }
    keys.add(taint.key);
    return { key: taint.key, value: taint.value, effect: taint.effect };
  });
}

function validateLabels(where: string, labels: { [key: string]: string }): { [key: string]: string } {
  checkLabels(where, 'labels', labels);
  for (const key of Object.keys(labels)) {
    if (key === NodePool.POOL_LABEL) {
      throw invalidProp(where, 'labels', key, 'is set by the library to the pool name; choose another key');
    }
    if (keyInDomains(key, RESERVED_LABEL_DOMAINS)) {
      throw invalidProp(where, 'labels', key,
        'uses a prefix reserved to Kubernetes (kubernetes.io, k8s.io): node groups cannot set it; use your own prefix');
    }
  }
  return { ...labels };
}
