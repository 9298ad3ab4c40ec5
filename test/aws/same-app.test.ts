import { Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { systemPool as testSystemPool, spotPool as testSpotPool, testStack } from './fixtures';
import { ClusterAutoscaler, EventLogLocation, HelmRelease, SparkOperator, SyncWave, aws } from '../../lib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createApp } = require('../../examples/same-app');

// A manifest is a JSON string with references to the stack's resources joined in (Fn::Join): each reference
// becomes a "__REF<n>__" placeholder, kept in `refs`.
function manifests(template: Template): Array<{ id: string; resource: any; documents: any[]; refs: any[] }> {
  return Object.entries<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).map(([id, resource]) => {
    const manifest = resource.Properties.Manifest;
    const refs: any[] = [];
    const text = typeof manifest === 'string' ? manifest
      : manifest['Fn::Join'][1].map((part: any) => (typeof part === 'string' ? part : `__REF${refs.push(part) - 1}__`)).join('');
    return { id, resource, documents: JSON.parse(text), refs };
  });
}

describe('the same-app path: the AWS side delivers the Kubernetes side with CDK tokens in it (examples/same-app.ts)', () => {
  const app = createApp({}, undefined);
  const stack = app.node.findChild('SparkPlatformSameApp') as Stack;
  const template = Template.fromStack(stack);
  const found = manifests(template);

  test('it synthesizes: role ARNs and the bucket name are tokens the checks accept', () => {
    expect(found.map(m => m.id).sort()).toEqual([
      expect.stringMatching(/^DeliverysparkplatformAfterOperators/),
      expect.stringMatching(/^DeliverysparkplatformBeforeOperators/),
    ]);
  });

  test('each job namespace\'s service account carries its role, resolved from the stack at deploy time', () => {
    const after = found.find(m => m.id.startsWith('DeliverysparkplatformAfter'))!;
    const accounts = after.documents.filter((d: any) => d.kind === 'ServiceAccount' && d.metadata.name === 'spark');
    expect(accounts.map((d: any) => d.metadata.namespace).sort()).toEqual(['analytics', 'data-engineering']);
    for (const account of accounts) {
      const ref = after.refs[Number(/^__REF([0-9]+)__$/.exec(account.metadata.annotations['eks.amazonaws.com/role-arn'])![1])];
      expect(ref['Fn::GetAtt'][1]).toBe('Arn');
      expect(template.toJSON().Resources[ref['Fn::GetAtt'][0]].Type).toBe('AWS::IAM::Role');
    }
  });

  test('order: namespaces, then the operator release, then everything else (as GitOps applies it)', () => {
    const before = found.find(m => m.id.startsWith('DeliverysparkplatformBefore'))!;
    const after = found.find(m => m.id.startsWith('DeliverysparkplatformAfter'))!;
    expect(before.documents.map((d: any) => d.kind)).toEqual(['Namespace', 'Namespace']);
    const release = Object.entries<any>(template.findResources('Custom::AWSCDK-EKS-HelmChart')).find(([, r]) => r.Properties.Chart === 'spark-operator')!;
    expect(release[1].DependsOn).toEqual(expect.arrayContaining([before.id]));
    expect(after.resource.DependsOn).toEqual(expect.arrayContaining([before.id, release[0]]));
    const waves = after.documents.map((d: any) => Number(d.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(after.documents.filter((d: any) => d.kind === 'SparkApplication').length).toBe(3);
  });

  test('a release rendering into a namespace no chart creates first is a synth error', () => {
    const stack2 = testStack();
    const platform = new aws.SparkEksCluster(stack2, 'Platform', {
      clusterName: 'spark-platform',
      systemPool: testSystemPool,
    });
    const delivery = new aws.DirectDelivery(stack2, 'Delivery', { cluster: platform.cluster });
    const chart = new cdk8s.Chart(new cdk8s.App(), 'late');
    const ns = new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a' } });
    SyncWave.set(ns, SyncWave.NATIVE);
    delivery.addChart(chart);
    delivery.addHelmRelease(new HelmRelease({
      releaseName: 'op', namespace: 'op', chartName: 'op', repository: 'https://charts.example.com', version: '1.0.0', otherNamespaces: ['team-a'],
    }));
    expect(() => Template.fromStack(stack2)).toThrow(/Delivery\/Release-op: the chart "op" renders objects into namespace "team-a", which no chart added to .*Delivery creates before the operators/);
  });
});

describe('checks that may see a token accept it and still judge a literal', () => {
  const pools = [testSystemPool, testSpotPool];
  const role = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/x`;

  test('role ARN, region and cluster name of the cluster-autoscaler', () => {
    const chart = cdk8s.Testing.chart();
    expect(() => new ClusterAutoscaler(chart, 'a', { nodePools: pools, clusterName: Aws.STACK_NAME, region: Aws.REGION, serviceAccountRoleArn: role })).not.toThrow();
    expect(() => new ClusterAutoscaler(chart, 'b', { nodePools: pools, clusterName: 'c', region: 'Ireland' })).toThrow(/b: invalid prop "region" "Ireland"/);
    expect(() => new ClusterAutoscaler(chart, 'c', { nodePools: pools, clusterName: 'c', region: 'eu-west-1', serviceAccountRoleArn: 'role' }))
      .toThrow(/c: invalid prop "serviceAccountRoleArn" "role": must be an IAM role ARN/);
  });

  test('the region and bucket of the Spark Operator, the role of a job namespace', () => {
    const chart = cdk8s.Testing.chart();
    const bindings = { clusterName: 'c', region: Aws.REGION, bucketName: `${Aws.ACCOUNT_ID}-bucket`, serviceAccountRoleArns: { 'team-a/spark': role } };
    const operator = new SparkOperator(chart, 'op', { nodePools: pools, bindings });
    expect(operator.eventLogs.s3aUri).toMatch(/^s3a:\/\/\$\{Token\[/);
    expect(operator.addJobNamespace('team-a').serviceAccountRoleArn).toBe(role);
    expect(() => new SparkOperator(chart, 'op2', { nodePools: pools, eventLogs: new EventLogLocation({ bucketName: 'b-b-b' }), awsRegion: 'EU' }))
      .toThrow(/op2: invalid prop "awsRegion" "EU"/);
  });
});
