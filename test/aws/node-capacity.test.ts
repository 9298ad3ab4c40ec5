import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Size } from 'cdk8s';
import { platform, spotPool, systemPool, testStack } from './fixtures';
import { CapacityType, NodePool, aws } from '../../lib';

const nvmePool = new NodePool({ name: 'spark-nvme', capacityType: CapacityType.SPOT, instanceTypes: ['m5d.2xlarge', 'm6id.2xlarge'], maxSize: 20 });

function launchTemplateOf(template: any, nodegroupName: string): any {
  const resources = template.toJSON().Resources;
  const nodegroup = Object.values<any>(resources).find(r => r.Type === 'AWS::EKS::Nodegroup' && r.Properties.NodegroupName === nodegroupName);
  const id = nodegroup.Properties.LaunchTemplate.Id.Ref;
  return { nodegroup: nodegroup.Properties, launchTemplate: resources[id].Properties.LaunchTemplateData };
}

describe('SparkEksCluster: node capacity', () => {
  test('every node group has a launch template: encrypted gp3 root volume of the pool\'s size, IMDSv2 with hop limit 1', () => {
    const big = new NodePool({ name: 'spark-big-disk', capacityType: CapacityType.SPOT, instanceTypes: ['r5.4xlarge'], rootVolumeSize: Size.gibibytes(300) });
    const { template } = platform({ nodePools: [spotPool, big] });
    for (const [name, size] of [['spark-spot', 100], ['system', 100], ['spark-big-disk', 300]] as const) {
      const { nodegroup, launchTemplate } = launchTemplateOf(template, name);
      // aws-eks-v2 managed-nodegroup: diskSize and a launch template exclude each other.
      expect(nodegroup.DiskSize).toBeUndefined();
      expect(nodegroup.LaunchTemplate.Version).toBeDefined();
      expect(launchTemplate.BlockDeviceMappings).toEqual([{ DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: true, Encrypted: true, VolumeSize: size, VolumeType: 'gp3' } }]);
      expect(launchTemplate.MetadataOptions).toEqual({ HttpPutResponseHopLimit: 1, HttpTokens: 'required' });
    }
  });

  // awslabs/amazon-eks-ami nodeadm: spec.instance.localStorage.strategy RAID0 assembles the instance store and
  // bind-mounts /var/lib/kubelet (emptyDir, Spark's local dirs) and /var/lib/containerd onto it.
  test('pools of NVMe types get nodeadm\'s RAID0 local storage in multipart user data; others none', () => {
    const { template } = platform({ nodePools: [spotPool, nvmePool] });
    const userData = Buffer.from(launchTemplateOf(template, 'spark-nvme').launchTemplate.UserData['Fn::Base64'], 'utf-8').toString();
    expect(userData).toContain('Content-Type: multipart/mixed');
    expect(userData).toContain('Content-Type: application/node.eks.aws');
    expect(userData).toContain('apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  instance:\n    localStorage:\n      strategy: RAID0');
    expect(launchTemplateOf(template, 'spark-spot').launchTemplate.UserData).toBeUndefined();
    expect(nvmePool.hasLocalNvme).toBe(true);
    expect(spotPool.hasLocalNvme).toBe(false);
  });

  test('deploys keep the size the autoscaler set: desired is the pool\'s floor, fixed in the template; spot scales from zero', () => {
    const first = launchTemplateOf(platform({ nodePools: [spotPool] }).template, 'spark-spot').nodegroup.ScalingConfig;
    const second = launchTemplateOf(platform({ nodePools: [spotPool] }).template, 'spark-spot').nodegroup.ScalingConfig;
    // CloudFormation updates a node group's size only when ScalingConfig changes: it never does for an unchanged pool.
    expect(first).toEqual({ MinSize: 0, MaxSize: 40, DesiredSize: 0 });
    expect(second).toEqual(first);
    expect(launchTemplateOf(platform().template, 'system').nodegroup.ScalingConfig).toEqual({ MinSize: 2, MaxSize: 6, DesiredSize: 2 });
  });

  test('the VPC the library creates has an S3 gateway endpoint: S3 traffic skips the NAT gateways', () => {
    const { template } = platform();
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      RouteTableIds: Match.anyValue(),
    });
  });

  test('a VPC of your own without an S3 gateway endpoint is a warning; with one, none', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'MyVpc', { maxAzs: 2 });
    new aws.SparkEksCluster(stack, 'Platform', { clusterName: 'spark-platform', systemPool, nodePools: [spotPool], vpc });
    Annotations.fromStack(stack).hasWarning('/Test/Platform', Match.stringLikeRegexp('The VPC given has no S3 gateway endpoint'));

    const other = testStack();
    const withEndpoint = new ec2.Vpc(other, 'MyVpc', { maxAzs: 2 });
    withEndpoint.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    new aws.SparkEksCluster(other, 'Platform', { clusterName: 'spark-platform', systemPool, nodePools: [spotPool], vpc: withEndpoint });
    Annotations.fromStack(other).hasNoWarning('/Test/Platform', Match.anyValue());
  });
});
