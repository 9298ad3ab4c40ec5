// Network isolation (issue 17, part 2): the example platform's NetworkPolicies let through exactly the flows it
// needs, judged by a NetworkPolicy evaluator with Kubernetes' semantics (test/fixtures/network-policy-evaluator.ts).
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { createApp } from '../examples/main';
import { NamespaceIsolation, NetworkPeer, NetworkPort, SparkPlatform, SparkPorts, SparkTeam, WorkloadIdentity } from '../lib';
import { helmTemplate, releasesIn } from './fixtures/helm-template';
import {
  Endpoint, ExternalEndpoint, NetworkPolicyEvaluator, PodEndpoint, cidrContains, selectorMatches,
} from './fixtures/network-policy-evaluator';
import { bindings, scalaJob, spotPool, systemPool } from './fixtures/spark-platform';
import { SchemaHarness } from './validation/harness';

const app = createApp();
const platform = app.charts.find(c => c instanceof SparkPlatform) as SparkPlatform;
const docs = SchemaHarness.get().assertValidSynth(app);
const policies = docs.filter(d => d.kind === 'NetworkPolicy');
const evaluator = new NetworkPolicyEvaluator(docs);
const find = (kind: string, namespace: string, name: string) =>
  docs.find(d => d.kind === kind && d.metadata.namespace === namespace && d.metadata.name === name);

// ---------------------------------------------------------------------------------------------------------
// The pods of the example, with the labels they really carry and the ports they serve.
// ---------------------------------------------------------------------------------------------------------
interface Pod extends PodEndpoint { readonly ports: Array<[number, 'TCP' | 'UDP']> }
let nextIp = 10;
const pod = (name: string, namespace: string, labels: Record<string, string>, ports: number[] = [], udp: number[] = []): Pod => ({
  name, namespace, labels, ip: `10.0.1.${nextIp++}`, ports: [...ports.map(p => [p, 'TCP'] as [number, 'TCP']), ...udp.map(p => [p, 'UDP'] as [number, 'UDP'])],
});
const external = (name: string, ip: string, ports: number[]): ExternalEndpoint & { ports: Array<[number, 'TCP']> } => ({ name, ip, ports: ports.map(p => [p, 'TCP'] as [number, 'TCP']) });

// Spark's Constants.scala: SPARK_ROLE_LABEL "spark-role" (driver | executor), SPARK_APP_ID_LABEL "spark-app-selector";
// the operator adds sparkoperator.k8s.io/* (spark-operator v2.5.2 internal/controller/sparkapplication/submission.go).
// The pods also carry the SparkApplication's own driver / executor labels.
function sparkPods(team: string, job: string) {
  const spec = find('SparkApplication', team, job).spec;
  const common = { 'spark-app-selector': 'spark-0a1b2c', 'sparkoperator.k8s.io/app-name': job, 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' };
  return {
    // Driver: RPC 7078, block manager 7079 (DriverServiceFeatureStep), UI 4040 (the metrics servlet).
    driver: pod(`${team} driver`, team, { ...spec.driver.labels, ...common, 'spark-role': 'driver' }, [7078, 7079, 4040]),
    // Executor: its block manager only; its RpcEnv is client-mode (SparkEnv.scala: clientMode = !isDriver).
    executor: pod(`${team} executor`, team, { ...spec.executor.labels, ...common, 'spark-role': 'executor', 'spark-exec-id': '1' }, [7079]),
  };
}
const de = sparkPods('data-engineering', 'daily-sessions');
const an = sparkPods('analytics', 'customer-segments');
const ml = sparkPods('ml-platform', 'model-scoring');
// argo-workflows workflow/common/common.go LabelKeyWorkflow "workflows.argoproj.io/workflow" on every workflow pod.
const pipeline = (team: string) => pod(`${team} pipeline`, team, { 'workflows.argoproj.io/workflow': `${team}-run-x7k2p`, 'workflows.argoproj.io/completed': 'false' });
const templateLabels = (kind: string, namespace: string, name: string) => find(kind, namespace, name).spec.template.metadata.labels;
/** A pod of an operator's chart: the labels and container ports of its Deployment in the real `helm template` output. */
function chartPod(name: string, chart: string, deployment: string): Pod {
  const release = releasesIn(docs).find(r => r.chartName === chart)!;
  const rendered = helmTemplate(release).find(d => d.kind === 'Deployment' && d.metadata.name === deployment);
  const spec = rendered.spec.template.spec;
  const ports = [...spec.containers, ...spec.initContainers ?? []].flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort));
  return pod(name, rendered.metadata.namespace ?? release.namespace, rendered.spec.template.metadata.labels, ports);
}

const pods = {
  deDriver: de.driver,
  deExecutor: de.executor,
  dePipeline: pipeline('data-engineering'),
  anDriver: an.driver,
  anExecutor: an.executor,
  anPipeline: pipeline('analytics'),
  mlDriver: ml.driver,
  mlExecutor: ml.executor,
  mlPipeline: pipeline('ml-platform'),
  // The operators' pods as the pinned charts really render them with the example's values (helm template).
  operatorController: chartPod('Spark Operator controller', 'spark-operator', 'spark-operator-controller'),
  operatorWebhook: chartPod('Spark Operator webhook', 'spark-operator', 'spark-operator-webhook'),
  argoController: chartPod('Argo Workflows controller', 'argo-workflows', 'argo-workflows-workflow-controller'),
  argoServer: chartPod('Argo Server', 'argo-workflows', 'argo-workflows-server'),
  history: pod('history server', 'spark-history', templateLabels('Deployment', 'spark-history', 'spark-history-server'), [18080]),
  pushgateway: pod('Pushgateway', 'spark-monitoring', templateLabels('Deployment', 'spark-monitoring', 'pushgateway'), [9091]),
  autoscaler: pod('cluster-autoscaler', 'kube-system', templateLabels('Deployment', 'kube-system', 'cluster-autoscaler'), [8085]),
  loggingOperator: chartPod('logging-operator', 'logging-operator', 'logging-operator'),
  // logging-operator 6.7.0 pkg/sdk/logging/api/v1beta1/logging_types.go GetFluentdLabels + statefulset.go (instance);
  // pkg/resources/fluentd/fluentd.go ServicePort 24240.
  fluentd: pod('fluentd', 'logging', {
    'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/component': 'fluentd', 'app.kubernetes.io/managed-by': 'spark-platform', 'app.kubernetes.io/instance': 'spark-platform',
  }, [24240]),
  // The drain jobs of scaled-down replicas: GetFluentdLabels with component "fluentd-drainer"
  // (pkg/resources/fluentd/drainjob.go getDrainerLabels, component.go ComponentDrainer). They listen on nothing.
  fluentdDrainer: pod('fluentd drain job', 'logging', {
    'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/component': 'fluentd-drainer', 'app.kubernetes.io/managed-by': 'spark-platform',
  }, []),
  // logging-operator 6.7.0 pkg/resources/fluentbit/fluentbit.go getFluentBitLabels, daemonset.go component "collector";
  // metrics port 2020 (logging_types.go).
  fluentBit: pod('fluent-bit', 'logging', {
    'app.kubernetes.io/name': 'fluentbit', 'app.kubernetes.io/managed-by': 'spark-platform', 'app.kubernetes.io/instance': 'spark-platform', 'app.kubernetes.io/component': 'collector',
  }, [2020]),
};
// Pods the platform does not isolate.
const prometheus = pod('Prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus', 'prometheus': 'kube-prometheus-stack-prometheus' }, [9090]);
const kubeDns = pod('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns' }, [53, 9153], [53]);
const awsNode = pod('aws-node', 'kube-system', { 'k8s-app': 'aws-node' }, [61678]);
const externals = {
  apiServer: external('EKS API endpoint (an ENI in the VPC)', '10.0.200.10', [443]),
  s3: external('S3', '52.218.1.1', [443]),
  logStore: external('logs.acme.internal', '10.0.50.20', [9200]),
  internet: external('a host on the internet', '198.51.100.7', [22, 80, 443]),
};

// ---------------------------------------------------------------------------------------------------------
// What the example needs, and nothing else.
// ---------------------------------------------------------------------------------------------------------
type Key = keyof typeof pods | 'prometheus' | keyof typeof externals;
const everywhere443: Key[] = ['apiServer', 's3', 'internet']; // 0.0.0.0/0 on 443: the API endpoint, S3, STS, any address
const team = (t: 'de' | 'an' | 'ml') => ({ driver: `${t}Driver` as Key, executor: `${t}Executor` as Key, pipeline: `${t}Pipeline` as Key });
const NEEDED: Array<[Key[], Key[], number[]]> = [
  ...(['de', 'an', 'ml'] as const).flatMap(t => {
    const { driver, executor, pipeline: p } = team(t);
    return [
      [[executor], [driver], [7078, 7079]],
      [[driver, executor], [executor], [7079]],
      [[driver, executor, p], everywhere443, [443]],
      [[p], ['pushgateway'], [9091]],
      [['prometheus'], [driver], [4040]],
    ] as Array<[Key[], Key[], number[]]>;
  }),
  // logging: every pod of the namespace reaches 443 (the operator, fluent-bit's kubernetes filter): the drain jobs too.
  [['operatorController', 'operatorWebhook', 'argoController', 'argoServer', 'history', 'autoscaler', 'loggingOperator', 'fluentd', 'fluentBit', 'fluentdDrainer'], everywhere443, [443]],
  // The API server calls the webhook from outside the pod network: the webhook port is open to any address
  // (a pod whose own egress allows it too: here Prometheus, which the platform does not isolate).
  [['apiServer', 'internet', 'prometheus'], ['operatorWebhook'], [9443]],
  [['prometheus'], ['operatorController'], [8080]],
  [['prometheus'], ['argoController'], [9090]],
  [['prometheus'], ['autoscaler'], [8085]],
  [['prometheus'], ['pushgateway'], [9091]],
  [['fluentBit'], ['fluentd'], [24240]],
  [['fluentd', 'fluentdDrainer'], ['logStore'], [9200]],
];

const endpoint = (key: Key): Endpoint & { ports: Array<[number, string]> } => (pods as any)[key] ?? (externals as any)[key] ?? (key === 'prometheus' ? prometheus : undefined);
const needed = new Set(NEEDED.flatMap(([froms, tos, ports]) => froms.flatMap(f => tos.flatMap(t => ports.map(p => `${f} -> ${t} TCP ${p}`)))));

describe('network isolation of the example platform', () => {
  test('every connection between the platform\'s pods, Prometheus and addresses outside is allowed exactly when the example needs it', () => {
    const sources: Key[] = [...Object.keys(pods), 'prometheus', 'apiServer', 'internet'] as Key[];
    const destinations: Key[] = [...Object.keys(pods), ...Object.keys(externals)] as Key[];
    const unexpected: string[] = [];
    const missing: string[] = [];
    for (const from of sources) {
      for (const to of destinations) {
        const target = endpoint(to);
        if ((from === 'prometheus' || !('namespace' in endpoint(from))) && !('namespace' in target)) continue; // neither end is the platform's
        for (const [port, protocol] of target.ports) {
          const flow = `${from} -> ${to} ${protocol} ${port}`;
          const allowed = evaluator.allows(endpoint(from), target, port, protocol as 'TCP' | 'UDP');
          if (allowed && !needed.has(flow)) unexpected.push(flow);
          if (!allowed && needed.has(flow)) missing.push(flow);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(unexpected).toEqual([]);
  });

  test('every isolated pod resolves names through kube-dns (UDP and TCP 53), and nothing else in kube-system', () => {
    for (const p of Object.values(pods)) {
      expect([p.name, evaluator.allows(p, kubeDns, 53, 'UDP'), evaluator.allows(p, kubeDns, 53, 'TCP')]).toEqual([p.name, true, true]);
      expect([p.name, evaluator.allows(p, kubeDns, 9153)]).toEqual([p.name, false]);
      expect([p.name, evaluator.allows(p, awsNode, 61678)]).toEqual([p.name, false]);
    }
  });

  test('flows that must be denied', () => {
    const denied: Array<[Endpoint, Endpoint, number]> = [
      [pods.deDriver, pods.anExecutor, 7079], // team A's driver to team B's executor
      [pods.anExecutor, pods.deDriver, 7078], // team B's executor to team A's driver
      [pods.mlExecutor, pods.deExecutor, 7079], // shuffle across teams
      [pods.dePipeline, pods.argoServer, 2746], // a team pod to the Argo Server
      [pods.deDriver, pods.argoServer, 2746],
      [pods.deDriver, pods.operatorWebhook, 8080], // the webhook's metrics, only its webhook port is open
      [pods.deExecutor, pods.history, 18080], // a job to the history server (no UI clients configured)
      [externals.internet, pods.history, 18080],
      [pods.deDriver, pods.pushgateway, 9091], // only pipelines push
      [pods.deDriver, pods.fluentd, 24240], // only fluent-bit forwards
      [pods.deDriver, externals.logStore, 9200], // only fluentd ships logs
      [pods.deDriver, awsNode, 61678], // a job to kube-system beyond DNS
      [pods.deDriver, prometheus, 9090],
      [pods.deExecutor, pods.deDriver, 4040], // only Prometheus reads the driver's UI
      [pods.deExecutor, externals.internet, 80],
    ];
    for (const [from, to, port] of denied) expect(`${from.name} -> ${to.name}:${port} ${evaluator.allows(from, to, port) ? 'allowed' : 'denied'}`).toBe(`${from.name} -> ${to.name}:${port} denied`);
  });

  test('every namespace the platform renders or installs an operator into has a default deny; kube-system only the autoscaler\'s', () => {
    const defaultDeny = policies.filter(p => p.metadata.name === 'default-deny');
    expect(defaultDeny.map(p => p.metadata.namespace).sort()).toEqual(['analytics', 'argo', 'data-engineering', 'logging', 'ml-platform', 'spark-history', 'spark-monitoring', 'spark-operator']);
    for (const p of defaultDeny) expect(p.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const kubeSystem = policies.filter(p => p.metadata.namespace === 'kube-system');
    for (const p of kubeSystem) expect(p.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'cluster-autoscaler' } });
    // Every namespace the example renders is among them, and so is every operator's release namespace.
    const rendered = docs.filter(d => d.kind === 'Namespace').map(d => d.metadata.name);
    const releases = [platform.sparkOperator.release, platform.workflows!.release, platform.loggingOperator!.release].map(r => r.namespace);
    for (const ns of [...rendered, ...releases]) expect(defaultDeny.map(p => p.metadata.namespace)).toContain(ns);
  });

  test('every job fixes the Spark ports the policies name (spark.blockManager.port defaults to a random port)', () => {
    for (const job of docs.filter(d => d.kind === 'SparkApplication')) {
      expect(job.spec.sparkConf).toMatchObject({ 'spark.driver.port': '7078', 'spark.driver.blockManager.port': '7079', 'spark.blockManager.port': '7079' });
    }
    expect([SparkPorts.DRIVER_RPC, SparkPorts.BLOCK_MANAGER, SparkPorts.UI]).toEqual([7078, 7079, 4040]);
  });

  test.each(['network.md', 'security.md'])('docs/%s shows the flows the example renders', (doc) => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'docs', doc), 'utf-8');
    const begin = text.indexOf('<!-- flows:begin -->');
    const end = text.indexOf('<!-- flows:end -->');
    expect(begin).toBeGreaterThan(0);
    const rows = text.slice(begin, end).split('\n').filter(l => l.startsWith('| ') && !l.startsWith('| from ') && !l.startsWith('| ---'));
    expect(rows).toEqual(platform.network!.flows.map(f => `| ${f.from} | ${f.to} | ${f.ports.join(', ')} | ${f.reason} |`));
  });
});

describe('network isolation: switches, options and checks', () => {
  const teamA = new SparkTeam({ name: 'team-a', costCenter: 'cc-1' });
  const build = (props: any = {}) => {
    const a = new App();
    const p = new SparkPlatform(a, 'spark-platform', { nodePools: [systemPool, spotPool], bindings, ...props });
    const jobs = p.addTeam(teamA);
    jobs.addJob('etl', { ...scalaJob });
    return { app: a, platform: p, jobs };
  };

  test('on by default; networkPolicies: false renders none', () => {
    const off = build({ networkPolicies: false });
    expect(off.platform.network).toBeUndefined();
    expect(SchemaHarness.get().assertValidSynth(off.app).some(d => d.kind === 'NetworkPolicy')).toBe(false);
    expect(build().platform.network).toBeDefined();
  });

  test('cluster CIDRs are left out of "outside the cluster"; UI clients reach the history server and the Argo Server', () => {
    const ingressController = NetworkPeer.pods('ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, 'ingress-nginx');
    const { app: a } = build({ network: { clusterCidrs: ['10.0.0.0/16'], uiClients: [ingressController] } });
    const built = SchemaHarness.get().assertValidSynth(a);
    const ev = new NetworkPolicyEvaluator(built);
    const driver: PodEndpoint = { name: 'driver', namespace: 'team-a', labels: { 'spark-role': 'driver' }, ip: '10.0.3.4' };
    const otherPod: PodEndpoint = { name: 'unisolated pod', namespace: 'default', labels: {}, ip: '10.0.9.9' };
    expect(ev.allows(driver, { name: 's3', ip: '52.218.1.1' }, 443)).toBe(true);
    expect(ev.allows(driver, otherPod, 443)).toBe(true); // the Kubernetes API peer is still 0.0.0.0/0 (its ENIs are in the VPC)
    const executor: PodEndpoint = { name: 'executor', namespace: 'team-a', labels: { 'spark-role': 'executor' }, ip: '10.0.3.5' };
    expect(ev.allows(executor, otherPod, 443)).toBe(false); // executors only go outside, now without the pods' CIDR
    const nginx: PodEndpoint = { name: 'nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ip: '10.0.4.4' };
    const history: PodEndpoint = { name: 'history', namespace: 'spark-history', labels: { 'app.kubernetes.io/name': 'spark-history-server' }, ip: '10.0.5.5' };
    const server: PodEndpoint = { name: 'argo server', namespace: 'argo', labels: { 'app.kubernetes.io/name': 'argo-workflows-server', 'app.kubernetes.io/instance': 'argo-workflows' }, ip: '10.0.5.6' };
    expect([ev.allows(nginx, history, 18080), ev.allows(nginx, server, 2746), ev.allows(driver, server, 2746)]).toEqual([true, true, false]);
  });

  test('a job that moves a Spark port off the fixed ones fails synth', () => {
    const { app: a, jobs } = build();
    jobs.addJob('elsewhere', { ...scalaJob, sparkConf: { 'spark.blockManager.port': '0' } });
    expect(() => a.charts.flatMap(c => c.toJson())).toThrow('SparkApplication team-a/elsewhere sets spark.blockManager.port=0, but the NetworkPolicies allow 7079 only');
  });

  test('so does a pipeline step that moves one (its SparkApplication is created at run time)', () => {
    const { app: a, platform: p, jobs } = build();
    p.addPipeline(jobs, 'nightly').addSparkStep('etl', { ...scalaJob, sparkConf: { 'spark.driver.port': '40000' } });
    expect(() => a.charts.flatMap(c => c.toJson())).toThrow('step etl of pipeline team-a/nightly sets spark.driver.port=40000, but the NetworkPolicies allow 7078 only');
  });

  test('bad input: peers, ports, flows', () => {
    expect(() => NetworkPeer.ipBlock('10.0.0.0')).toThrow('NetworkPeer: invalid prop "cidr" "10.0.0.0": must be an IPv4 CIDR such as "10.0.0.0/16"');
    expect(() => NetworkPeer.pods('team-a', {})).toThrow('must select by at least one label');
    expect(() => NetworkPeer.pods('Team A', { a: 'b' })).toThrow('NetworkPeer: invalid prop "namespace" "Team A"');
    expect(() => NetworkPort.tcp(70000)).toThrow('NetworkPort: invalid prop "port" 70000');
    const { platform: p } = build();
    const drivers = NetworkPeer.pods('team-a', { 'spark-role': 'driver' });
    expect(() => p.network!.addFlow({ name: 'team-a-drivers-to-api', from: drivers, to: NetworkPeer.anywhere(), ports: [NetworkPort.tcp(443)], reason: 'again' }))
      .toThrow('another flow has this name');
    expect(() => p.network!.addFlow({ name: 'elsewhere', from: NetworkPeer.allPods('default'), to: NetworkPeer.anywhere(), ports: [NetworkPort.tcp(443)], reason: 'x' }))
      .toThrow('neither end is in a namespace the platform isolates');
    // kube-system is not the platform's: a flow may not select kube-dns there (it would cut CoreDNS off).
    expect(() => p.network!.addFlow({ name: 'to-dns', from: drivers, to: NamespaceIsolation.KUBE_DNS, ports: NetworkPort.dns(), reason: 'x' }))
      .toThrow('selects pods of namespace "kube-system" that are not isolated (isolatePods): a policy would cut them off');
  });

  test('NamespaceIsolation alone: default deny, DNS, a flow rendered on each end in its namespace', () => {
    const chart = Testing.chart();
    const isolation = new NamespaceIsolation(chart, 'iso', { namespace: 'team-a' });
    isolation.addFlow({ name: 'web', from: NetworkPeer.pods('team-a', { app: 'client' }), to: NetworkPeer.pods('team-a', { app: 'web' }), ports: [NetworkPort.tcp(8080)], reason: 'x' });
    const rendered = SchemaHarness.get().assertValidSynth(chart);
    expect(rendered.map(d => d.metadata.name)).toEqual(['default-deny', 'allow-dns', 'web-egress', 'web-ingress']);
    expect(rendered[3].spec).toEqual({
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'team-a' } }, podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
    });
  });
});

describe('what a real EKS cluster\'s VPC CNI would still drop (first deploy, round two)', () => {
  const build = (props: any = {}, sparkTeam = new SparkTeam({ name: 'team-a', costCenter: 'cc-1' })) => {
    const a = new App();
    const p = new SparkPlatform(a, 'spark-platform', { nodePools: [systemPool, spotPool], bindings, ...props });
    const jobs = p.addTeam(sparkTeam);
    jobs.addJob('etl', { ...scalaJob, sparkVersion: '4.0.1' }); // Hadoop 3.4: Pod Identity works
    return { app: a, platform: p, jobs };
  };
  const driver: PodEndpoint = { name: 'driver', namespace: 'team-a', labels: { 'spark-role': 'driver' }, ip: '10.0.3.4' };
  // aws/eks-pod-identity-agent v0.1.37 configuration/config.go (169.254.170.23) and cmd/server.go (port 80); the
  // agent of the VPC CNI admits only the node's own address by default (aws-network-policy-agent v1.4.1
  // pkg/fwruleprocessor/fw_rule_processor.go).
  const agent: ExternalEndpoint = { name: 'EKS Pod Identity agent', ip: '169.254.170.23' };

  test('with EKS Pod Identity, a team\'s Spark pods and pipelines reach the agent on port 80; with IRSA nothing is opened there', () => {
    const podIdentity = new SparkTeam({ name: 'team-a', costCenter: 'cc-1', identity: WorkloadIdentity.POD_IDENTITY });
    const { app: a, platform: p, jobs } = build({ argoWorkflows: {} }, podIdentity);
    p.addPipeline(jobs, 'nightly').addSparkStep('etl', { ...scalaJob, sparkVersion: '4.0.1' });
    const ev = new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(a));
    const runPod: PodEndpoint = { name: 'pipeline', namespace: 'team-a', labels: { 'workflows.argoproj.io/workflow': 'nightly-x1' }, ip: '10.0.3.9' };
    // Only the agent on 80: not the instance metadata service (IMDS) next to it.
    expect([ev.allows(driver, agent, 80), ev.allows(runPod, agent, 80), ev.allows(driver, { name: 'IMDS', ip: '169.254.169.254' }, 80)])
      .toEqual([true, true, false]);
    expect(new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(build().app)).allows(driver, agent, 80)).toBe(false);
  });

  // aws/aws-network-policy-agent v1.4.1 pkg/fwruleprocessor/fw_rule_processor.go: the node's own address is always
  // allowed, so kubelet probes reach isolated pods; any other address of the VPC needs a rule.
  test('under the VPC CNI\'s semantics the kubelet probes every isolated pod from its node; another VPC address does not get in', () => {
    const vpcCni = new NetworkPolicyEvaluator(docs, {}, { nodeIps: ['10.0.2.5'] });
    const node: ExternalEndpoint = { name: 'node', ip: '10.0.2.5' };
    const elsewhere: ExternalEndpoint = { name: 'another instance', ip: '10.0.2.6' };
    for (const target of [pods.history, pods.pushgateway, pods.argoServer, pods.operatorController, pods.loggingOperator]) {
      for (const [port] of target.ports) {
        const seen = [vpcCni.allows(node, target, port), vpcCni.allows(elsewhere, target, port)];
        expect([target.name, port, ...seen]).toEqual([target.name, port, true, false]);
      }
    }
  });

  test('vpcServiceCidrs: VPC interface endpoints and in-VPC log stores inside clusterCidrs are reachable; pods there are not', () => {
    const { app: a } = build({ network: { clusterCidrs: ['10.0.0.0/16'], vpcServiceCidrs: ['10.0.32.0/24'] } });
    const ev = new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(a));
    const executor: PodEndpoint = { name: 'executor', namespace: 'team-a', labels: { 'spark-role': 'executor' }, ip: '10.0.3.5' };
    expect([ev.allows(executor, { name: 'sts endpoint', ip: '10.0.32.17' }, 443), ev.allows(executor, { name: 'a pod', ip: '10.0.1.5' }, 443)]).toEqual([true, false]);
    const { app: without } = build({ network: { clusterCidrs: ['10.0.0.0/16'] } });
    expect(new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(without)).allows(executor, { name: 'sts endpoint', ip: '10.0.32.17' }, 443)).toBe(false);
  });

  // aws/amazon-network-policy-controller-k8s v1.1.7 pkg/resolvers/endpoints.go: egress is judged before DNAT, and only
  // Services with a selector get their ClusterIP resolved; default/kubernetes has none.
  test('the API server\'s peer must contain the kubernetes Service\'s ClusterIP', () => {
    const subnets = NetworkPeer.ipBlock('10.0.0.0/19', [], 'the cluster\'s subnets');
    expect(() => build({ network: { kubernetesApi: subnets } })).toThrow(
      'spark-platform/network: invalid prop "kubernetesApi" "the cluster\'s subnets": is narrower than 0.0.0.0/0: give kubernetesServiceIp');
    expect(() => build({ network: { kubernetesApi: subnets, kubernetesServiceIp: '172.20.0.1' } })).toThrow(
      'invalid prop "kubernetesApi" "the cluster\'s subnets": does not contain the kubernetes Service\'s ClusterIP 172.20.0.1 (kubernetesServiceIp)');
    expect(() => build({ network: { kubernetesApi: NetworkPeer.allPods('kube-system') } })).toThrow('invalid prop "kubernetesApi" "kube-system: every pod": must be an address peer');
    expect(() => build({ network: { kubernetesApi: subnets, kubernetesServiceIp: '172.20.0' } })).toThrow('invalid prop "kubernetesServiceIp" "172.20.0": must be an IPv4 address');
    const { app: a } = build({ network: { kubernetesApi: subnets.withAddresses(['172.20.0.1/32']), kubernetesServiceIp: '172.20.0.1' } });
    const ev = new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(a));
    expect([ev.allows(driver, { name: 'kubernetes Service', ip: '172.20.0.1' }, 443), ev.allows(driver, { name: 'endpoint ENI', ip: '10.0.7.7' }, 443)]).toEqual([true, true]);
  });

  test('a Spark step\'s pods carry the run\'s workflow label but get the Spark flows only, not the pipeline pods\'', () => {
    const { app: a, platform: p, jobs } = build({ argoWorkflows: {}, monitoring: true });
    p.addPipeline(jobs, 'nightly').addSparkStep('etl', { ...scalaJob });
    const ev = new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(a));
    const pushgateway: PodEndpoint = { name: 'pushgateway', namespace: 'spark-monitoring', labels: p.monitoring!.pushgateway.podLabels, ip: '10.0.6.6' };
    const stepDriver: PodEndpoint = { ...driver, labels: { ...driver.labels, 'workflows.argoproj.io/workflow': 'nightly-x1' } };
    const runPod: PodEndpoint = { name: 'pipeline', namespace: 'team-a', labels: { 'workflows.argoproj.io/workflow': 'nightly-x1' }, ip: '10.0.3.9' };
    expect([ev.allows(runPod, pushgateway, 9091), ev.allows(stepDriver, pushgateway, 9091)]).toEqual([true, false]);
  });

  test('a submitter\'s CI must be admitted to the Argo Server: without a client, synth fails; with one, it reaches the API', () => {
    const { app: a, platform: p, jobs } = build({ argoWorkflows: {} });
    p.addSubmitter(jobs);
    expect(() => a.synth()).toThrow(/PipelineSubmitter team-a\/pipeline-submitter serves a CI system that calls the Argo Server, but the NetworkPolicies admit no client to it: give network.argoServerClients/);
    const ci = NetworkPeer.pods('ci', { app: 'runner' }, 'CI runners');
    const ok = build({ argoWorkflows: {}, network: { argoServerClients: [ci] } });
    ok.platform.addSubmitter(ok.jobs);
    const ev = new NetworkPolicyEvaluator(SchemaHarness.get().assertValidSynth(ok.app));
    const server: PodEndpoint = { name: 'argo server', namespace: 'argo', labels: { 'app.kubernetes.io/name': 'argo-workflows-server', 'app.kubernetes.io/instance': 'argo-workflows' }, ip: '10.0.5.6' };
    expect([ev.allows({ name: 'runner', namespace: 'ci', labels: { app: 'runner' }, ip: '10.0.8.8' }, server, 2746), ev.allows(driver, server, 2746)]).toEqual([true, false]);
  });
});

describe('the evaluator follows Kubernetes\' semantics', () => {
  const a: PodEndpoint = { name: 'a', namespace: 'x', labels: { app: 'a' }, ip: '10.0.0.1' };
  const b: PodEndpoint = { name: 'b', namespace: 'y', labels: { app: 'b' }, ip: '10.0.0.2' };
  const policy = (namespace: string, spec: any) => ({ kind: 'NetworkPolicy', metadata: { name: 'p', namespace }, spec });
  test('no policy: allowed; a policy selecting a pod for one direction isolates that direction only', () => {
    expect(new NetworkPolicyEvaluator([]).allows(a, b, 80)).toBe(true);
    const ingressOnly = new NetworkPolicyEvaluator([policy('y', { podSelector: {} })]); // policyTypes defaults to Ingress
    expect(ingressOnly.allows(a, b, 80)).toBe(false);
    expect(ingressOnly.allows(b, a, 80)).toBe(true);
  });
  test('both ends must allow; namespaceSelector reads namespace labels; ports and protocols', () => {
    const egress = policy('x', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'y' } } }], ports: [{ port: 80 }] }] });
    const ingress = policy('y', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] });
    const ns = { kind: 'Namespace', metadata: { name: 'y', labels: { team: 'y' } } };
    expect(new NetworkPolicyEvaluator([egress, ingress, ns]).allows(a, b, 80)).toBe(true);
    expect(new NetworkPolicyEvaluator([egress, ingress, ns]).allows(a, b, 80, 'UDP')).toBe(false);
    expect(new NetworkPolicyEvaluator([egress, ingress, ns]).allows(a, b, 81)).toBe(false);
    expect(new NetworkPolicyEvaluator([egress, ingress]).allows(a, b, 80)).toBe(false); // namespace y without the label
    expect(new NetworkPolicyEvaluator([egress, ns, policy('y', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] })]).allows(a, b, 80)).toBe(false); // own namespace only
  });
  test('selectors and CIDRs', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'k', operator: 'Exists' }] }, { k: '' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['a'] }] }, { k: 'a' })).toBe(false);
    expect([cidrContains('0.0.0.0/0', '198.51.100.7'), cidrContains('10.0.0.0/16', '10.1.0.1'), cidrContains('10.0.0.0/16', '10.0.255.1')]).toEqual([true, false, true]);
  });
});
