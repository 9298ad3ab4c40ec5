import { Testing } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-33';
import {
  CapacityType, ClusterAutoscaler, ClusterAutoscalerProps, Expander, NodePool, NodeTaints, Placement, PlatformBindings,
  ServiceAccountIdentity, WorkloadIdentity,
} from '../lib';
import { bindings, findObject } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';
import { KNOWN_KUBERNETES_VERSIONS, clusterAutoscalerImage } from '../lib/autoscaling/private/cluster-autoscaler-release';

const system = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 2 });
const onDemandSpark = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m5.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'on-demand', effect: TaintEffect.NO_SCHEDULE }],
});
const spot = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
});
const ROLE = 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-kube-system-cluster-autoscaler';
const base: ClusterAutoscalerProps = { bindings, nodePools: [system, spot] };

/** Props of an autoscaler in a cluster of another Kubernetes minor (the AWS side's bindings say which). */
function onVersion(kubernetesVersion: string): Partial<ClusterAutoscalerProps> {
  return { bindings: new PlatformBindings({ accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark', kubernetesVersion }) };
}

function render(props: Partial<ClusterAutoscalerProps> = {}) {
  const chart = Testing.chart();
  const autoscaler = new ClusterAutoscaler(chart, 'autoscaler', { ...base, ...props });
  return { autoscaler, docs: synthValid(chart) };
}

describe('ClusterAutoscaler', () => {
  test('every object passes the harness; the service account carries the IRSA role', () => {
    const { docs } = render();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`).sort()).toEqual([
      'ClusterRole/cluster-autoscaler', 'ClusterRoleBinding/cluster-autoscaler', 'ConfigMap/cluster-autoscaler-priority-expander',
      'Deployment/cluster-autoscaler', 'PodDisruptionBudget/cluster-autoscaler', 'Role/cluster-autoscaler', 'RoleBinding/cluster-autoscaler',
      'Service/cluster-autoscaler', 'ServiceAccount/cluster-autoscaler',
    ]);
    expect(findObject(docs, 'ServiceAccount').metadata).toMatchObject({ namespace: 'kube-system', annotations: { 'eks.amazonaws.com/role-arn': ROLE } });
  });

  test('RBAC: exactly the rules it needs, no wildcard verbs or resources, bound to its service account', () => {
    const { docs } = render();
    const clusterRole = findObject(docs, 'ClusterRole');
    const role = findObject(docs, 'Role');
    for (const rule of [...clusterRole.rules, ...role.rules]) {
      expect(rule.verbs).not.toContain('*');
      expect(rule.resources).not.toContain('*');
      expect(rule.apiGroups).not.toContain('*');
    }
    const can = (rules: any[], group: string, resource: string, verb: string) =>
      rules.some(r => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb));
    expect(can(clusterRole.rules, '', 'nodes', 'update')).toBe(true);
    expect(can(clusterRole.rules, '', 'pods/eviction', 'create')).toBe(true);
    expect(can(clusterRole.rules, '', 'nodes', 'delete')).toBe(false);
    expect(can(clusterRole.rules, 'coordination.k8s.io', 'leases', 'create')).toBe(true);
    expect(can(clusterRole.rules, 'storage.k8s.io', 'csinodes', 'list')).toBe(true);
    expect(can(clusterRole.rules, '', 'secrets', 'get')).toBe(false);
    expect(role.metadata.namespace).toBe('kube-system');
    expect(role.rules.find((r: any) => r.resourceNames).resourceNames).toEqual(['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander']);
    const subject = { kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'kube-system' };
    expect(findObject(docs, 'ClusterRoleBinding').subjects).toEqual([subject]);
    expect(findObject(docs, 'RoleBinding').subjects).toEqual([subject]);
  });

  test('args: AWS, auto-discovery by the cluster\'s tags, balancing, local storage, expander, scale-down timings', () => {
    const { docs } = render({ scaleDown: { unneededTime: '15m', delayAfterAdd: '5m', utilizationThreshold: 0.6 }, extraArgs: { 'scan-interval': '20s' } });
    const container = findObject(docs, 'Deployment').spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining([
      '--cloud-provider=aws',
      '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/spark-platform',
      '--balance-similar-node-groups',
      '--skip-nodes-with-local-storage=false',
      '--expander=priority',
      '--scale-down-unneeded-time=15m',
      '--scale-down-delay-after-add=5m',
      '--scale-down-utilization-threshold=0.6',
      '--scan-interval=20s',
    ]));
    expect(container.env).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: 8085, protocol: 'TCP' }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health-check', port: 'metrics' });
    // The same endpoint for readiness: cluster-autoscaler/main.go serves /health-check beside /metrics on --address,
    // failing only when the loop it monitors stalls, so a replica waiting for the leader lease stays Ready.
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health-check', port: 'metrics' });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '1', memory: '600Mi' } });
  });

  test('the image minor matches the Kubernetes minor, at the newest patch of each minor', () => {
    // The newest tags of kubernetes/autoscaler (cluster-autoscaler-<x.y.z>, version/version.go), July 2026.
    expect(Object.fromEntries(KNOWN_KUBERNETES_VERSIONS.map(v => [v, clusterAutoscalerImage(v)!.split(':v')[1]]))).toEqual({
      1.32: '1.32.7', 1.33: '1.33.6', 1.34: '1.34.5', 1.35: '1.35.2', 1.36: '1.36.1',
    });
    for (const minor of KNOWN_KUBERNETES_VERSIONS) {
      expect(clusterAutoscalerImage(minor)).toMatch(new RegExp(`^registry\\.k8s\\.io/autoscaling/cluster-autoscaler:v${minor.replace('.', '\\.')}\\.[0-9]+$`));
    }
    expect(render().autoscaler.image).toBe('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6');
    expect(findObject(render(onVersion('1.34')).docs, 'Deployment').spec.template.spec.containers[0].image).toMatch(/:v1\.34\./);
    expect(render({ image: 'mirror.acme.io/cluster-autoscaler:v1.33.6' }).autoscaler.image).toBe('mirror.acme.io/cluster-autoscaler:v1.33.6');
  });

  // kubernetes/autoscaler cluster-autoscaler-1.33.6 main.go: the scheduler framework is built on the shared
  // informer factory and the binary blocks on WaitForCacheSync before it scales; since Kubernetes 1.32 the
  // CSI limits plugin lists VolumeAttachments (upstream chart >= 9.46.3 grants it, clusterrole.yaml).
  test.each(KNOWN_KUBERNETES_VERSIONS)('Kubernetes %s: the ClusterRole lets every informer the binary starts list and watch', (version) => {
    const rules = findObject(render(onVersion(version)).docs, 'ClusterRole').rules;
    const can = (group: string, resource: string) =>
      ['get', 'list', 'watch'].every(verb => rules.some((r: any) => r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb)));
    expect(can('storage.k8s.io', 'volumeattachments')).toBe(true);
    // cluster-autoscaler-1.35.2 config/flags/flags.go locks --enable-dynamic-resource-allocation to true, and
    // simulator/dynamicresources/provider/provider.go lists these three (upstream chart 9.59.0 grants them).
    const dra = ['resourceslices', 'deviceclasses', 'resourceclaims'].map(resource => can('resource.k8s.io', resource));
    expect(dra).toEqual(Array(3).fill(Number(version.split('.')[1]) >= 35));
  });

  test('hardened: system-cluster-critical, non-root 65534, read-only root filesystem, no escalation, no capabilities, RuntimeDefault', () => {
    const spec = findObject(render().docs, 'Deployment').spec.template.spec;
    expect(spec.priorityClassName).toBe('system-cluster-critical');
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] },
    });
  });

  test('priority expander: spot pools preferred, on-demand as the fallback, patterns owned by NodePool', () => {
    const { docs, autoscaler } = render({ nodePools: [system, spot, onDemandSpark] });
    const priorities = findObject(docs, 'ConfigMap', 'cluster-autoscaler-priority-expander').data.priorities;
    expect(priorities).toBe(autoscaler.priorities);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parsed = require('yaml').parse(priorities);
    expect(parsed).toEqual({
      50: [spot.autoScalingGroupNamePattern],
      10: [system.autoScalingGroupNamePattern, onDemandSpark.autoScalingGroupNamePattern],
    });
    // The patterns match the node groups the AWS side names after the same pools, and nothing else.
    const asg = (pool: NodePool) => `eks-${pool.nodeGroupName}-0b9c1f2a-3d4e-5f60-7182-93a4b5c6d7e8`;
    expect(new RegExp(parsed[50][0]).test(asg(spot))).toBe(true);
    expect(new RegExp(parsed[50][0]).test(asg(onDemandSpark))).toBe(false);
  });

  test('pools added later are in the priorities', () => {
    const chart = Testing.chart();
    const autoscaler = new ClusterAutoscaler(chart, 'autoscaler', base);
    autoscaler.addNodePool(onDemandSpark);
    expect(findObject(synthValid(chart), 'ConfigMap').data.priorities).toContain(onDemandSpark.autoScalingGroupNamePattern);
  });

  test('other expanders render no priority ConfigMap', () => {
    const { docs } = render({ expander: Expander.LEAST_WASTE });
    expect(docs.some(d => d.kind === 'ConfigMap')).toBe(false);
    expect(findObject(docs, 'Deployment').spec.template.spec.containers[0].args).toContain('--expander=least-waste');
  });

  test('runs on the on-demand pools, never on spot; a PodDisruptionBudget keeps one replica up', () => {
    const { docs } = render({ nodePools: [system, spot, onDemandSpark] });
    const spec = findObject(docs, 'Deployment').spec.template.spec;
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
      .toEqual([{ key: NodePool.POOL_LABEL, operator: 'In', values: ['system', 'spark-on-demand'] }]);
    expect(spec.tolerations).toEqual(onDemandSpark.taints.map(NodeTaints.toleration));
    expect(findObject(docs, 'Deployment').spec.replicas).toBe(2);
    expect(findObject(docs, 'PodDisruptionBudget').spec).toEqual({ minAvailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'cluster-autoscaler' } } });
  });

  test('takes the cluster name, region and role from PlatformBindings', () => {
    const chart = Testing.chart();
    new ClusterAutoscaler(chart, 'autoscaler', {
      nodePools: [system, spot],
      bindings: new PlatformBindings({ accountId: '210987654321', clusterName: 'prod', region: 'us-east-1', bucketName: 'acme-prod' }),
    });
    const docs = synthValid(chart);
    expect(findObject(docs, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::210987654321:role/prod-us-east-1-kube-system-cluster-autoscaler');
    const container = findObject(docs, 'Deployment').spec.template.spec.containers[0];
    expect(container.args).toContain('--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/prod');
    expect(container.env).toEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
  });

  test('another service account, with EKS Pod Identity: its namespace, no annotation', () => {
    const serviceAccount = new ServiceAccountIdentity({ namespace: 'autoscaling', name: 'ca', identity: WorkloadIdentity.POD_IDENTITY });
    const { docs, autoscaler } = render({ serviceAccount });
    expect(autoscaler.namespace).toBe('autoscaling');
    const sa = findObject(docs, 'ServiceAccount');
    expect(sa.metadata).toMatchObject({ name: 'ca', namespace: 'autoscaling' });
    expect(sa.metadata.annotations).toBeUndefined();
    expect(findObject(docs, 'Deployment').spec.template.spec.serviceAccountName).toBe('ca');
    expect(findObject(docs, 'ClusterRoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ca', namespace: 'autoscaling' }]);
  });

  describe('rejects bad input', () => {
    test.each([
      ['a Kubernetes version with no known image', onVersion('1.29'), /autoscaler: invalid prop "bindings.kubernetesVersion" "1.29": has no known cluster-autoscaler image .*known 1.32, 1.33, 1.34, 1.35, 1.36/],
      ['an unknown expander', { expander: 'price' }, /invalid prop "expander" "price": allowed: priority, least-waste, most-pods, least-nodes, random/],
      ['no bindings', { bindings: undefined }, /invalid prop "bindings" undefined: is required/],
      ['a scale-down time that is not a duration', { scaleDown: { unneededTime: '10 minutes' } }, /invalid prop "scaleDown.unneededTime" "10 minutes": must be a Go duration/],
      ['a delay that is not a duration', { scaleDown: { delayAfterAdd: '5' } }, /invalid prop "scaleDown.delayAfterAdd" "5"/],
      ['a bad provision time', { maxNodeProvisionTime: 'soon' }, /invalid prop "maxNodeProvisionTime" "soon"/],
      ['a utilization threshold above 1', { scaleDown: { utilizationThreshold: 50 } }, /invalid prop "scaleDown.utilizationThreshold" 50/],
      ['no pools', { nodePools: [] }, /invalid prop "nodePools" \[\]: must list the node pools/],
      ['only spot pools', { nodePools: [spot] }, /invalid prop "nodePools" \["spark-spot"\]: has only spot pools/],
      ['a placement on spot', { placement: Placement.onPool(spot) }, /invalid prop "placement" "spark-spot": is a spot pool/],
      ['a pool listed twice', { nodePools: [system, system] }, /invalid prop "nodePools" "system": is listed twice/],
      ['a malformed extra flag', { extraArgs: { '--v': '2' } }, /invalid prop "extraArgs key" "--v"/],
    ])('%s', (_what, override, error) => {
      expect(() => render(override as any)).toThrow(error);
    });
  });
});
