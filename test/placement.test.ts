import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { k8s } from 'cdk8s-plus-33';
import { CapacityType, NodePool, NodeSelection, Placement } from '../lib';
import { synthValid } from './validation/harness';

const spot = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge'],
  taints: [
    { key: 'spark-platform.io/capacity', value: 'spot', effect: kplus.TaintEffect.NO_SCHEDULE },
    { key: 'dedicated', effect: kplus.TaintEffect.NO_EXECUTE },
  ],
});
const onDemand = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m5.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'on-demand', effect: kplus.TaintEffect.NO_SCHEDULE }],
});
const system = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] });

const podSpec: k8s.PodSpec = { containers: [{ name: 'main', image: 'busybox:1.37' }] };

describe('Placement', () => {
  test('on one pool: a node selector on the pool label and one toleration per taint', () => {
    const placed = Placement.onPool(spot).applyToPodSpec(podSpec);
    expect(placed.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'spark-spot' });
    expect(placed.affinity).toBeUndefined();
    expect(placed.tolerations).toEqual([
      { key: 'spark-platform.io/capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
    ]);
  });

  test('tolerations equal the pool\'s taints, derived not retyped', () => {
    const placement = Placement.onPool(spot);
    expect(placement.tolerations.map(t => [t.key, t.value, t.effect]))
      .toEqual(spot.taints.map(t => [t.key, t.value, t.effect]));
    expect(placement.toleratesPool(spot)).toBe(true);
    expect(placement.toleratesPool(onDemand)).toBe(false);
    expect(placement.toleratesPool(system)).toBe(true);
  });

  test('on several pools: required node affinity with the pool label In their names, and every taint tolerated', () => {
    const placement = Placement.onPools([spot, onDemand]);
    expect(placement.nodeSelection).toBe(NodeSelection.REQUIRED_AFFINITY);
    const placed = placement.applyToPodSpec(podSpec);
    expect(placed.nodeSelector).toBeUndefined();
    expect(placed.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'spark-platform.io/node-pool', operator: 'In', values: ['spark-spot', 'spark-on-demand'] }] },
    ]);
    expect(placed.tolerations?.map(t => t.value ?? t.key)).toEqual(['spot', 'dedicated', 'on-demand']);
  });

  test('keeps the spec\'s own tolerations, selector entries and affinity terms', () => {
    const own: k8s.PodSpec = {
      ...podSpec,
      nodeSelector: { 'kubernetes.io/arch': 'amd64' },
      tolerations: [{ key: 'spark-platform.io/capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' }, { key: 'gpu', operator: 'Exists' }],
      affinity: {
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] },
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1a'] }] },
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['eu-west-1b'] }] },
            ],
          },
        },
      },
    };
    const bySelector = Placement.onPool(spot).applyToPodSpec(own);
    expect(bySelector.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'spark-platform.io/node-pool': 'spark-spot' });
    expect(bySelector.tolerations).toHaveLength(3);

    const byAffinity = Placement.onPool(spot, { nodeSelection: NodeSelection.REQUIRED_AFFINITY }).applyToPodSpec(own);
    const terms = byAffinity.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    expect(terms).toHaveLength(2);
    for (const term of terms ?? []) {
      expect(term.matchExpressions).toContainEqual({ key: 'spark-platform.io/node-pool', operator: 'In', values: ['spark-spot'] });
      expect(term.matchExpressions).toHaveLength(2);
    }
    expect(byAffinity.affinity?.podAntiAffinity).toBeDefined();
  });

  test('does not mutate the given spec', () => {
    const spec: k8s.PodSpec = { containers: [{ name: 'x' }], tolerations: [] };
    Placement.onPool(spot).applyToPodSpec(spec);
    expect(spec).toEqual({ containers: [{ name: 'x' }], tolerations: [] });
  });

  test('rejects no pools, a pool listed twice, a selector for several pools and conflicting selectors', () => {
    expect(() => Placement.onPools([])).toThrow(/Placement: invalid prop "pools" \[\]: must name at least one NodePool/);
    expect(() => Placement.onPools([spot, spot])).toThrow(/invalid prop "pools" "spark-spot": is listed twice/);
    expect(() => Placement.onPools([spot, system], { nodeSelection: NodeSelection.NODE_SELECTOR }))
      .toThrow(/a node selector matches one pool only, but 2 pools are given \(spark-spot, system\)/);
    const onSystem = Placement.onPool(system).applyToPodSpec(podSpec);
    expect(() => Placement.onPool(spot).applyToPodSpec(onSystem)).toThrow(/invalid prop "spec.nodeSelector\["spark-platform.io\/node-pool"\]" "system": already selects another pool/);
  });

  test('places cdk8s-plus workloads, and the result passes the schema harness', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', {
      metadata: { namespace: 'default' },
      containers: [{ image: 'nginx:1.27', portNumber: 8080, securityContext: { user: 101 } }],
    });
    Placement.onPool(spot).applyToScheduling(deployment.scheduling);
    const [doc] = synthValid(chart);
    const spec = doc.spec.template.spec;
    expect(spec.tolerations).toEqual(expect.arrayContaining([
      { key: 'spark-platform.io/capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' },
    ]));
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'spark-platform.io/node-pool', operator: 'In', values: ['spark-spot'] }] },
    ]);
  });

  test('every part of the placement reaches a cdk8s-plus workload: several pools as one required term', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'web', {
      metadata: { namespace: 'default' },
      containers: [{ image: 'nginx:1.27', portNumber: 8080, securityContext: { user: 101 } }],
    });
    const placement = Placement.onPools([spot, onDemand]);
    placement.applyToScheduling(deployment.scheduling);
    const spec = synthValid(chart)[0].spec.template.spec;
    // The same tolerations and the same node selection as the L1 path renders.
    const l1 = placement.applyToPodSpec({ containers: [] });
    expect(spec.tolerations).toEqual(expect.arrayContaining(l1.tolerations!));
    expect(spec.tolerations).toHaveLength(l1.tolerations!.length);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      .toEqual(l1.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!.nodeSelectorTerms);
  });

  test('a placed L1 pod spec passes the schema harness', () => {
    const chart = Testing.chart();
    new k8s.KubePod(chart, 'pod', { metadata: { name: 'p', namespace: 'default' }, spec: Placement.onPools([spot, onDemand]).applyToPodSpec(podSpec) });
    synthValid(chart);
  });
});
