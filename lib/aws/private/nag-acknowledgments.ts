import { CfnCondition, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct } from 'constructs';
import { KARPENTER_NODE_POLICIES, KarpenterInfrastructure } from './karpenter-infrastructure';
import { SparkPlatformBucket } from '../platform-bucket';
import { ServiceAccountRole } from '../service-account-role';

// cdk-nag (AwsSolutions) findings on what the library builds, each acknowledged where it is built with the
// reason it is right. A finding's id must match exactly, so ids that name a resource carry its logical id.
// Constructs aws-cdk-lib builds for us are found through public properties and types, never internal ids.

/** Acknowledges one AwsSolutions finding on a construct and everything below it. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/** The `<LogicalId>` form cdk-nag uses for a reference to a resource of the same stack. */
export function nagRef(resource: IConstruct, attribute?: string): string {
  const cfn = (resource.node.defaultChild ?? resource) as CfnResource;
  const logicalId = Stack.of(resource).resolve(Stack.of(resource).getLogicalId(cfn));
  return attribute ? `<${logicalId}.${attribute}>` : `<${logicalId}>`;
}

/** The managed policies EKS requires on its own roles. */
export const EKS_MANAGED_POLICIES = {
  cluster: ['AmazonEKSClusterPolicy'],
  nodes: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly'],
};

/** The cdk-nag id of an AWS managed policy finding. */
export function managedPolicyFinding(policy: string, serviceRole = false): string {
  return `IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${serviceRole ? 'service-role/' : ''}${policy}]`;
}

/** What `SparkEksCluster` built that cdk-nag reports on. */
export interface PlatformParts {
  readonly clusterName: string;
  readonly cluster: eks.Cluster;
  readonly nodegroups: eks.Nodegroup[];
  readonly bucket: SparkPlatformBucket;
  /** Each workload role with the object patterns (below the bucket, e.g. "raw/*") its object permissions name. */
  readonly rolePrefixes: Map<ServiceAccountRole, Set<string>>;
  /** The cluster-autoscaler's role: none with Karpenter. */
  readonly clusterAutoscalerRole?: ServiceAccountRole;
  /** Karpenter's parts, with `karpenter`. */
  readonly karpenter?: { readonly infrastructure: KarpenterInfrastructure; readonly controllerRole: ServiceAccountRole };
}

/** Acknowledges the AwsSolutions findings on what `SparkEksCluster` builds, each with why it is right. */
export function acknowledgePlatformFindings(parts: PlatformParts): void {
  for (const policy of EKS_MANAGED_POLICIES.cluster) {
    acknowledge(parts.cluster, managedPolicyFinding(policy), `EKS requires ${policy} on the cluster role; AWS maintains it with the service.`);
  }
  for (const nodegroup of parts.nodegroups) {
    for (const policy of EKS_MANAGED_POLICIES.nodes) {
      acknowledge(nodegroup, managedPolicyFinding(policy), `EKS worker nodes require ${policy} (kubelet, VPC CNI, image pulls); AWS maintains it with the service.`);
    }
  }
  acknowledgeKubectlProvider(parts.cluster);
  // aws-eks-v2 renders the envelope encryption of Secrets as EncryptionConfig [{ Provider, Resources: ['secrets'] }]:
  // the CloudFormation schema marks Resources deprecated, while the EKS API (EncryptionConfig.resources) still takes
  // "secrets", the only value, and aws-cdk-lib gives no way to leave it out.
  Validations.of(parts.cluster).acknowledge({
    id: 'CloudFormation-Validate::W9009',
    reason: 'aws-eks-v2 renders EncryptionConfig Resources ["secrets"] for Kubernetes Secrets envelope encryption (the EKS API\'s only value).',
  });
  // The singleton Lambda of AwsCustomResource (the event-log prefix), reached through its public grantPrincipal.
  const markerRole = parts.bucket.eventLogPrefixMarker.grantPrincipal;
  if (markerRole instanceof Construct) {
    acknowledge(markerRole, managedPolicyFinding('AWSLambdaBasicExecutionRole', true), 'Lambda of aws-cdk-lib\'s AwsCustomResource (creates the event-log prefix): it only needs to write its logs.');
  }
  if (parts.bucket.bucket.node.defaultChild) {
    acknowledge(parts.bucket, 'S1', 'Server access logging is opt-in (bucket.serverAccessLogsBucket): a second bucket per platform is a cost the user decides; CloudTrail data events are the alternative.');
  }
  // Object-level permissions name "<prefix>/*" (or "<prefix>/*.inprogress", the event logs a job may delete): the
  // wildcard is below one key prefix, never the bucket or the account.
  const bucket = parts.bucket.bucket;
  const bucketRef = bucket.node.defaultChild ? nagRef(bucket) : bucket.bucketName;
  for (const [role, patterns] of parts.rolePrefixes) {
    for (const pattern of patterns) {
      acknowledge(role, `IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketRef}/${pattern}]`,
        'Object permissions are scoped to one key prefix of the platform bucket ("<prefix>/*", or its in-progress event logs "<prefix>/*.inprogress"), never the bucket or the account.');
    }
  }
  if (parts.karpenter) acknowledgeKarpenter(parts.clusterName, parts.karpenter.infrastructure, parts.karpenter.controllerRole);
  const autoscaler = parts.clusterAutoscalerRole;
  if (!autoscaler) return;
  acknowledge(autoscaler, 'IAM5[Resource::*]', 'The autoscaling and ec2 Describe actions of the cluster-autoscaler support no resource-level permissions; they are read-only.');
  acknowledge(autoscaler, `IAM5[Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:nodegroup/${parts.clusterName}/*/*]`,
    'eks:DescribeNodegroup on this cluster\'s node groups only (the autoscaler reads their labels and taints to scale from zero).');
  acknowledge(autoscaler, 'IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
    `Scaling actions are limited by the conditions aws:ResourceTag/k8s.io/cluster-autoscaler/${parts.clusterName}=owned and `
    + 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled=true to this cluster\'s node groups.');
}

// aws-eks-v2's kubectl provider (`cluster.kubectlProvider`): a Lambda in the VPC that runs kubectl and helm.
function acknowledgeKubectlProvider(cluster: eks.Cluster): void {
  const kubectl = cluster.kubectlProvider;
  if (!(kubectl instanceof Construct)) return;
  const stack = Stack.of(cluster);
  const lambdaReason = 'Lambda of aws-eks-v2\'s kubectl provider (built by aws-cdk-lib): AWS managed basic/VPC execution policies are what it needs to log and run in the VPC.';
  for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) acknowledge(kubectl, managedPolicyFinding(policy, true), lambdaReason);
  acknowledge(kubectl, managedPolicyFinding('AmazonEC2ContainerRegistryReadOnly'), 'The kubectl provider pulls Helm charts from ECR (aws-eks-v2 design).');
  const ecrPublic = kubectl.node.findAll().find(c => c instanceof CfnCondition);
  if (ecrPublic) {
    const condition = stack.resolve(stack.getLogicalId(ecrPublic as CfnCondition));
    acknowledge(kubectl, `IAM4[Policy::{"Fn::If":["${condition}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},`
      + '":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
    'The kubectl provider pulls Helm charts from ECR Public in regions that have it (aws-eks-v2 design).');
  }
  acknowledge(kubectl, 'L1', 'aws-eks-v2 picks the kubectl provider\'s Python runtime (the latest it supports); the library does not override it.');
  // The provider framework invokes the handler's versions and aliases: the handler is the provider's Function
  // that is not the framework's own.
  for (const handler of kubectl.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function)) {
    acknowledge(kubectl, `IAM5[Resource::${nagRef(handler, 'Arn')}:*]`, 'The provider framework invokes the kubectl handler\'s versions and aliases (aws-cdk-lib custom resource provider).');
  }
}

// Karpenter's node role, queue and controller role (aws/karpenter-provider-aws v1.14.1, the getting-started
// cloudformation.yaml): the wildcards are those of upstream's controller policy, each limited by its conditions.
function acknowledgeKarpenter(clusterName: string, infrastructure: KarpenterInfrastructure, controller: ServiceAccountRole): void {
  for (const policy of KARPENTER_NODE_POLICIES) {
    acknowledge(infrastructure.nodeRole, managedPolicyFinding(policy),
      `The nodes Karpenter launches need ${policy} (kubelet, VPC CNI, image pulls, SSM), as Karpenter's getting-started template gives them; AWS maintains it.`);
  }
  acknowledge(infrastructure.queue, 'SQS3', 'Karpenter\'s interruption queue: messages live 300 s and Karpenter deletes each one it handles; a dead-letter queue would keep stale interruptions nobody reads.');
  const ec2 = (resource: string, account = '*') => `arn:<AWS::Partition>:ec2:<AWS::Region>:${account}:${resource}`;
  const reasons: Array<[string[], string]> = [
    [[ec2('image/*', ''), ec2('snapshot/*', ''), ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*'), ec2('placement-group/*')],
      'RunInstances and CreateFleet read these (AMIs, snapshots, subnets, security groups) when launching: the instances, fleets and launch templates they create must carry this cluster\'s tags (AllowScopedEC2InstanceActionsWithTags).'],
    [[ec2('fleet/*'), ec2('instance/*'), ec2('volume/*'), ec2('network-interface/*'), ec2('launch-template/*'), ec2('spot-instances-request/*')],
      `Launch, tag, terminate and delete only with kubernetes.io/cluster/${clusterName}=owned and a karpenter.sh/nodepool tag (requested or present), as Karpenter's controller policy conditions them.`],
    [['arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*'],
      `Instance profiles Karpenter creates for its EC2NodeClasses: created, tagged and changed only with kubernetes.io/cluster/${clusterName}=owned, this region and a karpenter.k8s.aws/ec2nodeclass tag; GetInstanceProfile reads.`],
    [['arn:<AWS::Partition>:ssm:<AWS::Region>::parameter/aws/service/*'], 'ssm:GetParameter on AWS\'s public parameters only (the EKS optimized AMI ids).'],
    [['*'], 'Read-only actions without resource-level permissions: ec2 Describe* (limited to this region), pricing:GetProducts, iam:ListInstanceProfiles, arc-zonal-shift:GetManagedResource (limited to this cluster).'],
  ];
  for (const [resources, reason] of reasons) {
    for (const resource of resources) acknowledge(controller, `IAM5[Resource::${resource}]`, reason);
  }
}
