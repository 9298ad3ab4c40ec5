import { Size } from 'cdk8s';
import { checkArgs, checkInteger, checkShape, invalidProp } from '../validation';
import { CpuArchitecture } from './capacity-type';
import { INSTANCE_TYPE_TABLE } from './private/instance-type-table';

// Graviton families: a1, or a family whose generation digit is followed by 'g' (m6g, c7gn, r8gd, t4g, im4gn, x2gd).
const GRAVITON_FAMILY = /^(a1|[a-z]+[0-9]+g[a-z]*)$/;

/**
 * What describes an EC2 instance type for capacity planning.
 */
export interface InstanceTypeProps {
  /** The instance type, e.g. `g5.2xlarge`. */
  readonly name: string;

  /** Its vCPUs. */
  readonly vcpus: number;

  /** Its memory. */
  readonly memory: Size;

  /**
   * The most pods its kubelet runs (with the VPC CNI's defaults: ENIs x (IPv4 addresses per ENI - 1) + 2, as in
   * amazon-vpc-cni-k8s `misc/eni-max-pods.txt`).
   */
  readonly maxPods: number;

  /**
   * Its NVMe instance store, all disks together.
   *
   * @default - none
   */
  readonly localNvme?: Size;
}

/**
 * An EC2 instance type: vCPUs, memory, maximum pods and NVMe instance store. The library knows the families
 * Spark users pick (general purpose, memory, compute and storage optimized, Intel, AMD and Graviton, sizes
 * `large` to `16xlarge`: `InstanceType.of`); describe any other with `InstanceType.describe` and give it to the
 * pool (`NodePoolProps.describedInstanceTypes`).
 */
export class InstanceType {
  /** The instance type from the library's table, or undefined when the table does not have it. */
  public static of(name: string): InstanceType | undefined {
    checkArgs('InstanceType.of', 'InstanceType', 'of', [name]);
    const row = INSTANCE_TYPE_TABLE[name];
    if (!row) return undefined;
    const [vcpus, memoryMiB, maxPods, nvmeGiB] = row;
    return new InstanceType({ name, vcpus, memory: Size.mebibytes(memoryMiB), maxPods, localNvme: nvmeGiB ? Size.gibibytes(nvmeGiB) : undefined });
  }

  /** An instance type the library's table does not have (a GPU type, say), described by you. */
  public static describe(props: InstanceTypeProps): InstanceType {
    checkShape('InstanceType.describe', 'InstanceTypeProps', props, 'props');
    return new InstanceType(props);
  }

  /** The CPU architecture of an instance type, from its family's name (Graviton families are arm64). */
  public static cpuArchitectureOf(name: string): CpuArchitecture {
    checkArgs('InstanceType.cpuArchitectureOf', 'InstanceType', 'cpuArchitectureOf', [name]);
    return GRAVITON_FAMILY.test(name.split('.')[0]) ? CpuArchitecture.ARM_64 : CpuArchitecture.X86_64;
  }

  /** The instance types the library knows. */
  public static get known(): string[] {
    return Object.keys(INSTANCE_TYPE_TABLE);
  }

  /** The instance type's name. */
  public readonly name: string;
  /** Its vCPUs. */
  public readonly vcpus: number;
  /** Its memory, in MiB. */
  public readonly memoryMiB: number;
  /** The most pods a node of it runs. */
  public readonly maxPods: number;
  /** Its NVMe instance store in GiB (0 when it has none). */
  public readonly localNvmeGiB: number;

  private constructor(props: InstanceTypeProps) {
    const where = `InstanceType ${JSON.stringify(props.name)}`;
    if (typeof props.name !== 'string' || !/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(props.name)) {
      throw invalidProp(where, 'name', props.name, 'must be an EC2 instance type such as "g5.2xlarge"');
    }
    this.name = props.name;
    this.vcpus = checkInteger(where, 'vcpus', props.vcpus, 1);
    this.memoryMiB = checkInteger(where, 'memory', props.memory?.toMebibytes(), 512);
    this.maxPods = checkInteger(where, 'maxPods', props.maxPods, 1, 737);
    this.localNvmeGiB = props.localNvme ? checkInteger(where, 'localNvme', props.localNvme.toGibibytes(), 0) : 0;
  }

  /** Its CPU architecture (Graviton families are arm64), from its family's name. */
  public get cpuArchitecture(): CpuArchitecture {
    return InstanceType.cpuArchitectureOf(this.name);
  }

  /** True when it has NVMe instance store. */
  public get hasLocalNvme(): boolean {
    return this.localNvmeGiB > 0;
  }
}
