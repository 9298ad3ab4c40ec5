import * as fs from 'fs';
import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { TaintEffect } from 'cdk8s-plus-33';
import {
  CapacityType, ClusterAutoscaler, InstanceType, LoggingOperator, Logging, NodeCapacity, NodePool, Placement, PlatformPriority, SparkJobType,
  SparkMemory, SparkOperator,
} from '../lib';
import { bindings, findObject, scalaJob, systemPool, teamA } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

const onDemandExecutors = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'],
  maxSize: 20,
  taints: [{ key: 'spark-platform.io/capacity', value: 'on-demand', effect: TaintEffect.NO_SCHEDULE }],
});
const spotWithFallback = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm6i.2xlarge'],
  maxSize: 50,
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
  fallback: onDemandExecutors,
});
const pools = [systemPool, spotWithFallback, onDemandExecutors];

function platform() {
  const chart = Testing.chart();
  const operator = new SparkOperator(chart, 'spark-operator', { nodePools: pools, bindings });
  return { chart, operator, jobs: operator.addTeam(teamA) };
}

describe('NodeCapacity: allocatable as nodeadm computes it', () => {
  // awslabs/amazon-eks-ami nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve: 600, 100, 50 and 25
  // per ten thousand of the ranges 0-1, 1-2, 2-4 and 4+ cores, each truncated; getMemoryMebibytesToReserve.
  test.each([[1, 60], [2, 70], [4, 80], [8, 90], [16, 110], [48, 190], [64, 230]])('kube-reserved CPU of %i vCPUs is %im', (vcpus, millis) => {
    expect(NodeCapacity.kubeReservedCpuMillis(vcpus)).toBe(millis);
  });

  test('memory: 255 MiB + 11 MiB per pod, and the 100 MiB eviction threshold; then the daemon sets', () => {
    const node = NodeCapacity.of(InstanceType.of('r5d.4xlarge')!);
    // 16 vCPUs, 128 GiB, 234 pods (eni-max-pods.txt), 600 GiB NVMe.
    expect(node.instanceType).toMatchObject({ vcpus: 16, memoryMiB: 131072, maxPods: 234, localNvmeGiB: 600 });
    expect(NodeCapacity.kubeReservedMemoryMiB(234)).toBe(2829);
    // The kubelet reports the kernel's MemTotal, below the EC2 figure: 7.5% less, as Karpenter assumes
    // (aws/karpenter-provider-aws v1.14.1 website/content/en/docs/troubleshooting.md, VM_MEMORY_OVERHEAD_PERCENT).
    expect(NodeCapacity.memoryCapacityMiB(node.instanceType)).toBe(131072 - Math.ceil(131072 * 0.075));
    expect(node.allocatableMemoryMiB).toBe(131072 - 9831 - 2829 - 100);
    expect(node.allocatableCpuMillis).toBe(16000 - 110);
    // aws-node 50m, ebs-csi-node 30m and 104 MiB, kube-proxy 100m.
    expect(node.availableCpuMillis).toBe(16000 - 110 - 180);
    expect(node.availableMemoryMiB).toBe(131072 - 9831 - 2829 - 100 - 104);
  });

  test('an executor sized into the last GiB of the EC2 figure fails: the kubelet never sees that memory', () => {
    const node = NodeCapacity.of(InstanceType.of('m5.2xlarge')!);
    // 32768 MiB from EC2; what the kernel reports is about 2.4 GiB less.
    expect(node.podsThatFit({ cpuMillis: 1000, memoryMiB: 31000 })).toBe(0);
    expect(node.podsThatFit({ cpuMillis: 1000, memoryMiB: 29000 })).toBe(1);
  });

  test('the table and described types', () => {
    expect(InstanceType.of('m5.2xlarge')).toMatchObject({ vcpus: 8, memoryMiB: 32768, maxPods: 58, localNvmeGiB: 0 });
    expect(InstanceType.of('m7g.4xlarge')).toMatchObject({ vcpus: 16, memoryMiB: 65536, maxPods: 234 });
    expect(InstanceType.of('g5.2xlarge')).toBeUndefined();
    expect(InstanceType.known.length).toBeGreaterThan(300);
    expect(() => InstanceType.describe({ name: 'g5.2xlarge', vcpus: 0, memory: Size.gibibytes(32), maxPods: 58 })).toThrow('InstanceType "g5.2xlarge": invalid prop "vcpus" 0');
  });
});

describe('NodePool: instance types', () => {
  test('a type the table does not know must be described', () => {
    expect(() => new NodePool({ name: 'gpu', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['g5.2xlarge'] }))
      .toThrow('NodePool "gpu": invalid prop "instanceTypes[0]" "g5.2xlarge": is not in the library\'s instance table');
    const gpu = new NodePool({
      name: 'gpu',
      capacityType: CapacityType.ON_DEMAND,
      instanceTypes: ['g5.2xlarge'],
      describedInstanceTypes: [InstanceType.describe({ name: 'g5.2xlarge', vcpus: 8, memory: Size.gibibytes(32), maxPods: 58, localNvme: Size.gibibytes(450) })],
    });
    expect(gpu.hasLocalNvme).toBe(true);
  });

  // cluster-autoscaler cloudprovider/aws aws_manager.go builds a group's template node from its first type.
  test('types of different sizes are an error, or with the opt-in a warning and the smallest type planned with', () => {
    expect(() => new NodePool({ name: 'mixed', capacityType: CapacityType.SPOT, instanceTypes: ['m5.2xlarge', 'm5.4xlarge'] }))
      .toThrow('NodePool "mixed": invalid prop "instanceTypes" ["m5.2xlarge","m5.4xlarge"]: must share vCPUs and memory ("m5.2xlarge" has 8 vCPUs and 32768 MiB, '
        + '"m5.4xlarge" 16 vCPUs and 65536 MiB)');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const mixed = new NodePool({ name: 'mixed', capacityType: CapacityType.SPOT, instanceTypes: ['m5.4xlarge', 'm5.2xlarge'], allowMixedInstanceSizes: true });
      expect(mixed.smallestInstanceType.name).toBe('m5.2xlarge');
      expect(mixed.warnings).toEqual([expect.stringContaining('NodePool "mixed": instance types of different sizes')]);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('[WARNING] NodePool "mixed"'));
    } finally {
      stderr.mockRestore();
    }
  });

  test('root volume and fallback are checked', () => {
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.SPOT, instanceTypes: ['m5.large'], rootVolumeSize: Size.gibibytes(10) }))
      .toThrow('NodePool "x": invalid prop "rootVolumeSize" "10240 MiB": must be whole GiB between 20 and 16384');
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'], fallback: onDemandExecutors }))
      .toThrow('NodePool "x": invalid prop "fallback" "spark-on-demand": applies to spot pools only');
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.SPOT, instanceTypes: ['m5.large'], fallback: spotWithFallback }))
      .toThrow('invalid prop "fallback" "spark-spot": must be an on-demand pool');
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.SPOT, instanceTypes: ['m6g.large'], fallback: onDemandExecutors }))
      .toThrow('invalid prop "fallback" "spark-on-demand": is x86_64 but this pool is arm64');
  });
});

describe('executors that fit', () => {
  test('a pod larger than a node of its pool fails at synth, naming the pod, the pool, the type, the request and what is left', () => {
    const { chart, jobs } = platform();
    jobs.addJob('huge', { ...scalaJob, executor: { cores: 8, memory: SparkMemory.of('28g') } });
    expect(() => Testing.synth(chart)).toThrow('test/spark-operator/team-a/huge: invalid prop "executor.cores" 8: makes executor pods that fit no node of pool '
      + '"spark-spot": they request 8000m CPU and 31539 MiB (heap 28672 + overhead 2867 MiB), '
      + 'but a node of type m5.2xlarge has 7730m CPU and 29213 MiB for them after kube-reserved, the eviction threshold and the daemon sets '
      + '(aws-node, ebs-csi-node, kube-proxy): the pods would stay Pending');
  });

  test('the platform\'s own daemon sets count, wherever they are declared', () => {
    const { chart, jobs } = platform();
    // 8 cores fit nowhere; 7500m fits until fluent-bit takes its share of every node.
    jobs.addJob('tight', { ...scalaJob, executor: { cores: 8, coreRequest: kplus.Cpu.millis(7700), memory: SparkMemory.of('24g') } });
    expect(() => synthValid(chart)).not.toThrow();
    new Logging(chart, 'logging', { operator: new LoggingOperator(chart, 'logging-operator', { nodePools: pools }) });
    expect(() => Testing.synth(chart)).toThrow('invalid prop "executor.coreRequest" "7700m": makes executor pods that fit no node of pool "spark-spot": they request 7700m CPU');
  });

  test('coreRequest is rendered and must be at most cores; the overhead is explicit, 40% for Python', () => {
    const { chart, jobs } = platform();
    jobs.addJob('scala', { ...scalaJob, executor: { cores: 4, coreRequest: kplus.Cpu.millis(3500), memory: SparkMemory.of('12g') } });
    jobs.addJob('py', { type: SparkJobType.PYTHON, image: scalaJob.image, mainApplicationFile: 'local:///opt/app/job.py', sparkVersion: '3.5.5' });
    const docs = synthValid(chart);
    const scala = findObject(docs, 'SparkApplication', 'scala').spec;
    expect(scala.executor).toMatchObject({ cores: 4, coreRequest: '3500m', memory: '12g', memoryOverhead: '1228m' });
    expect(scala.driver).toMatchObject({ cores: 1, memory: '2g', memoryOverhead: '384m' });
    expect(findObject(docs, 'SparkApplication', 'py').spec.executor).toMatchObject({ memory: '4g', memoryOverhead: '1638m' });
    expect(() => jobs.addJob('bad', { ...scalaJob, executor: { cores: 2, coreRequest: kplus.Cpu.millis(2500) } }))
      .toThrow('test/spark-operator/team-a/bad: invalid prop "executor.coreRequest" "2500m": must be more than 0 and at most the executor\'s cores (2)');
  });

  test('PySpark and off-heap memory count on executors', () => {
    const { chart, jobs } = platform();
    jobs.addJob('py', {
      type: SparkJobType.PYTHON,
      image: scalaJob.image,
      mainApplicationFile: 'local:///opt/app/job.py',
      sparkVersion: '3.5.5',
      executor: { cores: 4, memory: SparkMemory.of('16g') },
      sparkConf: { 'spark.executor.pyspark.memory': '8g', 'spark.memory.offHeap.enabled': 'true', 'spark.memory.offHeap.size': '4g' },
    });
    expect(() => Testing.synth(chart)).toThrow('invalid prop "executor.memory" "16g": makes executor pods that fit no node of pool "spark-spot": they request 4000m CPU and 35225 MiB (heap 16384 + overhead 6553 + 12288 MiB)');
  });
});

describe('fallback to on-demand and priorities', () => {
  test('executors may run on the spot pool\'s on-demand fallback, spot preferred; drivers stay on on-demand', () => {
    const { chart, jobs } = platform();
    jobs.addJob('etl', scalaJob);
    const spec = findObject(synthValid(chart), 'SparkApplication', 'etl').spec;
    expect(spec.executor.affinity.nodeAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'spark-platform.io/node-pool', operator: 'In', values: ['spark-spot', 'spark-on-demand'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'spark-platform.io/node-pool', operator: 'In', values: ['spark-spot'] }] } }],
    });
    expect(spec.executor.tolerations).toEqual([
      { key: 'spark-platform.io/capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      { key: 'spark-platform.io/capacity', operator: 'Equal', value: 'on-demand', effect: 'NoSchedule' },
    ]);
    expect(spec.driver.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'system' });
  });

  test('the priority expander tries spot, then its fallback, then the other on-demand pools', () => {
    const chart = Testing.chart();
    const autoscaler = new ClusterAutoscaler(chart, 'ca', { nodePools: pools, bindings });
    expect(autoscaler.priorities).toBe(`50:\n  - ${spotWithFallback.autoScalingGroupNamePattern}\n30:\n  - ${onDemandExecutors.autoScalingGroupNamePattern}\n`
      + `10:\n  - ${systemPool.autoScalingGroupNamePattern}\n`);
  });

  test('a fallback the operator does not know is an error', () => {
    expect(() => new SparkOperator(Testing.chart(), 'op', { nodePools: [systemPool, spotWithFallback], bindings }))
      .toThrow('test/op: invalid prop "nodePools" "spark-on-demand": is the fallback of spot pool "spark-spot" but not one of nodePools');
  });

  // cluster-autoscaler config/flags/flags.go expendable-pods-priority-cutoff (-10): lower pods trigger no scale-up.
  // spark-operator internal/webhook/sparkpod_defaulter.go addPriorityClassName sets the class on the pods.
  test('PriorityClasses: components above drivers above executors, executors never preempt, all trigger scale-ups', () => {
    const { chart, jobs } = platform();
    jobs.addJob('etl', scalaJob);
    const docs = synthValid(chart);
    const classes = docs.filter(d => d.kind === 'PriorityClass');
    expect(classes.map(c => [c.metadata.name, c.value, c.preemptionPolicy ?? 'PreemptLowerPriority'])).toEqual([
      [PlatformPriority.COMPONENTS, 1000000, 'PreemptLowerPriority'], [PlatformPriority.DRIVERS, 10000, 'PreemptLowerPriority'], [PlatformPriority.EXECUTORS, 1000, 'Never'],
    ]);
    for (const c of classes) {
      expect(c.value).toBeGreaterThan(-10);
      expect(c.globalDefault).toBe(false);
      // Before the operators whose pods name them (the namespaces' wave).
      expect(c.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-15' });
    }
    const spec = findObject(docs, 'SparkApplication', 'etl').spec;
    expect([spec.driver.priorityClassName, spec.executor.priorityClassName]).toEqual(['spark-driver', 'spark-executor']);
    const values = (jobs.operator.release as any).values;
    expect([values.controller.priorityClassName, values.webhook.priorityClassName]).toEqual(['spark-platform-components', 'spark-platform-components']);
  });

  test('Placement preferences are checked', () => {
    expect(() => Placement.onPools([spotWithFallback], { preferred: [onDemandExecutors] })).toThrow('Placement: invalid prop "preferred" "spark-on-demand": must be one of the pools');
    expect(() => Placement.onPools([spotWithFallback, onDemandExecutors], { preferred: [spotWithFallback, onDemandExecutors] }))
      .toThrow('names every pool: a preference needs pools that are not preferred');
    expect(Placement.spotWithFallback([spotWithFallback]).poolNames).toEqual(['spark-spot', 'spark-on-demand']);
  });
});

describe('docs/capacity.md', () => {
  // The table in the docs is what the checks compute (EKS's daemon sets and fluent-bit's default request).
  test('its table of instance types is what NodeCapacity computes', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'docs', 'capacity.md'), 'utf-8');
    const rows = text.split('\n').filter(l => /^\| [a-z0-9]+\.[0-9a-z]+ \|/.test(l)).map(l => l.split('|').slice(1, -1).map(c => c.trim()));
    expect(rows.length).toBeGreaterThan(10);
    const daemonSets = [...NodeCapacity.EKS_DAEMON_SETS, { name: 'fluent-bit', cpuMillis: 100, memoryMiB: 256 }];
    for (const [type, vcpus, memory, maxPods, nvme, allocCpu, allocMem, cpu, mem] of rows) {
      const spec = InstanceType.of(type)!;
      const node = NodeCapacity.of(spec, daemonSets);
      expect([type, vcpus, memory, maxPods, nvme, allocCpu, allocMem, cpu, mem]).toEqual([
        type, String(spec.vcpus), String(spec.memoryMiB), String(spec.maxPods), spec.localNvmeGiB ? String(spec.localNvmeGiB) : '-',
        `${node.allocatableCpuMillis}m`, String(node.allocatableMemoryMiB), `${node.availableCpuMillis}m`, String(node.availableMemoryMiB),
      ]);
    }
  });
});
