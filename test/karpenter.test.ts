// Karpenter from the same NodePools as the cluster-autoscaler: the chart's values, a NodePool and an EC2NodeClass per
// pool, the controller's placement, drivers that Karpenter must not disrupt, and one autoscaler per app. Facts come
// from aws/karpenter-provider-aws v1.14.1 and kubernetes-sigs/karpenter v1.14.1 (named at each test).
import { App, Duration, Size, Testing } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-33';
import { createApp } from '../examples/main';
import {
  CapacityType, ClusterAutoscaler, InstanceType, Karpenter, KarpenterConsolidation, KarpenterNames, KarpenterNodePool, KarpenterProps,
  NodeCapacity, NodePool, Placement, PlatformServiceAccounts, ServiceAccountIdentity, SparkOperator, SparkPlatform, SynthWarnings, WorkloadIdentity,
} from '../lib';
import { ChartComponent } from '../lib/delivery';
import { helmTemplate, renderableCharts } from './fixtures/helm-template';
import { NetworkPolicyEvaluator } from './fixtures/network-policy-evaluator';
import {
  firesAlert as fires, promtoolCheckRules, promtoolTestRules, seriesEveryMinute as test1m, silentAlert as silent, withoutAnnotations,
} from './fixtures/prometheus-tools';
import { bindings, findObject, scalaJob, teamA } from './fixtures/spark-platform';
import { expectValuesExistInChart } from './validation/chart-values';
import { SchemaHarness, synthValid } from './validation/harness';

const spotTaint = { key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE };
const system = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 2, maxSize: 6 });
const fallback = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'],
  maxSize: 20,
  taints: [{ ...spotTaint, value: 'on-demand' }],
});
const spot = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5d.2xlarge', 'm6id.2xlarge'],
  maxSize: 50,
  taints: [spotTaint],
  fallback,
  labels: { 'acme.io/workload': 'spark' },
});
const pools = [system, spot, fallback];
const base: KarpenterProps = { nodePools: pools, bindings, amiVersion: 'v20260714' };

function render(props: Partial<KarpenterProps> = {}) {
  const chart = Testing.chart();
  const karpenter = new Karpenter(chart, 'karpenter', { ...base, ...props });
  return { karpenter, docs: synthValid(chart) };
}
const nodePool = (docs: any[], name: string) => docs.find(d => d.kind === 'NodePool' && d.metadata.name === name);
const nodeClass = (docs: any[], name: string) => docs.find(d => d.kind === 'EC2NodeClass' && d.metadata.name === name);

describe('a NodePool and an EC2NodeClass per pool', () => {
  test('every object passes the harness (the karpenter.sh/v1 and karpenter.k8s.aws/v1 CRDs); one pair per pool, named after it', () => {
    const { docs } = render();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'EC2NodeClass/spark-on-demand', 'EC2NodeClass/spark-spot', 'EC2NodeClass/system',
      'NodePool/spark-on-demand', 'NodePool/spark-spot', 'NodePool/system',
    ]);
    for (const pool of pools) expect(nodePool(docs, pool.name).spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.name });
  });

  test('the pool\'s capacity type, instance types, architecture, labels and taints', () => {
    const { docs } = render();
    const template = nodePool(docs, 'spark-spot').spec.template;
    expect(template.metadata.labels).toEqual({ 'acme.io/workload': 'spark', [NodePool.POOL_LABEL]: 'spark-spot' });
    expect(template.spec.requirements).toEqual([
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5d.2xlarge', 'm6id.2xlarge'] },
      { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
      { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    ]);
    expect(template.spec.taints).toEqual([{ key: 'spark-platform.io/capacity', value: 'spot', effect: 'NoSchedule' }]);
    expect(nodePool(docs, 'system').spec.template.spec.taints).toBeUndefined();
    expect(nodePool(docs, 'system').spec.template.spec.requirements[0].values).toEqual(['on-demand']);
    const graviton = new NodePool({ name: 'graviton', capacityType: CapacityType.SPOT, instanceTypes: ['m7g.2xlarge'] });
    expect(nodePool(render({ nodePools: [system, graviton] }).docs, 'graviton').spec.template.spec.requirements[2].values).toEqual(['arm64']);
  });

  // kubernetes-sigs/karpenter v1.14.1 pkg/apis/v1/nodepool.go (weight: higher first) and the provider's
  // unavailable-offerings cache (pkg/cache/cache.go UnavailableOfferingsTTL 3m): spot first, its fallback next.
  test('weights order the pools as the cluster-autoscaler\'s priority expander does: spot 50, its fallback 30, the others 10', () => {
    const { docs } = render();
    expect(Object.fromEntries(pools.map(p => [p.name, nodePool(docs, p.name).spec.weight]))).toEqual({ 'spark-spot': 50, 'spark-on-demand': 30, 'system': 10 });
    const chart = Testing.chart();
    const priorities = new ClusterAutoscaler(chart, 'ca', { nodePools: pools, bindings }).priorities;
    expect(priorities).toBe('50:\n  - ' + spot.autoScalingGroupNamePattern + '\n30:\n  - ' + fallback.autoScalingGroupNamePattern + '\n10:\n  - '
      + system.autoScalingGroupNamePattern + '\n');
  });

  test('Karpenter launches maxSize - minSize nodes: the minSize nodes are the node group\'s; a pool of fixed size has no NodePool', () => {
    const fixed = new NodePool({ name: 'fixed', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 3, maxSize: 3 });
    const { docs, karpenter } = render({ nodePools: [...pools, fixed] });
    expect(nodePool(docs, 'system').spec.limits).toEqual({ nodes: '4' });
    expect(nodePool(docs, 'spark-spot').spec.limits).toEqual({ nodes: '50' });
    expect(nodePool(docs, 'fixed')).toBeUndefined();
    expect(karpenter.nodePoolOf(fixed)).toBeUndefined();
    expect(karpenter.nodePoolOf(spot)?.nodePool.name).toBe('spark-spot');
  });

  test('disruption: consolidation of empty nodes after 5 minutes, a 10% budget, nodes renewed after 30 days; each can be changed', () => {
    expect(nodePool(render().docs, 'spark-spot').spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '5m', budgets: [{ nodes: '10%' }] });
    expect(nodePool(render().docs, 'spark-spot').spec.template.spec.expireAfter).toBe('720h');
    expect(nodePool(render().docs, 'spark-spot').spec.template.spec.terminationGracePeriod).toBeUndefined();
    const { docs } = render({
      consolidation: KarpenterConsolidation.WHEN_EMPTY_OR_UNDERUTILIZED, consolidateAfter: Duration.seconds(90), budget: '2', expireAfter: Duration.days(7),
    });
    expect(nodePool(docs, 'system').spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '90s', budgets: [{ nodes: '2' }] });
    expect(nodePool(docs, 'system').spec.template.spec.expireAfter).toBe('168h');
  });

  test('the EC2NodeClass: the node role, the discovery tag, a pinned AL2023 AMI, IMDSv2 with one hop, the pool\'s encrypted root volume', () => {
    const { docs } = render();
    const spec = nodeClass(docs, 'system').spec;
    expect(spec).toEqual({
      role: 'spark-platform-eu-west-1-karpenter-node',
      amiSelectorTerms: [{ alias: 'al2023@v20260714' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'spark-platform' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'spark-platform' } }],
      metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
      blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '100Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true } }],
    });
    expect(spec.role).toBe(KarpenterNames.nodeRoleName('spark-platform', 'eu-west-1'));
    const big = new NodePool({ name: 'big', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], rootVolumeSize: Size.gibibytes(500) });
    expect(nodeClass(render({ nodePools: [system, big] }).docs, 'big').spec.blockDeviceMappings[0].ebs.volumeSize).toBe('500Gi');
  });

  // aws/karpenter-provider-aws v1.14.1 pkg/providers/amifamily/bootstrap/nodeadm.go: RAID0 becomes nodeadm's
  // localStorage strategy, the node groups' NodeConfig (lib/aws/private/node-launch-template.ts).
  test('NVMe instance store as one RAID0 array, as on the node groups, only for pools whose types have it', () => {
    const { docs } = render();
    expect(nodeClass(docs, 'spark-spot').spec.instanceStorePolicy).toBe('RAID0');
    expect(nodeClass(docs, 'system').spec.instanceStorePolicy).toBeUndefined();
  });

  test('NodePool and EC2NodeClass wait for Karpenter\'s CRDs (custom resource sync wave, no dry run while the CRD is missing)', () => {
    const { docs } = render();
    for (const doc of docs) {
      expect(doc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '10', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    }
  });
});

describe('the chart\'s values', () => {
  const values = (props: Partial<KarpenterProps> = {}) => render(props).karpenter.release.values;

  test('the pinned chart from the OCI registry, the cluster, the interruption queue and the controller\'s role from the bindings', () => {
    const { karpenter } = render();
    expect(karpenter.release).toMatchObject({ chartName: 'karpenter', repository: 'oci://public.ecr.aws/karpenter', chartVersion: '1.14.1', namespace: 'kube-system' });
    expect(karpenter.release.ociChartReference).toBe('oci://public.ecr.aws/karpenter/karpenter');
    expect(values().settings).toEqual({ clusterName: 'spark-platform', interruptionQueue: 'spark-platform-karpenter', vmMemoryOverheadPercent: 0.075 });
    expect(values().settings.interruptionQueue).toBe(KarpenterNames.interruptionQueueName('spark-platform'));
    expect(values().serviceAccount).toEqual({
      create: true,
      name: 'karpenter',
      annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${PlatformServiceAccounts.KARPENTER.roleName('spark-platform', 'eu-west-1')}` },
    });
    const podIdentity = new ServiceAccountIdentity({ namespace: 'karpenter', name: 'controller', identity: WorkloadIdentity.POD_IDENTITY });
    const withPodIdentity = render({ serviceAccount: podIdentity }).karpenter;
    expect(withPodIdentity.release.values.serviceAccount).toEqual({ create: true, name: 'controller' });
    expect(withPodIdentity.namespace).toBe('karpenter');
  });

  // aws/karpenter-provider-aws v1.14.1 pkg/operator/operator.go: an empty region is read from IMDS, and the controller
  // exits when it cannot reach it (a pod behind the nodes' IMDS hop limit of 1 cannot).
  test('the controller is told its region, so it never asks IMDS', () => {
    expect(values().controller.env).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
  });

  // aws/karpenter-provider-aws v1.14.1 docs/getting-started/getting-started-with-karpenter/_index.md ("Preventing APIServer
  // Request Throttling"): kube-system's built-in FlowSchemas cover it there; elsewhere it needs its own.
  test('outside kube-system its API requests keep kube-system\'s priority levels (two FlowSchemas); in kube-system none is needed', () => {
    expect(render().docs.filter(d => d.kind === 'FlowSchema')).toEqual([]);
    const elsewhere = new ServiceAccountIdentity({ namespace: 'karpenter', name: 'karpenter' });
    const schemas = render({ serviceAccount: elsewhere }).docs.filter(d => d.kind === 'FlowSchema');
    expect(schemas.map(d => [d.apiVersion, d.metadata.name, d.spec.priorityLevelConfiguration.name, d.spec.matchingPrecedence])).toEqual([
      ['flowcontrol.apiserver.k8s.io/v1', 'karpenter-leader-election', 'leader-election', 200],
      ['flowcontrol.apiserver.k8s.io/v1', 'karpenter-workload', 'workload-high', 1000],
    ]);
    for (const schema of schemas) {
      expect(schema.spec.rules[0].subjects).toEqual([{ kind: 'ServiceAccount', serviceAccount: { name: 'karpenter', namespace: 'karpenter' } }]);
    }
  });

  // The capacity checks and Karpenter's scheduler must count the same memory (NodeCapacity.VM_MEMORY_OVERHEAD_PERCENT).
  test('the VM memory overhead Karpenter assumes is the one the capacity checks subtract', () => {
    expect(values().settings.vmMemoryOverheadPercent * 100).toBe(NodeCapacity.VM_MEMORY_OVERHEAD_PERCENT);
  });

  // The release pipeline's digest for 1.14.1 (branch release-v1.14.1, c88abbbad): main's docs commit 1d927085 kept
  // 1.14.0's digest (sha256:7231...) beside the 1.14.1 tag, and the kubelet pulls by digest when both are given.
  test('the controller image is pinned by tag and the 1.14.1 digest, not the 1.14.0 digest main\'s chart file carries', () => {
    expect(values().controller.image).toEqual({
      repository: 'public.ecr.aws/karpenter/controller', tag: '1.14.1', digest: 'sha256:445baefaaa689029cc12ac1f659b916b0b82fb14308ce536f8521fcf079116fa',
    });
    expect(values().controller.image.digest).not.toContain('723130949e4cab989461ff07d1be4cd781d63515432494641b33c235f300ae23');
    expect(values({ chartVersion: '1.15.0' }).controller.image).toEqual({ repository: 'public.ecr.aws/karpenter/controller', tag: '1.15.0', digest: '' });
  });

  test('the controller on the on-demand pools, never on a node Karpenter launched, one replica per node', () => {
    const v = values();
    expect(v.replicas).toBe(2);
    expect(v.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: 'system' });
    expect(v.affinity).toEqual({
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }] }] } },
    });
    expect(v.tolerations).toEqual([]);
    const second = new NodePool({ name: 'system-b', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 1 });
    const both = values({ nodePools: [system, second, spot, fallback] });
    expect(both.nodeSelector).toBeUndefined();
    expect(both.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: NodePool.POOL_LABEL, operator: 'In', values: ['system', 'system-b'] },
      { key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' },
    ]);
  });

  test('every value key the library sets exists in the chart\'s values.yaml (../shared/charts/karpenter, v1.14.1)', () => {
    expectValuesExistInChart('karpenter', values());
  });
});

describe('bad input fails at construction, naming the prop', () => {
  test.each([
    ['an unpinned AMI', { amiVersion: 'al2023@latest' }, /invalid prop "amiVersion" "al2023@latest": must be an EKS AL2023 AMI release such as "v20260714"/],
    ['a date that is no release name', { amiVersion: '20260714' }, /invalid prop "amiVersion" "20260714"/],
    ['a budget that is neither a percentage nor a count', { budget: '10 %' }, /invalid prop "budget" "10 %": must be a percentage/],
    ['a budget above 100%', { budget: '150%' }, /invalid prop "budget" "150%"/],
    ['no replica', { replicas: 0 }, /invalid prop "replicas" 0/],
    ['three replicas on two node-group nodes', { replicas: 3 }, /invalid prop "placement" \["system"\]: has 2 node\(s\) Karpenter did not launch \(the pools' minSize\), but the controller runs 3 replicas/],
  ])('%s', (_name, props, error) => {
    expect(() => render(props as Partial<KarpenterProps>)).toThrow(error);
  });

  test('a controller on pools Karpenter launches every node of (minSize 0) could never start', () => {
    const elastic = new NodePool({ name: 'components', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'] });
    expect(() => render({ nodePools: [elastic, spot, fallback] }))
      .toThrow(/test\/karpenter: invalid prop "placement" \["components"\]: has 0 node\(s\) Karpenter did not launch/);
    expect(() => render({ placement: Placement.onPool(spot) })).toThrow(/invalid prop "placement" "spark-spot": is a spot pool/);
  });

  // kubernetes-sigs/karpenter v1.14.1 pkg/apis/v1/labels.go RestrictedLabelDomains (karpenter.sh) and the provider's
  // pkg/apis/v1/labels.go (karpenter.k8s.aws): the NodePool CRD's CEL rules refuse them in a template.
  test.each([
    ['a label in karpenter.sh', { labels: { 'karpenter.sh/owner': 'x' } }, /invalid prop "NodePool "odd" labels" "karpenter.sh\/owner": uses a domain Karpenter keeps for itself/],
    ['a label in a subdomain of karpenter.k8s.aws', { labels: { 'x.karpenter.k8s.aws/y': 'z' } }, /"x.karpenter.k8s.aws\/y": uses a domain Karpenter keeps/],
    ['a taint in karpenter.sh', { taints: [{ key: 'karpenter.sh/disrupted', effect: TaintEffect.NO_SCHEDULE }] }, /invalid prop "NodePool "odd" taints" "karpenter.sh\/disrupted"/],
  ])('a pool Karpenter cannot express: %s', (_name, extra, error) => {
    const odd = new NodePool({ name: 'odd', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], ...extra });
    expect(() => render({ nodePools: [system, odd] })).toThrow(error);
  });

  test('"latest" follows every AMI release: accepted, with a warning', () => {
    const chart = Testing.chart();
    new Karpenter(chart, 'karpenter', { ...base, amiVersion: 'latest' });
    const docs = synthValid(chart);
    expect(nodeClass(docs, 'system').spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
    expect(SynthWarnings.of(chart)).toEqual([expect.stringMatching(/amiVersion "latest": every EKS AMI release replaces every node Karpenter launched/)]);
  });

  test('a KarpenterNodePool made directly checks its weight', () => {
    const chart = Testing.chart();
    expect(() => new KarpenterNodePool(chart, 'p', { pool: spot, bindings, amiVersion: 'v20260714', weight: 0 })).toThrow(/invalid prop "weight" 0/);
    expect(() => new KarpenterNodePool(chart, 'q', { pool: spot, bindings, amiVersion: 'v20260714', weight: 101 })).toThrow(/invalid prop "weight" 101/);
  });
});

describe('one autoscaler', () => {
  const platformProps = { nodePools: pools, bindings, karpenter: { amiVersion: 'v20260714' }, monitoring: false, networkPolicies: false, pipelines: false, historyServer: false };

  test('the platform refuses both, naming the prop', () => {
    expect(() => new SparkPlatform(new App(), 'platform', { ...platformProps, clusterAutoscaler: true }))
      .toThrow(/platform: invalid prop "clusterAutoscaler" true: cannot run beside karpenter/);
  });

  test('karpenter switches the cluster-autoscaler off: one prop', () => {
    const platform = new SparkPlatform(new App(), 'platform', platformProps);
    platform.addTeam(teamA);
    expect(platform.clusterAutoscaler).toBeUndefined();
    expect(platform.karpenter).toBeInstanceOf(Karpenter);
    expect(platform.toJson().filter((d: any) => d.metadata?.name === 'cluster-autoscaler')).toEqual([]);
  });

  test('an app refuses a second autoscaler however it is built', () => {
    const chart = Testing.chart();
    new ClusterAutoscaler(chart, 'ca', { nodePools: pools, bindings });
    expect(() => new Karpenter(chart, 'karpenter', base)).toThrow(/invalid prop "Karpenter" "test\/karpenter": cannot run beside test\/ca/);
    const other = Testing.chart();
    new Karpenter(other, 'karpenter', base);
    expect(() => new ClusterAutoscaler(other, 'ca', { nodePools: pools, bindings })).toThrow(/invalid prop "ClusterAutoscaler" "test\/ca": cannot run beside test\/karpenter/);
  });
});

// kubernetes-sigs/karpenter v1.14.1 pkg/utils/pod/scheduling.go and pkg/controllers/state/statenode.go: a pod annotated
// karpenter.sh/do-not-disrupt keeps its node out of consolidation (and of drift without a terminationGracePeriod), and
// the terminator never evicts it (IsEvictable; pkg/controllers/node/termination/terminator/terminator.go): an expiring
// node waits for the driver, since the NodePools set no terminationGracePeriod.
describe('Spark drivers carry karpenter.sh/do-not-disrupt when Karpenter runs the nodes', () => {
  const driverOf = (withKarpenter: boolean, before = true) => {
    const chart = Testing.chart();
    if (withKarpenter && before) new Karpenter(chart, 'karpenter', base);
    const operator = new SparkOperator(chart, 'spark-operator', { nodePools: pools, bindings });
    operator.addTeam(teamA).addJob('etl', { ...scalaJob });
    if (withKarpenter && !before) new Karpenter(chart, 'karpenter', base);
    return findObject(synthValid(chart), 'SparkApplication').spec;
  };

  test('drivers only; with Karpenter made before or after the jobs; not without it', () => {
    expect(driverOf(true).driver.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(driverOf(true).executor.annotations).toBeUndefined();
    expect(driverOf(true, false).driver.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(driverOf(false).driver.annotations).toBeUndefined();
  });
});

// Requirement: the capacity checks work the same with Karpenter, using what Karpenter assumes about a node. Karpenter's
// own formulas, written here from aws/karpenter-provider-aws v1.14.1 pkg/providers/instancetype/types.go (memory(),
// kubeReservedResources(), evictionThreshold(), ENILimitedPods) in Go's float64 arithmetic, against NodeCapacity for
// every instance type the library knows.
describe('what Karpenter assumes a node offers is what the capacity checks count', () => {
  const karpenterAllocatable = (type: InstanceType) => {
    let mib = type.memoryMiB;
    if (type.cpuArchitecture === 'arm64') mib -= 64; // "Gravitons have an extra 64 MiB of cma reserved memory"
    const capacityMiB = mib - Math.ceil(mib * 1024 * 1024 * 0.075 / 1024 / 1024);
    const pods = type.maxPods; // ENIs x (IPv4 per ENI - 1) + 2, RESERVED_ENIS 0: amazon-vpc-cni-k8s eni-max-pods.txt
    const kubeReservedMiB = 11 * pods + 255;
    const evictionMiB = 100;
    const cpu = type.vcpus * 1000;
    const ranges: Array<[number, number, number]> = [[0, 1000, 0.06], [1000, 2000, 0.01], [2000, 4000, 0.005], [4000, 2 ** 31, 0.0025]];
    let reservedCpu = 0;
    for (const [start, end, percentage] of ranges) if (cpu >= start) reservedCpu += Math.trunc((cpu < end ? cpu - start : end - start) * percentage);
    return { cpuMillis: cpu - reservedCpu, memoryMiB: capacityMiB - kubeReservedMiB - evictionMiB };
  };

  test.each(InstanceType.known.map(name => [name]))('%s', name => {
    const type = InstanceType.of(name)!;
    const node = NodeCapacity.of(type);
    expect({ cpuMillis: node.allocatableCpuMillis, memoryMiB: node.allocatableMemoryMiB }).toEqual(karpenterAllocatable(type));
  });
});

// The chart rendered for real when a charts folder holds its whole source (SPARK_PLATFORM_CHARTS_DIR; ../shared/charts
// holds only its Chart.yaml and values.yaml, so CI does not run these): aws/karpenter-provider-aws branch
// release-v1.14.1 (c88abbbad) charts/karpenter, the chart as published.
const withChartSource = renderableCharts().includes('karpenter') ? describe : describe.skip;
withChartSource('the real chart, rendered with the library\'s values', () => {
  // Rendered in the tests, not while jest collects them: a skipped describe's body still runs.
  const { karpenter } = render();
  let renderedDocs: any[] | undefined;
  const chartDocs = () => (renderedDocs ??= helmTemplate({ ...karpenter.release, values: karpenter.release.values }));
  const chartDeployment = () => chartDocs().find(d => d.kind === 'Deployment');

  test('the controller the release describes (labels, ports, Service) is the one the chart renders', () => {
    const component: ChartComponent = karpenter.release.controller;
    const deployment = chartDeployment();
    expect(deployment.metadata.name).toBe(component.deploymentName);
    expect(deployment.spec.template.metadata.labels).toMatchObject(component.podLabels);
    const ports = deployment.spec.template.spec.containers[0].ports.map((p: any) => ({ name: p.name, port: p.containerPort }));
    expect(ports).toEqual(component.ports);
    const service = chartDocs().find(d => d.kind === 'Service');
    expect(service.metadata.name).toBe(component.service!.name);
    expect(service.metadata.labels).toMatchObject(component.service!.labels);
    expect(service.spec.ports.map((p: any) => ({ name: p.name, port: p.port }))).toEqual(component.service!.ports);
  });

  test('the image, settings and placement reach the controller as the chart renders them', () => {
    const pod = chartDeployment().spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]));
    expect(container.image).toBe('public.ecr.aws/karpenter/controller:1.14.1@sha256:445baefaaa689029cc12ac1f659b916b0b82fb14308ce536f8521fcf079116fa');
    expect(env).toMatchObject({ CLUSTER_NAME: 'spark-platform', INTERRUPTION_QUEUE: 'spark-platform-karpenter', VM_MEMORY_OVERHEAD_PERCENT: '0.075', AWS_REGION: 'eu-west-1' });
    expect(pod.serviceAccountName).toBe('karpenter');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', [NodePool.POOL_LABEL]: 'system' });
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' }] },
    ]);
    // The chart's own one-replica-per-node rule stays (values merge maps; only the node affinity's terms are ours).
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({ topologyKey: 'kubernetes.io/hostname' });
    expect(pod.tolerations).toBeUndefined();
    expect(container.resources).toEqual({ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } });
    const serviceAccount = chartDocs().find(d => d.kind === 'ServiceAccount');
    expect(serviceAccount.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-kube-system-karpenter' });
  });

  test('the CRDs the chart installs are the ones the NodePool and EC2NodeClass are checked against', () => {
    const crds = chartDocs().filter(d => d.kind === 'CustomResourceDefinition').map(d => d.metadata.name).sort();
    expect(crds).toEqual(expect.arrayContaining(['ec2nodeclasses.karpenter.k8s.aws', 'nodepools.karpenter.sh', 'nodeclaims.karpenter.sh']));
  });
});

// The example switched to Karpenter with its one prop: what the platform around Karpenter renders.
describe('the example platform with karpenter', () => {
  const app = createApp({ karpenter: true });
  const platform = app.charts.find(c => c instanceof SparkPlatform) as SparkPlatform;
  const docs = SchemaHarness.get().assertValidSynth(app);

  test('no cluster-autoscaler object; a NodePool and an EC2NodeClass per pool of the example', () => {
    expect(docs.filter(d => d.metadata?.name === 'cluster-autoscaler' || d.metadata?.name === 'cluster-autoscaler-priority-expander')).toEqual([]);
    expect(docs.filter(d => d.kind === 'NodePool').map(d => d.metadata.name).sort()).toEqual(['spark-on-demand', 'spark-spot', 'system']);
    expect(docs.filter(d => d.kind === 'EC2NodeClass').map(d => d.metadata.name).sort()).toEqual(['spark-on-demand', 'spark-spot', 'system']);
  });

  test('Argo CD installs the chart before the NodePools, and the AppProject allows their kinds', () => {
    const application = docs.find(d => d.kind === 'Application' && d.metadata.name === 'karpenter');
    expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-10');
    expect(application.spec.source).toMatchObject({ repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', targetRevision: '1.14.1' });
    expect(application.spec.destination.namespace).toBe('kube-system');
    const project = docs.find(d => d.kind === 'AppProject');
    const allowed = project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
    expect(allowed).toEqual(expect.arrayContaining(['karpenter.sh/NodePool', 'karpenter.k8s.aws/EC2NodeClass']));
  });

  test('every driver of every job and pipeline step carries do-not-disrupt', () => {
    const specs = docs.filter(d => d.kind === 'SparkApplication' || d.kind === 'ScheduledSparkApplication')
      .map(d => (d.kind === 'SparkApplication' ? d.spec : d.spec.template));
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) expect(spec.driver.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    const steps = docs.filter(d => d.kind === 'WorkflowTemplate').flatMap(d => d.spec.templates).filter((t: any) => t.resource?.manifest);
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step.resource.manifest).toContain('karpenter.sh/do-not-disrupt: "true"');
  });

  test('NetworkPolicies: Karpenter reaches AWS and the API server, Prometheus reaches its metrics, nothing else reaches it', () => {
    const evaluator = new NetworkPolicyEvaluator(docs);
    const karpenter = { name: 'Karpenter', namespace: 'kube-system', labels: platform.karpenter!.podLabels, ip: '10.0.1.200' };
    const prometheus = { name: 'Prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ip: '10.0.1.201' };
    const driver = { name: 'a driver', namespace: 'analytics', labels: { 'spark-role': 'driver' }, ip: '10.0.1.202' };
    const coreDns = { name: 'CoreDNS', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ip: '10.0.1.203' };
    expect([
      evaluator.allows(karpenter, { name: 'EC2 API', ip: '52.95.120.1' }, 443),
      evaluator.allows(karpenter, { name: 'kubernetes Service', ip: '172.20.0.1' }, 443),
      evaluator.allows(prometheus, karpenter, 8080),
      evaluator.allows(driver, karpenter, 8080),
      evaluator.allows(karpenter, { name: 'somewhere', ip: '52.95.120.1' }, 80),
      // kube-system is not the platform's: only Karpenter's pods are isolated there.
      evaluator.allows(driver, coreDns, 53, 'UDP'),
    ]).toEqual([true, true, true, false, false, true]);
    const flows = platform.network!.flows.map(f => f.name).filter(n => n.startsWith('karpenter'));
    expect(flows.sort()).toEqual(['karpenter-metrics', 'karpenter-to-api', 'karpenter-to-aws']);
  });

  test('the monitor scrapes the chart\'s Service by its labels and port', () => {
    const monitor = docs.find(d => d.kind === 'ServiceMonitor' && d.metadata.name === 'karpenter');
    const service = platform.karpenter!.release.controller.service!;
    expect(monitor.spec.selector.matchLabels).toEqual(service.labels);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual(['kube-system']);
    expect(monitor.spec.endpoints.map((e: any) => e.port)).toEqual(['http-metrics']);
  });

  test('the platform-health dashboard shows Karpenter\'s metrics, none of the absent cluster-autoscaler\'s', () => {
    const dashboard = docs.find(d => d.kind === 'ConfigMap' && d.metadata.name === 'dashboard-spark-platform-health');
    const json = Object.values<string>(dashboard.data)[0];
    expect(json).not.toContain('cluster_autoscaler_');
    for (const metric of ['karpenter_scheduler_unschedulable_pods_count', 'karpenter_nodepools_usage', 'karpenter_cloudprovider_errors_total',
      'karpenter_nodeclaims_created_total', 'karpenter_nodeclaims_disrupted_total', 'karpenter_interruption_received_messages_total']) {
      expect(json).toContain(metric);
    }
    expect(json).toContain('karpenter'); // the controller among the components up
  });

  describe('alerts (promtool)', () => {
    const groups = platform.monitoring!.ruleGroups;

    test('the capacity group holds Karpenter\'s rules instead of the cluster-autoscaler\'s; promtool checks them', () => {
      const result = promtoolCheckRules(groups);
      expect(result.ok).toBe(true);
      const alerts = groups.flatMap(g => g.rules.map((r: any) => r.alert));
      expect(alerts).toEqual(expect.arrayContaining(['KarpenterNodesNotLaunching', 'KarpenterInsufficientCapacity', 'KarpenterCloudProviderErrors',
        'KarpenterSpotInterruptions', 'KarpenterNodePoolAtLimit', 'KarpenterDown', 'SparkPodsUnschedulable']));
      expect(alerts.filter(a => a.startsWith('ClusterAutoscaler'))).toEqual([]);
    });

    test.each([
      ['pods Karpenter cannot place for 15 minutes', test1m([['karpenter_scheduler_unschedulable_pods_count{controller="provisioner"}', '0 2x30']],
        [silent('SparkPodsUnschedulable', '10m'), fires('SparkPodsUnschedulable', '20m', { severity: 'warning' })])],
      ['nodes that never registered; an ICE alone is not that', test1m([
        ['karpenter_nodeclaims_disrupted_total{reason="registration_timeout", nodepool="spark-spot", capacity_type="spot"}', '0 0 1 1 1'],
        ['karpenter_nodeclaims_disrupted_total{reason="insufficient_capacity", nodepool="system", capacity_type="on-demand"}', '0 1 2 3 4'],
      ], [fires('KarpenterNodesNotLaunching', '3m', { severity: 'warning', nodepool: 'spark-spot', reason: 'registration_timeout' })])],
      ['capacity short for 30 minutes', test1m([['karpenter_nodeclaims_disrupted_total{reason="insufficient_capacity", nodepool="spark-spot", capacity_type="spot"}', '0+1x60']],
        [silent('KarpenterInsufficientCapacity', '20m'), fires('KarpenterInsufficientCapacity', '45m', { severity: 'info', nodepool: 'spark-spot' })])],
      ['AWS errors other than capacity for 15 minutes', test1m([
        ['karpenter_cloudprovider_errors_total{controller="nodeclaim.lifecycle", method="Create", provider="aws", error=""}', '0+1x60'],
        ['karpenter_cloudprovider_errors_total{controller="nodeclaim.lifecycle", method="Get", provider="aws", error="NodeClaimNotFoundError"}', '0+1x60'],
      ], [silent('KarpenterCloudProviderErrors', '10m'), fires('KarpenterCloudProviderErrors', '40m', { severity: 'warning', method: 'Create' })])],
      ['five spot reclaims in an hour; rebalance recommendations are not reclaims', test1m([
        ['karpenter_interruption_received_messages_total{message_type="spot_interrupted"}', '0 1 2 3 4 5 5 5'],
        ['karpenter_interruption_received_messages_total{message_type="rebalance_recommendation"}', '0+10x7'],
      ], [silent('KarpenterSpotInterruptions', '3m'), fires('KarpenterSpotInterruptions', '6m', { severity: 'info' })])],
      ['a pool at its node limit for 15 minutes', test1m([
        ['karpenter_nodepools_usage{nodepool="spark-spot", resource_type="nodes"}', '10 50x30'],
        ['karpenter_nodepools_limit{nodepool="spark-spot", resource_type="nodes"}', '50x31'],
        ['karpenter_nodepools_usage{nodepool="system", resource_type="nodes"}', '1x31'],
        ['karpenter_nodepools_limit{nodepool="system", resource_type="nodes"}', '4x31'],
      ], [silent('KarpenterNodePoolAtLimit', '10m'), fires('KarpenterNodePoolAtLimit', '20m', { severity: 'warning', nodepool: 'spark-spot', resource_type: 'nodes' })])],
      ['Karpenter not scraped for 10 minutes', test1m([['up{job="karpenter", namespace="kube-system"}', '1 1 0x30']],
        [silent('KarpenterDown', '5m'), fires('KarpenterDown', '20m', { severity: 'critical' })])],
    ])('%s', (_name, unitTest) => {
      const result = promtoolTestRules(withoutAnnotations(groups), [unitTest]);
      expect(result.output).toContain('SUCCESS');
      expect(result.ok).toBe(true);
    });
  });
});

test('the platform\'s diagram draws Karpenter launching the pools\' nodes', () => {
  const platform = createApp({ karpenter: true }).charts.find(c => c instanceof SparkPlatform) as SparkPlatform;
  const diagram = platform.toMermaid();
  expect(diagram).toContain('    karpenter["Karpenter"]');
  expect(diagram).toContain('  karpenter -- launches nodes of --> pools');
  expect(diagram).not.toContain('cluster_autoscaler');
});
