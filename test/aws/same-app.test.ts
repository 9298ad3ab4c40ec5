import { Aws, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cdk8s from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { systemPool as testSystemPool, spotPool as testSpotPool, testStack } from './fixtures';
import { ClusterAutoscaler, HelmRelease, PlatformBindings, PlatformServiceAccounts, SparkOperator, SparkTeam, SyncWave, aws } from '../../lib';

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

  test('each team\'s service account carries the ARN of the role the stack creates for the same SparkTeam, and waits for it', () => {
    const after = found.find(m => m.id.startsWith('DeliverysparkplatformAfter'))!;
    const accounts = after.documents.filter((d: any) => d.kind === 'ServiceAccount' && d.metadata.name === 'spark');
    expect(accounts.map((d: any) => d.metadata.namespace).sort()).toEqual(['analytics', 'data-engineering', 'ml-platform']);
    const roleNames = Object.values<any>(template.findResources('AWS::IAM::Role')).map(r => r.Properties.RoleName);
    for (const account of accounts) {
      // arn:<partition>:iam::<account>:role/<name>: the partition resolved by CloudFormation, the account the stack's.
      const arn = account.metadata.annotations['eks.amazonaws.com/role-arn'].replace(/__REF([0-9]+)__/g, (_: string, i: string) => `{${after.refs[Number(i)].Ref}}`);
      const name = `spark-platform-eu-west-1-${account.metadata.namespace}-spark`;
      expect(arn).toBe(`arn:{AWS::Partition}:iam::123456789012:role/${name}`);
      expect(roleNames).toContain(name);
    }
    const roles = Object.keys(template.findResources('AWS::IAM::Role')).filter(id => id.includes('SparkTeamRole'));
    expect(after.resource.DependsOn).toEqual(expect.arrayContaining(roles));
  });

  test('order: namespaces, then the operator release, then everything else (as GitOps applies it)', () => {
    const before = found.find(m => m.id.startsWith('DeliverysparkplatformBefore'))!;
    const after = found.find(m => m.id.startsWith('DeliverysparkplatformAfter'))!;
    // Namespaces and the PriorityClasses the operators' pods name.
    expect(new Set(before.documents.map((d: any) => d.kind))).toEqual(new Set(['Namespace', 'PriorityClass']));
    expect(before.documents.length).toBeGreaterThanOrEqual(3);
    const release = Object.entries<any>(template.findResources('Custom::AWSCDK-EKS-HelmChart')).find(([, r]) => r.Properties.Chart === 'spark-operator')!;
    expect(release[1].DependsOn).toEqual(expect.arrayContaining([before.id]));
    expect(after.resource.DependsOn).toEqual(expect.arrayContaining([before.id, release[0]]));
    const waves = after.documents.map((d: any) => Number(d.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0));
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(after.documents.filter((d: any) => d.kind === 'SparkApplication').length).toBe(4);
  });

  test('a release rendering into a namespace no chart creates first is a synth error', () => {
    const stack2 = testStack();
    const platform = new aws.SparkEksCluster(stack2, 'Platform', {
      clusterName: 'spark-platform',
      systemPool: testSystemPool,
    });
    const delivery = new aws.DirectDelivery(stack2, 'Delivery', { platform });
    const chart = new cdk8s.Chart(new cdk8s.App(), 'late');
    const ns = new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a' } });
    SyncWave.set(ns, SyncWave.NATIVE);
    delivery.addChart(chart);
    delivery.addHelmRelease(new HelmRelease({
      releaseName: 'op', namespace: 'op', chartName: 'op', repository: 'https://charts.example.com', chartVersion: '1.0.0', otherNamespaces: ['team-a'],
    }));
    expect(() => Template.fromStack(stack2)).toThrow(/Delivery\/Release-op: the chart "op" renders objects into namespace "team-a", which no chart added to .*Delivery creates before the operators/);
  });
});

describe('checks that may see a token accept it and still judge a literal', () => {
  const pools = [testSystemPool, testSpotPool];
  const tokens = { accountId: Aws.ACCOUNT_ID, clusterName: 'spark-platform', region: Aws.REGION, bucketName: `${Aws.ACCOUNT_ID}-bucket` };

  test('PlatformBindings: account, region and bucket may be tokens', () => {
    const bindings = new PlatformBindings(tokens);
    expect(bindings.eventLogs.s3aUri).toMatch(/^s3a:\/\/\$\{Token\[/);
    expect(bindings.roleArn(PlatformServiceAccounts.CLUSTER_AUTOSCALER)).toMatch(/^arn:aws:iam::\$\{Token\[AWS.AccountId.[0-9]+\]\}:role\/spark-platform-\$\{Token\[AWS.Region.[0-9]+\]\}-kube-system-cluster-autoscaler$/);
    expect(() => new PlatformBindings({ ...tokens, accountId: '1234' })).toThrow(/PlatformBindings: invalid prop "accountId" "1234": must be a 12-digit AWS account id/);
    expect(() => new PlatformBindings({ ...tokens, region: 'Ireland' })).toThrow(/PlatformBindings: invalid prop "region" "Ireland": must be an AWS region/);
    expect(() => new PlatformBindings({ ...tokens, bucketName: 'Not A Bucket' })).toThrow(/invalid prop "bucketName" "Not A Bucket"/);
  });

  test('the components built on token bindings render them for the deploy to resolve', () => {
    const chart = cdk8s.Testing.chart();
    const bindings = new PlatformBindings({ ...tokens, deployedByAwsCdk: true });
    const autoscaler = new ClusterAutoscaler(chart, 'autoscaler', { nodePools: pools, bindings });
    const operator = new SparkOperator(chart, 'op', { nodePools: pools, bindings });
    operator.addTeam(new SparkTeam({ name: 'team-a' }));
    const docs = cdk8s.Testing.synth(chart);
    expect(autoscaler.clusterName).toBe('spark-platform');
    const deployment = docs.find(d => d.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'AWS_REGION', value: Aws.REGION }]);
    expect(docs.find(d => d.kind === 'ServiceAccount' && d.metadata.namespace === 'team-a').metadata.annotations['eks.amazonaws.com/role-arn'])
      .toBe(`arn:aws:iam::${Aws.ACCOUNT_ID}:role/spark-platform-${Aws.REGION}-team-a-spark`);
  });

  test('tokens in a plain cdk8s app fail its synth, naming the construct and the binding', () => {
    const app = cdk8s.Testing.app();
    const chart = new cdk8s.Chart(app, 'platform');
    new ClusterAutoscaler(chart, 'autoscaler', { nodePools: pools, bindings: new PlatformBindings(tokens) });
    expect(() => app.synth()).toThrow(/platform\/autoscaler: invalid prop "bindings.region" "\$\{Token\[AWS.Region.[0-9]+\]\}": is an AWS CDK token in a plain cdk8s app/);
  });
});
