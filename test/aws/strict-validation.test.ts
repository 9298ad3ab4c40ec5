import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createApp } from '../../examples/aws';

// One strict test per example stack: aws-cdk-lib's built-in CloudFormation validation with its errors (and, in
// strict mode, its warnings) failing the synth, and cdk-nag's AwsSolutions pack through the validation
// plugin API. Every finding is either fixed or acknowledged, with its reason, where the resource is built.
describe('examples/aws.ts under strict validation', () => {
  test('synthesizes with zero unacknowledged findings', () => {
    const app = createApp({ '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true });
    Validations.of(app).addPlugins(new AwsSolutionsChecks());
    const assembly = app.synth();
    expect(assembly.stacks.map(s => s.stackName)).toEqual(['SparkPlatform']);
  });

  test('endpoint access and control-plane logging, which cdk-nag\'s EKS rules do not see on aws-eks-v2 clusters', () => {
    const template = Template.fromJSON(createApp().synth().getStackByName('SparkPlatform').template);
    const cluster = Object.values<any>(template.findResources('AWS::EKS::Cluster'))[0].Properties;
    expect(cluster.ResourcesVpcConfig.EndpointPrivateAccess).toBe(true);
    expect(cluster.ResourcesVpcConfig.PublicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(cluster.ResourcesVpcConfig.PublicAccessCidrs).not.toContain('0.0.0.0/0');
    expect(cluster.Logging.ClusterLogging.EnabledTypes.map((t: any) => t.Type).sort())
      .toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
  });

  test('a finding that is not acknowledged fails the synth (the check can fail)', () => {
    const app = createApp({ '@aws-cdk/core:validateAgainstDefaultRules': true });
    const stack = app.node.findChild('SparkPlatform');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Bucket } = require('aws-cdk-lib/aws-s3');
    new Bucket(stack, 'Unencrypted', { enforceSSL: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks());
    expect(() => app.synth()).toThrow(/AwsSolutions-S1|AwsSolutions-S10/);
  });

  test('the node groups are built from the same NodePool objects as examples/main.ts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spotPool, systemPool, onDemandExecutorPool } = require('../../examples/main');
    const template = Template.fromJSON(createApp().synth().getStackByName('SparkPlatform').template);
    const groups = Object.values<any>(template.findResources('AWS::EKS::Nodegroup')).map(r => r.Properties);
    expect(groups.map(g => g.NodegroupName).sort())
      .toEqual([spotPool.nodeGroupName, systemPool.nodeGroupName, onDemandExecutorPool.nodeGroupName].sort());
    expect(groups.find(g => g.NodegroupName === spotPool.name).Taints).toEqual([{ Key: 'spark-platform.io/capacity', Value: 'spot', Effect: 'NO_SCHEDULE' }]);
  });
});
