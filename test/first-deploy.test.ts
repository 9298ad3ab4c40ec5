// What a first deploy of the Kubernetes side would still stop at (first deploy, round two), each pinned to the
// upstream behaviour it relies on. The charts rendered for real are in test/chart-render.test.ts, the AWS side in
// test/aws/first-deploy.test.ts and test/aws/s3-calls.test.ts.
import { App, Testing } from 'cdk8s';
import {
  PlatformMonitoring, PlatformServiceAccounts, ServiceAccountIdentity, SparkHistoryServer, SparkOperator, SparkPlatform, SparkTeam,
} from '../lib';
import { bindings, spotPool, systemPool } from './fixtures/spark-platform';

describe('a namespace the platform does not own is refused wherever it is named', () => {
  // A Namespace rendered by the platform carries pod-security "restricted" and gets default-deny NetworkPolicies:
  // in kube-system that stops aws-node, kube-proxy and CoreDNS on every new node.
  test.each(['kube-system', 'kube-public', 'kube-node-lease', 'default'])('%s', (ns) => {
    const own = /is Kubernetes' own namespace \(kube-system, kube-public, kube-node-lease, default\): the platform would render it with pod-security "restricted"/;
    expect(() => new SparkTeam({ name: ns })).toThrow(new RegExp(`SparkTeam "${ns}": invalid prop "name" "${ns}": ${own.source}`));
    expect(() => new SparkTeam({ name: 'team-a', namespace: ns })).toThrow(new RegExp(`invalid prop "namespace" "${ns}": ${own.source}`));
    const chart = Testing.chart();
    const account = new ServiceAccountIdentity({ namespace: ns, name: 'spark-history-server' });
    expect(() => new SparkHistoryServer(chart, 'history', { nodePools: [systemPool, spotPool], bindings, serviceAccount: account }))
      .toThrow(new RegExp(`history: invalid prop "serviceAccount.namespace" "${ns}": ${own.source}`));
    expect(() => new PlatformMonitoring(chart, 'monitoring', { nodePools: [systemPool], namespace: ns, sparkOperator: new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings }) }))
      .toThrow(new RegExp(`monitoring: invalid prop "namespace" "${ns}": ${own.source}`));
    expect(() => new SparkOperator(Testing.chart(), 'op', { nodePools: [systemPool, spotPool], bindings, namespace: ns })).toThrow(new RegExp(`op: invalid prop "namespace" "${ns}"`));
  });

  test('a team in the namespace of a component the platform installs fails, naming the component', () => {
    const platform = new SparkPlatform(new App(), 'spark-platform', { nodePools: [systemPool, spotPool], bindings, logging: { output: { host: 'logs.internal' } } });
    for (const [ns, owner] of [['spark-operator', 'the Spark Operator'], ['argo', 'Argo Workflows'], ['logging', 'the logging-operator'],
      ['spark-history', 'the Spark History Server'], ['spark-monitoring', 'the monitoring']]) {
      expect(() => platform.addTeam(new SparkTeam({ name: 'team-a', namespace: ns })))
        .toThrow(`spark-platform: invalid prop "team" "team-a": uses namespace "${ns}", which is ${owner}'s`);
    }
    expect(() => new SparkOperator(Testing.chart(), 'op', { nodePools: [systemPool, spotPool], bindings }).addTeam(new SparkTeam({ name: 'spark-operator' })))
      .toThrow('uses namespace "spark-operator", the Spark Operator\'s own');
    expect(PlatformServiceAccounts.CLUSTER_AUTOSCALER.namespace).toBe('kube-system'); // the autoscaler's, and no Namespace rendered for it
  });
});
