import { Construct } from 'constructs';
import { AppFacts } from '../../facts';
import { NodeCapacity, Placement, ResourceRequest } from '../../scheduling';
import { cpuMillisOf, invalidProp, invalidPropMessage } from '../../validation';
import { SparkApplicationOptions, SparkJobType, SparkPodOptions } from '../spark-application-options';
import { SparkMemory } from '../spark-memory';

/** The driver or the executors. */
export type SparkRole = 'driver' | 'executor';

/**
 * What a driver or executor pod asks Kubernetes for, as Spark computes it (BasicDriverFeatureStep,
 * BasicExecutorFeatureStep): CPU = `coreRequest`, else `cores`; memory = heap + overhead (+ PySpark memory and
 * off-heap memory on executors), the overhead `memoryOverhead`, else max(factor x heap, 384 MiB) with factor
 * 0.1 for JVM jobs and 0.4 for Python and R jobs (`spark.kubernetes.memoryOverheadFactor`).
 */
export interface SparkPodRequest extends ResourceRequest {
  /** The heap, in MiB. */
  readonly heapMiB: number;
  /** The overhead, in MiB. */
  readonly overheadMiB: number;
  /** PySpark and off-heap memory, in MiB. */
  readonly extraMiB: number;
  /** The cores Spark schedules tasks on. */
  readonly cores: number;
}

const MIN_OVERHEAD_MIB = 384;
const DEFAULTS: { [role: string]: { cores: number; memory: SparkMemory } } = {
  driver: { cores: 1, memory: SparkMemory.of('2g') },
  executor: { cores: 2, memory: SparkMemory.of('4g') },
};

/** The request of a job's driver or executor pods. */
export function sparkPodRequest(where: Construct, p: SparkApplicationOptions, role: SparkRole): SparkPodRequest {
  const options: SparkPodOptions = (role === 'driver' ? p.driver : p.executor) ?? {};
  const conf = p.sparkConf ?? {};
  const cores = options.cores ?? DEFAULTS[role].cores;
  const heapMiB = (options.memory ?? DEFAULTS[role].memory).toMebibytes();
  const factor = Number(conf[`spark.${role}.memoryOverheadFactor`] ?? conf['spark.kubernetes.memoryOverheadFactor']
    ?? (p.type === SparkJobType.PYTHON || p.type === SparkJobType.R ? 0.4 : 0.1));
  const overheadMiB = options.memoryOverhead ? options.memoryOverhead.toMebibytes() : Math.max(Math.trunc(factor * heapMiB), MIN_OVERHEAD_MIB);
  const extraMiB = role === 'executor' ? executorExtraMiB(where, conf) : 0;
  let cpuMillis = cores * 1000;
  if (options.coreRequest !== undefined) {
    const millis = cpuMillisOf(options.coreRequest.amount);
    if (!(millis > 0) || millis > cores * 1000) {
      throw invalidProp(where, `${role}.coreRequest`, options.coreRequest.amount, `must be more than 0 and at most the ${role}'s cores (${cores}), e.g. Cpu.millis(3500) for 4 cores`);
    }
    cpuMillis = millis;
  }
  return { cores, heapMiB, overheadMiB, extraMiB, cpuMillis, memoryMiB: heapMiB + overheadMiB + extraMiB };
}

// PySpark worker memory and off-heap memory are added to the executor pod's memory (BasicExecutorFeatureStep).
function executorExtraMiB(where: Construct, conf: { [key: string]: string }): number {
  let extra = 0;
  const pyspark = conf['spark.executor.pyspark.memory'];
  if (pyspark) extra += sparkConfMiB(where, 'spark.executor.pyspark.memory', pyspark);
  if (conf['spark.memory.offHeap.enabled'] === 'true' && conf['spark.memory.offHeap.size']) {
    extra += sparkConfMiB(where, 'spark.memory.offHeap.size', conf['spark.memory.offHeap.size']);
  }
  return extra;
}

function sparkConfMiB(where: Construct, key: string, value: string): number {
  const memory = SparkMemory.of(value);
  if (memory.problem) throw invalidProp(where, `sparkConf["${key}"]`, value, memory.problem);
  return memory.toMebibytes();
}

/**
 * Why a pod of `request` fits no node of some pool of `placement` (each pool's smallest instance type, after
 * kube-reserved, the eviction threshold and every daemon set), or nothing when it fits.
 */
export function capacityProblems(
  where: Construct, role: SparkRole, p: SparkApplicationOptions, request: SparkPodRequest, placement: Placement,
): string[] {
  const daemonSets = AppFacts.of(where).daemonSetsOnEveryNode();
  const options: SparkPodOptions = (role === 'driver' ? p.driver : p.executor) ?? {};
  return placement.pools.flatMap(pool => {
    const node = NodeCapacity.of(pool.smallestInstanceType, daemonSets);
    if (node.podsThatFit(request) > 0) return [];
    // Name the prop that does not fit: the CPU one when CPU does not, else memory.
    const [prop, value] = request.cpuMillis > node.availableCpuMillis
      ? (options.coreRequest ? [`${role}.coreRequest`, options.coreRequest.amount] : [`${role}.cores`, request.cores])
      : [`${role}.memory`, options.memory?.value ?? `${request.heapMiB}m`];
    return [invalidPropMessage(where, prop, value, `makes ${role} pods that fit no node of pool "${pool.name}": they request ${request.cpuMillis}m CPU and `
      + `${request.memoryMiB} MiB (heap ${request.heapMiB} + overhead ${request.overheadMiB}${request.extraMiB ? ` + ${request.extraMiB}` : ''} MiB), but a `
      + `node of type ${node.instanceType.name} has ${node.availableCpuMillis}m CPU and ${node.availableMemoryMiB} MiB for them after kube-reserved, the eviction threshold `
      + `and the daemon sets (${daemonSets.filter(d => d.cpuMillis || d.memoryMiB).map(d => d.name).join(', ')}): `
      + 'the pods would stay Pending; lower cores, coreRequest or memory, or place them on a pool of larger nodes')];
  });
}
