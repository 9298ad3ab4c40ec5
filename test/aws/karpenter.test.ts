// Karpenter's AWS side (SparkEksClusterProps.karpenter), checked against its getting-started template:
// aws/karpenter-provider-aws v1.14.1, website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
// (the controller policies, KarpenterNodeRole, KarpenterInterruptionQueue and its policy, the five EventBridge rules)
// and scripts/step02-create-cluster.sh (the karpenter.sh/discovery tag, the node role mapped into system:nodes).
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { allStatements, platform, spotPool, systemPool, testStack } from './fixtures';
import { CapacityType, KarpenterNames, NodePool, PlatformServiceAccounts, ServiceAccountIdentity, WorkloadIdentity, aws } from '../../lib';
import { AwsRequest, simulatorAllows } from '../fixtures/iam-simulator';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const CLUSTER = 'spark-platform';
const baselinePool = new NodePool({ name: 'executors', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.2xlarge'], minSize: 1, maxSize: 20 });

const { template, cluster } = platform({ nodePools: [spotPool, baselinePool], karpenter: {} });
const resources = template.toJSON().Resources;
const idOf = (type: string, predicate: (properties: any) => boolean = () => true) =>
  Object.entries<any>(resources).find(([, r]) => r.Type === type && predicate(r.Properties ?? {}))![0];

const nodeRoleName = KarpenterNames.nodeRoleName(CLUSTER, REGION);
const queueName = KarpenterNames.interruptionQueueName(CLUSTER);
const nodeRoleId = idOf('AWS::IAM::Role', p => p.RoleName === nodeRoleName);
const queueId = idOf('AWS::SQS::Queue');
const controllerRoleName = PlatformServiceAccounts.KARPENTER.roleName(CLUSTER, REGION);
const controllerRoleId = idOf('AWS::IAM::Role', p => p.RoleName === controllerRoleName);

// A template value as it is once deployed in the test stack's account and region: pseudo parameters and the
// ARNs of the node role and the queue (both have fixed names) filled in, joins joined.
const nodeRoleArn = `arn:aws:iam::${ACCOUNT}:role/${nodeRoleName}`;
const queueArn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${queueName}`;
function deployed(value: any): any {
  if (typeof value === 'string' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deployed);
  if (value.Ref) return ({ 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT } as any)[value.Ref] ?? value;
  if (value['Fn::GetAtt']) {
    const [id, attribute] = value['Fn::GetAtt'];
    if (id === nodeRoleId && attribute === 'Arn') return nodeRoleArn;
    if (id === queueId && attribute === 'Arn') return queueArn;
    return value;
  }
  if (value['Fn::Join']) return value['Fn::Join'][1].map(deployed).join(value['Fn::Join'][0]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deployed(v)]));
}
const controller = allStatements(template).filter(s => s.resource.includes('KarpenterControllerRole')).map(s => deployed(s.statement));

describe('Karpenter: node groups', () => {
  test('only the pools with a baseline get a node group, fixed at minSize, without the cluster-autoscaler\'s tags', () => {
    template.resourceCountIs('AWS::EKS::Nodegroup', 2);
    template.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'system', ScalingConfig: { MinSize: 2, MaxSize: 2, DesiredSize: 2 } });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'executors', ScalingConfig: { MinSize: 1, MaxSize: 1, DesiredSize: 1 } });
    expect(Object.keys(cluster.nodegroups).sort()).toEqual(['executors', 'system']);
    for (const group of Object.values<any>(template.findResources('AWS::EKS::Nodegroup'))) {
      expect(Object.keys(group.Properties.Tags ?? {}).filter(k => k.startsWith('k8s.io/cluster-autoscaler'))).toEqual([]);
    }
    // The spot pool (minSize 0) has neither a node group nor a launch template: Karpenter launches all its nodes.
    expect(Object.values<any>(template.findResources('AWS::EKS::Nodegroup')).map(g => g.Properties.NodegroupName)).not.toContain(spotPool.nodeGroupName);
    expect(Object.keys(template.findResources('AWS::EC2::LaunchTemplate')).filter(id => id.includes('sparkspot'))).toEqual([]);
  });

  test('no cluster-autoscaler role; the cluster-autoscaler\'s service account given with karpenter is refused', () => {
    expect(cluster.serviceAccountRoles.map(r => r.serviceAccount.key)).not.toContain(PlatformServiceAccounts.CLUSTER_AUTOSCALER.key);
    expect(JSON.stringify(template.toJSON())).not.toContain('autoscaling:SetDesiredCapacity');
    expect(() => platform({ karpenter: {}, clusterAutoscaler: PlatformServiceAccounts.CLUSTER_AUTOSCALER }))
      .toThrow(/Platform: invalid prop "clusterAutoscaler" "kube-system\/cluster-autoscaler": is given with karpenter/);
  });

  test('a system pool without a baseline is refused: Karpenter\'s controller cannot run on nodes it launches', () => {
    const noBaseline = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 0, maxSize: 3 });
    expect(() => platform({ systemPool: noBaseline, karpenter: {} }))
      .toThrow(/^Test\/Platform: invalid prop "systemPool" "system": has minSize 0 with karpenter: .*minSize of at least 1/);
    // Without Karpenter the cluster-autoscaler scales it from zero as before.
    expect(() => platform({ systemPool: noBaseline })).not.toThrow();
  });

  test('without karpenter nothing of it exists', () => {
    const plain = platform().template;
    for (const type of ['AWS::SQS::Queue', 'AWS::Events::Rule', 'AWS::EKS::AccessEntry']) {
      expect(Object.values<any>(plain.findResources(type)).filter(r => JSON.stringify(r).includes('arpenter'))).toEqual([]);
    }
    expect(Object.keys(plain.toJSON().Outputs)).not.toContain('KarpenterNodeRoleName');
  });
});

describe('Karpenter: the node role and its access entry', () => {
  test('named after the cluster and region, trusted by EC2, with the managed policies of the template', () => {
    const role = resources[nodeRoleId].Properties;
    expect(role.RoleName).toBe('spark-platform-eu-west-1-karpenter-node');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }]);
    expect(deployed(role.ManagedPolicyArns).sort()).toEqual([
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    expect(role.Policies).toBeUndefined();
    expect(cluster.karpenterNodeRole).toBeDefined();
  });

  test('an EC2_LINUX access entry lets its nodes join (system:nodes), with no access policy', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      Type: 'EC2_LINUX', PrincipalArn: { 'Fn::GetAtt': [nodeRoleId, 'Arn'] }, AccessPolicies: [], ClusterName: { Ref: idOf('AWS::EKS::Cluster') },
    });
  });

  test('a cluster name that makes the node role name too long fails, naming clusterName', () => {
    const name = 'c'.repeat(40);
    expect(() => platform({ clusterName: name, karpenter: {} }))
      .toThrow(new RegExp(`Platform: invalid prop "clusterName" "${name}": makes Karpenter's node role name 65 characters long, IAM allows 64`));
  });
});

describe('Karpenter: the interruption queue and its rules', () => {
  test('named after the cluster, 300 s retention, SQS-managed encryption', () => {
    expect(resources[queueId].Properties).toEqual({ QueueName: 'spark-platform-karpenter', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
    expect(cluster.karpenterInterruptionQueue).toBeDefined();
  });

  test('its policy: TLS only; EventBridge may send from the Karpenter rules only, SQS as the template has it', () => {
    const statements: any[] = Object.values<any>(template.findResources('AWS::SQS::QueuePolicy'))[0].Properties.PolicyDocument.Statement;
    const queue = { 'Fn::GetAtt': [queueId, 'Arn'] };
    expect(statements).toContainEqual({ Action: 'sqs:*', Effect: 'Deny', Principal: { AWS: '*' }, Resource: queue, Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'sqs:SendMessage', Effect: 'Allow', Principal: { Service: 'sqs.amazonaws.com' }, Resource: queue }));
    const rules = Object.keys(template.findResources('AWS::Events::Rule'));
    const fromEvents = statements.filter(s => s.Principal.Service === 'events.amazonaws.com');
    expect(fromEvents.map(s => s.Condition.ArnEquals['aws:SourceArn']['Fn::GetAtt'][0]).sort()).toEqual(rules.sort());
    for (const s of fromEvents) expect(s.Action).toContain('sqs:SendMessage');
  });

  test('the template\'s five rules, each targeting the queue', () => {
    const patterns = Object.values<any>(template.findResources('AWS::Events::Rule')).map(r => {
      expect(r.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })]);
      return r.Properties.EventPattern;
    });
    expect(patterns).toEqual(expect.arrayContaining([
      { 'source': ['aws.health'], 'detail-type': ['AWS Health Event'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
    ]));
    expect(patterns).toHaveLength(5);
  });

  test('outputs with fixed names for pipelines', () => {
    const outputs = template.toJSON().Outputs;
    expect(outputs.KarpenterNodeRoleName.Value).toEqual({ Ref: nodeRoleId });
    expect(outputs.KarpenterInterruptionQueueName.Value).toEqual({ 'Fn::GetAtt': [queueId, 'QueueName'] });
    expect(outputs.RoleArnKubeSystemKarpenter.Value).toEqual({ 'Fn::GetAtt': [controllerRoleId, 'Arn'] });
  });
});

describe('Karpenter: discovery tags', () => {
  test('the private subnets the nodes use carry karpenter.sh/discovery=<cluster>; the public ones do not', () => {
    const subnets = Object.values<any>(template.findResources('AWS::EC2::Subnet'));
    const tagged = (s: any) => (s.Properties.Tags ?? []).some((t: any) => t.Key === 'karpenter.sh/discovery' && t.Value === CLUSTER);
    const isPrivate = (s: any) => (s.Properties.Tags ?? []).some((t: any) => t.Key === 'aws-cdk:subnet-type' && t.Value === 'Private');
    expect(subnets.filter(isPrivate)).toHaveLength(3);
    expect(subnets.filter(s => tagged(s) !== isPrivate(s))).toEqual([]);
  });

  test('the cluster security group, which EKS creates, is tagged through ec2:CreateTags, that tag only', () => {
    const tagger = Object.entries<any>(template.findResources('Custom::AWS')).find(([id]) => id.includes('DiscoveryTags'))![1].Properties;
    const sg = { 'Fn::GetAtt': [idOf('AWS::EKS::Cluster'), 'ClusterSecurityGroupId'] };
    // The call's JSON with the security group's id (a deploy-time value) as "SG".
    const call = (json: any) => JSON.parse(json['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'SG')).join(''));
    expect(JSON.stringify(tagger.Create)).toContain(JSON.stringify(sg));
    expect(call(tagger.Create)).toMatchObject({ service: 'EC2', action: 'createTags', parameters: { Resources: ['SG'], Tags: [{ Key: 'karpenter.sh/discovery', Value: CLUSTER }] } });
    expect(call(tagger.Delete)).toMatchObject({ action: 'deleteTags', parameters: { Resources: ['SG'] } });
    const policy = allStatements(template).find(s => s.resource.includes('DiscoveryTags'))!.statement;
    expect(policy.Condition).toEqual({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['karpenter.sh/discovery'] } });
    expect(JSON.stringify(policy.Resource)).toContain(JSON.stringify(sg));
  });

  test('a VPC of another app: its imported private subnets are tagged by the same call', () => {
    const stack = testStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123', availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-aaa', 'subnet-bbb'], publicSubnetIds: ['subnet-ppp', 'subnet-qqq'],
    });
    new aws.SparkEksCluster(stack, 'Platform', { clusterName: CLUSTER, systemPool, vpc, karpenter: {} });
    const t = Template.fromStack(stack);
    const tagger = Object.entries<any>(t.findResources('Custom::AWS')).find(([id]) => id.includes('DiscoveryTags'))![1].Properties;
    expect(JSON.stringify(tagger.Create)).toContain('\\"subnet-aaa\\",\\"subnet-bbb\\"');
    expect(JSON.stringify(tagger.Create)).not.toContain('subnet-ppp');
    const policy = allStatements(t).find(s => s.resource.includes('DiscoveryTags'))!.statement;
    expect(deployed(policy.Resource)).toEqual(expect.arrayContaining([`arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-aaa`, `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-bbb`]));
  });
});

describe('Karpenter: the controller\'s role', () => {
  test('named by the service account\'s naming, like every workload role; IRSA for kube-system/karpenter', () => {
    expect(controllerRoleName).toBe('spark-platform-eu-west-1-kube-system-karpenter');
    const role = cluster.roleFor(PlatformServiceAccounts.KARPENTER).role;
    expect(Stack.of(role).resolve((role.node.defaultChild as any).logicalId)).toBe(controllerRoleId);
    expect(resources[controllerRoleId].Properties.AssumeRolePolicyDocument.Statement)
      .toEqual([expect.objectContaining({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: expect.anything() } })]);
    const conditions = Object.entries<any>(template.findResources('Custom::AWSCDKCfnJson'))
      .filter(([id]) => id.startsWith(controllerRoleId.replace(/[0-9A-F]{8}$/, '')))
      .map(([, r]) => JSON.stringify(r.Properties.Value));
    expect(conditions.join()).toContain('system:serviceaccount:kube-system:karpenter');
    expect(conditions.join()).toContain('sts.amazonaws.com');
  });

  test('EKS Pod Identity when the service account says so, and the agent with it', () => {
    const serviceAccount = new ServiceAccountIdentity({ namespace: 'karpenter', name: 'karpenter', identity: WorkloadIdentity.POD_IDENTITY });
    const t = platform({ karpenter: { serviceAccount } }).template;
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'karpenter', ServiceAccount: 'karpenter' });
    t.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    t.hasResourceProperties('AWS::IAM::Role', { RoleName: serviceAccount.roleName(CLUSTER, REGION) });
  });

  test('the policy of the template, statement by statement (its Sids), and within IAM\'s size for a role\'s inline policies', () => {
    expect(controller.map(s => s.Sid)).toEqual([
      'AllowScopedEC2InstanceAccessActions', 'AllowScopedEC2LaunchTemplateAccessActions', 'AllowScopedEC2InstanceActionsWithTags',
      'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging', 'AllowScopedDeletion',
      'AllowPassingInstanceRole', 'AllowScopedInstanceProfileCreationActions', 'AllowScopedInstanceProfileTagActions', 'AllowScopedInstanceProfileActions',
      'AllowAPIServerEndpointDiscovery', 'AllowInterruptionQueueActions', 'AllowZonalShiftStatusReadOnly',
      'AllowRegionalReadActions', 'AllowSSMReadActions', 'AllowPricingReadActions', 'AllowUnscopedInstanceProfileListAction', 'AllowInstanceProfileReadActions',
    ]);
    // IAM counts a role's inline policies together, without whitespace: at most 10,240 characters.
    expect(JSON.stringify({ Version: '2012-10-17', Statement: controller }).length).toBeLessThan(10_240);
  });
});

// Each request as IAM authorizes it, by the policy simulator the S3 tests use (test/fixtures/iam-simulator.ts).
describe('Karpenter: what the controller may do, as IAM decides', () => {
  const ours = { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'spark-spot' };
  const tagging = { [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned', 'aws:RequestTag/eks:eks-cluster-name': CLUSTER, 'aws:RequestTag/karpenter.sh/nodepool': 'spark-spot' };
  const ec2Arn = (resource: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${resource}`;
  const allows = (request: AwsRequest) => simulatorAllows(controller, request);

  test('launch instances and fleets only tagged for this cluster and a node pool', async () => {
    for (const action of ['ec2:RunInstances', 'ec2:CreateFleet']) {
      const resource = ec2Arn(action === 'ec2:CreateFleet' ? 'fleet/fleet-1' : 'instance/i-0123');
      expect(await allows({ action, resource, context: tagging })).toBe(true);
      expect(await allows({ action, resource })).toBe(false);
      const other = { ...tagging, 'aws:RequestTag/eks:eks-cluster-name': 'other' };
      expect(await allows({ action, resource, context: other })).toBe(false);
      const { ['aws:RequestTag/karpenter.sh/nodepool']: _, ...withoutPool } = tagging;
      expect(await allows({ action, resource, context: withoutPool })).toBe(false);
    }
    // The subnets, security groups and AMIs a launch reads, as the template allows them.
    expect(await allows({ action: 'ec2:RunInstances', resource: ec2Arn('subnet/subnet-aaa') })).toBe(true);
    expect(await allows({ action: 'ec2:RunInstances', resource: `arn:aws:ec2:${REGION}::image/ami-0123` })).toBe(true);
    // Only its own launch templates.
    expect(await allows({ action: 'ec2:RunInstances', resource: ec2Arn('launch-template/lt-1'), context: ours })).toBe(true);
    expect(await allows({ action: 'ec2:RunInstances', resource: ec2Arn('launch-template/lt-1') })).toBe(false);
  });

  test('terminate and tag only instances of this cluster\'s node pools', async () => {
    const instance = ec2Arn('instance/i-0123');
    expect(await allows({ action: 'ec2:TerminateInstances', resource: instance, context: ours })).toBe(true);
    expect(await allows({ action: 'ec2:TerminateInstances', resource: instance })).toBe(false);
    expect(await allows({ action: 'ec2:TerminateInstances', resource: instance, context: { 'aws:ResourceTag/kubernetes.io/cluster/other': 'owned', 'aws:ResourceTag/karpenter.sh/nodepool': 'x' } })).toBe(false);
    // A node of a managed node group: this cluster's, but no node pool of Karpenter's.
    expect(await allows({ action: 'ec2:TerminateInstances', resource: instance, context: { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned' } })).toBe(false);
    expect(await allows({ action: 'ec2:CreateTags', resource: instance, context: { ...tagging, 'ec2:CreateAction': 'RunInstances' } })).toBe(true);
    expect(await allows({ action: 'ec2:CreateTags', resource: ec2Arn('volume/vol-1'), context: tagging })).toBe(false);
  });

  test('pass the node role to EC2, and nothing else', async () => {
    const pass = (resource: string, service: string) => allows({ action: 'iam:PassRole', resource, context: { 'iam:PassedToService': service } });
    expect(await pass(nodeRoleArn, 'ec2.amazonaws.com')).toBe(true);
    expect(await pass(`arn:aws:iam::${ACCOUNT}:role/${controllerRoleName}`, 'ec2.amazonaws.com')).toBe(false);
    expect(await pass(`arn:aws:iam::${ACCOUNT}:role/admin`, 'ec2.amazonaws.com')).toBe(false);
    expect(await pass(nodeRoleArn, 'lambda.amazonaws.com')).toBe(false);
  });

  test('manage only the instance profiles it tags for this cluster and region', async () => {
    const profile = `arn:aws:iam::${ACCOUNT}:instance-profile/spark-platform_123`;
    const create = {
      [`aws:RequestTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned',
      'aws:RequestTag/eks:eks-cluster-name': CLUSTER,
      'aws:RequestTag/topology.kubernetes.io/region': REGION,
      'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': 'default',
    };
    expect(await allows({ action: 'iam:CreateInstanceProfile', resource: profile, context: create })).toBe(true);
    expect(await allows({ action: 'iam:CreateInstanceProfile', resource: profile })).toBe(false);
    expect(await allows({ action: 'iam:CreateInstanceProfile', resource: profile, context: { ...create, 'aws:RequestTag/topology.kubernetes.io/region': 'us-east-1' } })).toBe(false);
    const mine = { [`aws:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: 'owned', 'aws:ResourceTag/topology.kubernetes.io/region': REGION, 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': 'default' };
    expect(await allows({ action: 'iam:AddRoleToInstanceProfile', resource: profile, context: mine })).toBe(true);
    expect(await allows({ action: 'iam:DeleteInstanceProfile', resource: profile })).toBe(false);
  });

  test('read its interruption queue, and no other; never send to it', async () => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueUrl']) {
      expect(await allows({ action, resource: queueArn })).toBe(true);
      expect(await allows({ action, resource: `arn:aws:sqs:${REGION}:${ACCOUNT}:other-queue` })).toBe(false);
    }
    expect(await allows({ action: 'sqs:SendMessage', resource: queueArn })).toBe(false);
    expect(await allows({ action: 'sqs:PurgeQueue', resource: queueArn })).toBe(false);
  });

  test('read AWS\'s public SSM parameters (AMI ids), prices, this cluster\'s endpoint; describe in this region only', async () => {
    // AWS's public parameters have no account in their ARN (arn:aws:ssm:<region>::parameter/aws/service/...), which
    // the simulator's service reference does not accept as a parameter ARN: the statement is read directly.
    expect(controller.find(s => s.Sid === 'AllowSSMReadActions')).toEqual({ Sid: 'AllowSSMReadActions', Effect: 'Allow', Action: 'ssm:GetParameter', Resource: `arn:aws:ssm:${REGION}::parameter/aws/service/*` });
    expect(await allows({ action: 'ssm:GetParameter', resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/prod/db-password` })).toBe(false);
    expect(await allows({ action: 'pricing:GetProducts', resource: '*' })).toBe(true);
    expect(await allows({ action: 'eks:DescribeCluster', resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}` })).toBe(true);
    expect(await allows({ action: 'eks:DescribeCluster', resource: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/other` })).toBe(false);
    expect(await allows({ action: 'ec2:DescribeInstances', resource: '*', context: { 'aws:RequestedRegion': REGION } })).toBe(true);
    expect(await allows({ action: 'ec2:DescribeInstances', resource: '*', context: { 'aws:RequestedRegion': 'us-east-1' } })).toBe(false);
  });

  test('nothing of the platform\'s data or IAM beyond that', async () => {
    expect(await allows({ action: 's3:GetObject', resource: 'arn:aws:s3:::acme-spark/raw/x' })).toBe(false);
    expect(await allows({ action: 'iam:CreateRole', resource: `arn:aws:iam::${ACCOUNT}:role/x` })).toBe(false);
    expect(await allows({ action: 'ec2:DeleteSecurityGroup', resource: ec2Arn('security-group/sg-1') })).toBe(false);
  });
});

describe('Karpenter: cdk-nag and CloudFormation validation', () => {
  test('a stack with karpenter synthesizes strictly with zero unacknowledged AwsSolutions findings', () => {
    const app = new App({
      context: {
        '@aws-cdk/aws-eks:useNativeOidcProvider': true, '@aws-cdk/core:validateAgainstDefaultRules': true, '@aws-cdk/core:strictCfnValidateErrors': true,
      },
    });
    const stack = new Stack(app, 'Test', { env: { account: ACCOUNT, region: REGION } });
    new aws.SparkEksCluster(stack, 'Platform', { clusterName: CLUSTER, systemPool, nodePools: [spotPool, baselinePool], karpenter: {} });
    Validations.of(app).addPlugins(new AwsSolutionsChecks());
    expect(app.synth().stacks.map(s => s.stackName)).toEqual(['Test']);
  });
});

// The example, switched on both sides with its one prop: every name one side renders is a resource the other makes.
describe('Karpenter: both sides of the example meet', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const awsApp = require('../../examples/aws').createApp({}, undefined, { karpenter: true });
  const exampleTemplate = Template.fromStack(awsApp.node.findChild('SparkPlatform') as Stack).toJSON().Resources;
  const ofType = (type: string) => Object.values<any>(exampleTemplate).filter(r => r.Type === type).map(r => r.Properties);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kubernetes = require('../../examples/main').createApp({ karpenter: true }).charts.flatMap((c: any) => c.toJson());

  test('the node role, the queue and the controller\'s role the Kubernetes side names are the ones the AWS side creates', () => {
    const nodeClasses = kubernetes.filter((d: any) => d.kind === 'EC2NodeClass');
    const roleNames = ofType('AWS::IAM::Role').map(p => p.RoleName);
    for (const nodeClass of nodeClasses) expect(roleNames).toContain(nodeClass.spec.role);
    const values = kubernetes.find((d: any) => d.kind === 'Application' && d.metadata.name === 'karpenter').spec.source.helm.valuesObject;
    expect(ofType('AWS::SQS::Queue').map(p => p.QueueName)).toEqual([values.settings.interruptionQueue]);
    const controllerRole = values.serviceAccount.annotations['eks.amazonaws.com/role-arn'].split('/').pop();
    expect(roleNames).toContain(controllerRole);
  });

  test('only the system pool keeps a node group (its minSize); Karpenter launches every node of the executor pools', () => {
    expect(ofType('AWS::EKS::Nodegroup').map(p => [p.NodegroupName, p.ScalingConfig])).toEqual([['system', { MinSize: 2, MaxSize: 2, DesiredSize: 2 }]]);
    const limits = Object.fromEntries(kubernetes.filter((d: any) => d.kind === 'NodePool').map((d: any) => [d.metadata.name, d.spec.limits.nodes]));
    expect(limits).toEqual({ 'system': '4', 'spark-spot': '50', 'spark-on-demand': '20' });
  });

  test('the subnets carry the discovery tag the EC2NodeClasses select by', () => {
    const selector = kubernetes.find((d: any) => d.kind === 'EC2NodeClass').spec.subnetSelectorTerms[0].tags;
    const tagged = ofType('AWS::EC2::Subnet').filter(p => (p.Tags ?? []).some((t: any) => selector[t.Key] === t.Value));
    expect(tagged.length).toBe(3);
  });
});
