// What a first deploy of the Kubernetes side would still stop at (first deploy, round two), each pinned to the
// upstream behaviour it relies on. The charts rendered for real are in test/chart-render.test.ts, the AWS side in
// test/aws/first-deploy.test.ts and test/aws/s3-calls.test.ts.
import { App, Testing } from 'cdk8s';
import {
  PlatformMonitoring, PlatformServiceAccounts, S3Location, ServiceAccountIdentity, SparkHistoryServer, SparkOperator, SparkPlatform, SparkTeam,
} from '../lib';
import { bindings, findObject, scalaJob, sparkFixture, spotPool, systemPool, teamA } from './fixtures/spark-platform';

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

describe('S3A on the platform bucket', () => {
  // Hadoop 3.3 (Spark 3.5 images) deletes the parent directory markers after every write
  // (fs.s3a.directory.marker.retention=delete; "keep" is the default from 3.4.0, HADOOP-18752): a DeleteObject on
  // "spark-events/" that a team's role may not make, and a directory that vanishes with its last file.
  test('directory markers are kept where the image\'s Hadoop would delete them (jobs and the history server)', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addJob('spark-35', { ...scalaJob, sparkVersion: '3.5.5' });
    namespace.addJob('spark-40', { ...scalaJob, sparkVersion: '4.0.1' });
    new SparkHistoryServer(chart, 'history', { nodePools: [systemPool, spotPool], bindings, sparkVersion: '3.5.5' });
    const docs = Testing.synth(chart);
    const conf = (name: string) => findObject(docs, 'SparkApplication', name).spec.hadoopConf;
    expect(conf('spark-35')['fs.s3a.directory.marker.retention']).toBe('keep');
    expect(conf('spark-40')['fs.s3a.directory.marker.retention']).toBeUndefined();
    const env = findObject(docs, 'Deployment').spec.template.spec.containers[0].env;
    expect(env.find((e: any) => e.name === 'SPARK_HISTORY_OPTS').value).toContain('-Dspark.hadoop.fs.s3a.directory.marker.retention=keep');
  });

  test('a spot job\'s fallback storage must be writable by its team\'s role: below a readWritePrefix of the platform bucket', () => {
    const writer = new SparkTeam({ name: 'team-a', readWritePrefixes: ['curated/sessions'] });
    const { chart, namespace } = sparkFixture({}, writer);
    namespace.addJob('ok', { ...scalaJob, fallbackStorage: bindings.location('curated/sessions/spark-fallback') });
    expect(() => namespace.addJob('elsewhere', { ...scalaJob, fallbackStorage: bindings.location('spark/fallback') })).toThrow(
      'team-a/elsewhere: invalid prop "fallbackStorage" "s3a://acme-spark-platform/spark/fallback": is not writable by the team\'s role, so executors of a reclaimed spot node '
      + 'could not save their blocks there (403): must be a location in the platform bucket below one of team "team-a"\'s readWritePrefixes (curated/sessions), '
      + 'e.g. "s3a://acme-spark-platform/curated/sessions/spark-fallback"');
    expect(() => namespace.addJob('other-bucket', { ...scalaJob, fallbackStorage: new S3Location({ bucketName: 'someone-elses', prefix: 'curated/sessions/x' }) }))
      .toThrow('invalid prop "fallbackStorage" "s3a://someone-elses/curated/sessions/x": is not writable by the team\'s role');
    expect(() => namespace.addJob('sibling', { ...scalaJob, fallbackStorage: bindings.location('curated/sessions-tmp') })).toThrow('is not writable by the team\'s role');
    expect(findObject(Testing.synth(chart), 'SparkApplication', 'ok').spec.sparkConf['spark.storage.decommission.fallbackStorage.path'])
      .toBe('s3a://acme-spark-platform/curated/sessions/spark-fallback/');
  });
});

describe('platform logs reach the platform output', () => {
  const build = () => {
    const app = new App();
    const platform = new SparkPlatform(app, 'spark-platform', { nodePools: [systemPool, spotPool], bindings, logging: { output: { host: 'logs.internal' } }, gitOps: { repoUrl: 'https://github.com/acme/infra.git' } });
    platform.addTeam(teamA, { logOutput: { host: 'team-logs.internal' } });
    return { app, platform };
  };

  // docs/platform.md promises a platform ClusterOutput and ClusterFlow; logging-operator 6.7.0 routes a pod's logs
  // only through a flow that selects it (pkg/resources/model/system.go): without one they go nowhere.
  test('a ClusterFlow in the control namespace selects every component namespace, even when every team has its own output', () => {
    const { app, platform } = build();
    const docs = app.charts.flatMap(c => c.toJson());
    const flow = findObject(docs, 'ClusterFlow', 'platform');
    expect(flow.metadata.namespace).toBe('logging');
    expect(flow.spec.match).toEqual([{ select: { namespaces: ['spark-operator', 'argo', 'logging', 'spark-history', 'spark-monitoring', 'argocd'] } }]);
    expect(flow.spec.globalOutputRefs).toEqual([platform.platformLogOutput!.name]);
    expect(findObject(docs, 'ClusterOutput').metadata.name).toBe(platform.platformLogOutput!.name);
  });

  test('an output that no flow references fails synth: its logs would go nowhere', () => {
    const { app, platform } = build();
    platform.logging!.addClusterOutput('unused', { host: 'nowhere.internal' });
    expect(() => app.synth()).toThrow(/ClusterOutput logging\/unused is referenced by no Flow or ClusterFlow: no log reaches it/);
  });
});
