import { CpuArchitecture } from './capacity-type';
import { InstanceType } from './instance-type';
import { checkArgs, checkShape } from '../validation';

/**
 * What a pod (or a daemon set's pod on every node) requests.
 */
export interface ResourceRequest {
  /** CPU, in millicores. */
  readonly cpuMillis: number;
  /** Memory, in MiB. */
  readonly memoryMiB: number;
}

/**
 * A daemon set that runs one pod on every node, and what that pod requests.
 */
export interface DaemonSetRequest extends ResourceRequest {
  /** The daemon set's name (for messages). */
  readonly name: string;
}

// nodeadm's eviction threshold (awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go: memory.available 100Mi).
const EVICTION_MEMORY_MIB = 100;
// The memory Graviton kernels reserve for CMA, which no pod gets (Karpenter v1.14.1 types.go memory()).
const GRAVITON_CMA_MIB = 64;

/**
 * What a node of an instance type offers pods, as EKS computes it on AL2023 (awslabs/amazon-eks-ami
 * `nodeadm/internal/kubelet/config.go`): capacity minus kube-reserved (CPU: 6% of the first core, 1% of the
 * second, 0.5% of the third and fourth, 0.25% of the others, each range truncated to whole millicores; memory:
 * 255 MiB + 11 MiB per pod the node may run), minus the 100 MiB memory eviction threshold (allocatable), minus
 * the requests of the daemon sets every node runs (available). There is no system-reserved.
 *
 * The memory the kubelet sees (the kernel's MemTotal) is below the EC2 figure: the firmware, the kernel and the
 * hypervisor keep some, and Graviton kernels 64 MiB more for CMA. The capacity counted here is the EC2 memory (less
 * those 64 MiB on Graviton) less `VM_MEMORY_OVERHEAD_PERCENT`, Karpenter's
 * default for the same gap (aws/karpenter-provider-aws v1.14.1 `website/content/en/docs/troubleshooting.md`: "tuned
 * to closely match reality for the majority of instance types while not overestimating"), so an executor sized
 * into the last GiB fails at synth rather than staying Pending.
 */
export class NodeCapacity {
  /**
   * The daemon sets of every EKS node with the library's add-ons, at their upstream defaults:
   * aws-node (amazon-vpc-cni-k8s v1.23.0 charts/aws-vpc-cni/values.yaml: 25m for each of its two containers),
   * ebs-csi-node (aws-ebs-csi-driver chart 2.64.0: 10m and 40Mi for the driver, 10m and 32Mi for each sidecar),
   * kube-proxy (100m: the EKS add-on publishes no manifest; the value seen on clusters), and
   * eks-pod-identity-agent (no requests).
   */
  public static readonly EKS_DAEMON_SETS: DaemonSetRequest[] = [
    { name: 'aws-node', cpuMillis: 50, memoryMiB: 0 },
    { name: 'ebs-csi-node', cpuMillis: 30, memoryMiB: 104 },
    { name: 'kube-proxy', cpuMillis: 100, memoryMiB: 0 },
    { name: 'eks-pod-identity-agent', cpuMillis: 0, memoryMiB: 0 },
  ];

  /**
   * The share of an instance type's EC2 memory the node's kernel does not report (percent): Karpenter's
   * `VM_MEMORY_OVERHEAD_PERCENT` default, 7.5 (aws/karpenter-provider-aws v1.14.1 pkg/operator/options/options.go).
   */
  public static readonly VM_MEMORY_OVERHEAD_PERCENT = 7.5;

  /** The memory a node's kubelet reports as capacity for `instanceType`, in MiB (EC2 memory less the VM overhead). */
  public static memoryCapacityMiB(instanceType: InstanceType): number {
    checkArgs('NodeCapacity.memoryCapacityMiB', 'NodeCapacity', 'memoryCapacityMiB', [instanceType]);
    return memoryCapacityMiB(instanceType);
  }

  /** The CPU kube-reserved sets aside on a node of `vcpus` vCPUs, in millicores. */
  public static kubeReservedCpuMillis(vcpus: number): number {
    checkArgs('NodeCapacity.kubeReservedCpuMillis', 'NodeCapacity', 'kubeReservedCpuMillis', [vcpus]);
    return kubeReservedCpuMillis(vcpus);
  }

  /** The memory kube-reserved sets aside on a node that may run `maxPods` pods, in MiB. */
  public static kubeReservedMemoryMiB(maxPods: number): number {
    checkArgs('NodeCapacity.kubeReservedMemoryMiB', 'NodeCapacity', 'kubeReservedMemoryMiB', [maxPods]);
    return kubeReservedMemoryMiB(maxPods);
  }

  /** The capacity of a node of `instanceType` running `daemonSets` (the EKS ones and the platform's). */
  public static of(instanceType: InstanceType, daemonSets: DaemonSetRequest[] = NodeCapacity.EKS_DAEMON_SETS): NodeCapacity {
    checkArgs('NodeCapacity.of', 'NodeCapacity', 'of', [instanceType, daemonSets]);
    return new NodeCapacity(instanceType, daemonSets);
  }

  /** The instance type. */
  public readonly instanceType: InstanceType;
  /** The daemon sets counted. */
  public readonly daemonSets: DaemonSetRequest[];
  /** CPU the scheduler may give pods, in millicores (capacity minus kube-reserved). */
  public readonly allocatableCpuMillis: number;
  /** Memory the scheduler may give pods, in MiB (capacity as the kubelet sees it minus kube-reserved and the eviction threshold). */
  public readonly allocatableMemoryMiB: number;
  /** CPU left for other pods once the daemon sets run, in millicores. */
  public readonly availableCpuMillis: number;
  /** Memory left for other pods once the daemon sets run, in MiB. */
  public readonly availableMemoryMiB: number;

  private constructor(instanceType: InstanceType, daemonSets: DaemonSetRequest[]) {
    this.instanceType = instanceType;
    this.daemonSets = [...daemonSets];
    // The arguments were checked by `of`: the unchecked computations.
    this.allocatableCpuMillis = instanceType.vcpus * 1000 - kubeReservedCpuMillis(instanceType.vcpus);
    this.allocatableMemoryMiB = memoryCapacityMiB(instanceType) - kubeReservedMemoryMiB(instanceType.maxPods) - EVICTION_MEMORY_MIB;
    this.availableCpuMillis = this.allocatableCpuMillis - daemonSets.reduce((sum, d) => sum + d.cpuMillis, 0);
    this.availableMemoryMiB = this.allocatableMemoryMiB - daemonSets.reduce((sum, d) => sum + d.memoryMiB, 0);
  }

  /** How many pods of `request` fit on one node next to the daemon sets (0 when none does). */
  public podsThatFit(request: ResourceRequest): number {
    checkShape('NodeCapacity.podsThatFit', 'ResourceRequest', request, 'request');
    const byCpu = request.cpuMillis > 0 ? Math.floor(this.availableCpuMillis / request.cpuMillis) : Infinity;
    const byMemory = request.memoryMiB > 0 ? Math.floor(this.availableMemoryMiB / request.memoryMiB) : Infinity;
    const pods = Math.min(byCpu, byMemory, this.instanceType.maxPods - this.daemonSets.length);
    return Math.max(0, pods);
  }
}

// Karpenter's arithmetic, to the float (aws/karpenter-provider-aws v1.14.1 pkg/providers/instancetype/types.go
// memory()): Graviton types lose 64 MiB to the kernel's CMA reservation first, then the VM overhead of the bytes
// left is rounded up to a whole MiB.
function memoryCapacityMiB(instanceType: InstanceType): number {
  const mib = instanceType.memoryMiB - (instanceType.cpuArchitecture === CpuArchitecture.ARM_64 ? GRAVITON_CMA_MIB : 0);
  return mib - Math.ceil(mib * 1024 * 1024 * (NodeCapacity.VM_MEMORY_OVERHEAD_PERCENT / 100) / 1024 / 1024);
}

function kubeReservedCpuMillis(vcpus: number): number {
  const total = vcpus * 1000;
  const ranges: Array<[number, number, number]> = [[0, 1000, 600], [1000, 2000, 100], [2000, 4000, 50], [4000, total, 25]];
  const inRange = (start: number, end: number, perTenThousand: number) =>
    (total <= start ? 0 : Math.trunc((Math.min(total, end) - start) * perTenThousand / 10000));
  return ranges.reduce((sum, [start, end, perTenThousand]) => sum + inRange(start, end, perTenThousand), 0);
}

function kubeReservedMemoryMiB(maxPods: number): number {
  return 11 * maxPods + 255;
}
