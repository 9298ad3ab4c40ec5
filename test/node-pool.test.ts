import { Size } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-33';
import { CapacityType, CpuArchitecture, InstanceType, NodePool, NodeTaints } from '../lib';

const spotProps = {
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
  labels: { 'spark-platform.io/role': 'executor' },
};

describe('NodePool', () => {
  test('defaults: min 0, max 10, the pool label added to the user labels', () => {
    const pool = new NodePool(spotProps);
    expect(pool.minSize).toBe(0);
    expect(pool.maxSize).toBe(10);
    expect(pool.isSpot).toBe(true);
    expect(pool.cpuArchitecture).toBe(CpuArchitecture.X86_64);
    expect(pool.labels).toEqual({ 'spark-platform.io/role': 'executor', 'spark-platform.io/node-pool': 'spark-spot' });
  });

  test('owns the node group name and the pattern of its Auto Scaling group name', () => {
    const pool = new NodePool(spotProps);
    expect(pool.nodeGroupName).toBe('spark-spot');
    expect(new RegExp(pool.autoScalingGroupNamePattern).test('eks-spark-spot-4ec6a3f1-1b2c-3d4e-5f60-718293a4b5c6')).toBe(true);
    expect(new RegExp(pool.autoScalingGroupNamePattern).test('eks-spark-spot-ondemand-4ec6a3f1-1b2c-3d4e-5f60-718293a4b5c6')).toBe(false);
    expect(new RegExp(pool.autoScalingGroupNamePattern).test('eks-system-4ec6a3f1')).toBe(false);
  });

  test('tells the cluster-autoscaler its labels and taints for scale from zero', () => {
    expect(new NodePool(spotProps).autoscalerNodeTemplateTags).toEqual({
      'k8s.io/cluster-autoscaler/node-template/label/spark-platform.io/role': 'executor',
      'k8s.io/cluster-autoscaler/node-template/label/spark-platform.io/node-pool': 'spark-spot',
      'k8s.io/cluster-autoscaler/node-template/taint/spark-platform.io/capacity': 'spot:NoSchedule',
    });
  });

  test('detects Graviton pools', () => {
    const pool = new NodePool({ ...spotProps, instanceTypes: ['m6g.2xlarge', 'm7g.2xlarge', 'm8g.2xlarge'] });
    expect(pool.cpuArchitecture).toBe(CpuArchitecture.ARM_64);
    const described = new NodePool({
      ...spotProps,
      instanceTypes: ['c7gn.2xlarge', 't4g.2xlarge'],
      describedInstanceTypes: [
        InstanceType.describe({ name: 'c7gn.2xlarge', vcpus: 8, memory: Size.gibibytes(16), maxPods: 58 }),
        InstanceType.describe({ name: 't4g.2xlarge', vcpus: 8, memory: Size.gibibytes(32), maxPods: 58 }),
      ],
      allowMixedInstanceSizes: true,
    });
    expect(described.cpuArchitecture).toBe(CpuArchitecture.ARM_64);
  });

  test('does not share the caller\'s arrays', () => {
    const instanceTypes = ['m5.large'];
    const pool = new NodePool({ ...spotProps, instanceTypes });
    instanceTypes.push('m5.xlarge');
    expect(pool.instanceTypes).toEqual(['m5.large']);
  });

  describe('rejects bad input with the pool, the prop, the value and what is allowed', () => {
    test.each([
      ['a name that is not a DNS-1123 label', { name: 'Spark_Spot' }, /NodePool "Spark_Spot": invalid prop "name" "Spark_Spot": must be a DNS-1123 label/],
      ['a name over 63 characters', { name: 'a'.repeat(64) }, /invalid prop "name" "a{64}": .*at most 63 characters/],
      ['an unknown capacity type', { capacityType: 'RESERVED' }, /invalid prop "capacityType" "RESERVED": allowed: SPOT, ON_DEMAND/],
      ['empty instance types', { instanceTypes: [] }, /invalid prop "instanceTypes" \[\]: must list at least one EC2 instance type/],
      ['a malformed instance type', { instanceTypes: ['m5.large', 'large'] }, /invalid prop "instanceTypes\[1\]" "large": must be an EC2 instance type/],
      ['a duplicate instance type', { instanceTypes: ['m5.large', 'm5.large'] }, /invalid prop "instanceTypes\[1\]" "m5.large": is listed twice/],
      ['mixed CPU architectures', { instanceTypes: ['m5.large', 'm6g.large'] }, /"instanceTypes\[1\]" "m6g.large": is arm64 but "m5.large" is x86_64/],
      ['a taint key that is not a qualified name', { taints: [{ key: 'spot capacity', effect: TaintEffect.NO_SCHEDULE }] },
        /invalid prop "taints\[0\].key" "spot capacity": name part must consist of alphanumerics/],
      ['a taint key with a bad prefix', { taints: [{ key: 'Example.com/spot', effect: TaintEffect.NO_SCHEDULE }] },
        /"taints\[0\].key" "Example.com\/spot": prefix "Example.com" must be a DNS-1123 subdomain/],
      ['a taint key name over 63 characters', { taints: [{ key: `x/${'k'.repeat(64)}`, effect: TaintEffect.NO_SCHEDULE }] },
        /"taints\[0\].key" .*name part must be at most 63 characters \(has 64\)/],
      ['a taint value over 63 characters', { taints: [{ key: 'spot', value: 'v'.repeat(64), effect: TaintEffect.NO_SCHEDULE }] },
        /"taints\[0\].value" "v{64}": must be at most 63 characters/],
      ['an unknown taint effect', { taints: [{ key: 'spot', effect: 'NO_SCHEDULE' }] },
        /invalid prop "taints\[0\].effect" "NO_SCHEDULE": allowed: NoSchedule, PreferNoSchedule, NoExecute/],
      ['duplicate taint keys', {
        taints: [{ key: 'spot', effect: TaintEffect.NO_SCHEDULE }, { key: 'spot', value: 'x', effect: TaintEffect.NO_EXECUTE }],
      }, /invalid prop "taints\[1\].key" "spot": is used by another taint of this pool/],
      ['a label key that is not a qualified name', { labels: { 'team name': 'x' } }, /invalid prop "labels" "team name": is not a label key/],
      ['a label value that is not valid', { labels: { team: 'data/eng' } }, /invalid prop "labels\["team"\]" "data\/eng"/],
      ['a label under a prefix reserved to Kubernetes', { labels: { 'node-role.kubernetes.io/spark': '' } },
        /"labels" "node-role.kubernetes.io\/spark": uses a prefix reserved to Kubernetes/],
      ['the pool label set by hand', { labels: { 'spark-platform.io/node-pool': 'other' } }, /is set by the library to the pool name/],
      ['a negative minSize', { minSize: -1 }, /invalid prop "minSize" -1: must be an integer >= 0/],
      ['a fractional maxSize', { maxSize: 2.5 }, /invalid prop "maxSize" 2.5: must be an integer >= 1/],
      ['a zero maxSize', { maxSize: 0 }, /invalid prop "maxSize" 0: must be an integer >= 1/],
      ['minSize greater than maxSize', { minSize: 5, maxSize: 3 }, /invalid prop "minSize" 5: must not be greater than maxSize \(3\)/],
    ])('%s', (_what, override, error) => {
      expect(() => new NodePool({ ...spotProps, ...override } as any)).toThrow(error);
    });
  });
});

describe('NodeTaints: one place translates taint spellings', () => {
  test('EKS effects', () => {
    expect(NodeTaints.toEksEffect(TaintEffect.NO_SCHEDULE)).toBe('NO_SCHEDULE');
    expect(NodeTaints.toEksEffect(TaintEffect.PREFER_NO_SCHEDULE)).toBe('PREFER_NO_SCHEDULE');
    expect(NodeTaints.toEksEffect(TaintEffect.NO_EXECUTE)).toBe('NO_EXECUTE');
    expect(() => NodeTaints.toEksEffect('Sometimes' as any)).toThrow(/NodeTaints: invalid prop "effect" "Sometimes": allowed: NoSchedule, PreferNoSchedule, NoExecute/);
  });

  test('tolerations match the taint exactly; a taint without a value is tolerated with Exists', () => {
    expect(NodeTaints.toleration({ key: 'a', value: 'b', effect: TaintEffect.NO_EXECUTE }))
      .toEqual({ key: 'a', operator: 'Equal', value: 'b', effect: 'NoExecute' });
    expect(NodeTaints.toleration({ key: 'a', effect: TaintEffect.NO_SCHEDULE }))
      .toEqual({ key: 'a', operator: 'Exists', effect: 'NoSchedule' });
  });
});
