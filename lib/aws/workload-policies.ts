import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { S3Location } from '../storage';
import { invalidProp } from '../validation';

// Spark's event-log writers rename the files they are still writing ("<app>.inprogress", and
// "eventlog_v2_<app>/appstatus_<app>.inprogress" of rolling logs) when the application ends (EventLogFileWriters.scala,
// EventLogFileWriter.IN_PROGRESS); S3A renames by copy and delete.
const IN_PROGRESS_SUFFIX = '.inprogress';

/**
 * The IAM permissions of the platform's workloads, least privilege: no statement grants a write action on `*`,
 * object permissions name a key prefix, and `s3:ListBucket` is conditioned on the prefixes a workload may list
 * (never the empty prefix, never `*`).
 */
export class WorkloadPolicies {
  /**
   * The cluster-autoscaler: read the Auto Scaling groups, launch templates, instance types and managed node
   * groups; change the size of, and terminate instances in, only the groups EKS tagged for this cluster
   * (`k8s.io/cluster-autoscaler/<cluster>=owned` and `k8s.io/cluster-autoscaler/enabled=true`).
   */
  public static clusterAutoscaler(clusterName: string): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        sid: 'DiscoverNodeGroups',
        actions: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        // These Describe actions support no resource-level permissions.
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadManagedNodeGroups',
        actions: ['eks:DescribeNodegroup'],
        resources: [`arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:nodegroup/${clusterName}/*/*`],
      }),
      new iam.PolicyStatement({
        sid: 'ScaleThisClustersNodeGroups',
        actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        resources: [`arn:${Aws.PARTITION}:autoscaling:${Aws.REGION}:${Aws.ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/*`],
        conditions: {
          StringEquals: {
            [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned',
            'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true',
          },
        },
      }),
    ];
  }

  /**
   * Karpenter's controller (v1.14.1): the statements of the controller policies of its getting-started template
   * (aws/karpenter-provider-aws v1.14.1, `website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml`:
   * NodeLifecyclePolicy, IAMIntegrationPolicy, EKSIntegrationPolicy, InterruptionPolicy, ZonalShiftPolicy,
   * ResourceDiscoveryPolicy), scoped as it scopes them. It launches instances and fleets only tagged for this cluster
   * (`kubernetes.io/cluster/<cluster>=owned`, `eks:eks-cluster-name=<cluster>`, a `karpenter.sh/nodepool`), tags,
   * terminates and deletes only what carries those tags, passes only the node role to EC2, manages only the instance
   * profiles it tagged for this cluster and region, reads only the interruption queue, the public SSM parameters
   * (`/aws/service/*`: AMI ids), prices, and this cluster's endpoint and zonal shift status.
   *
   * @param clusterName the EKS cluster's name (a tag key names it: not a deploy-time token)
   * @param nodeRoleArn the ARN of the role of the nodes Karpenter launches
   * @param interruptionQueueArn the ARN of the interruption queue
   */
  public static karpenterController(clusterName: string, nodeRoleArn: string, interruptionQueueArn: string): iam.PolicyStatement[] {
    const ec2 = (resource: string, account = '*') => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${account}:${resource}`;
    const taggedTypes = ['fleet/*', 'instance/*', 'volume/*', 'network-interface/*', 'launch-template/*', 'spot-instances-request/*'].map(r => ec2(r));
    const instanceProfiles = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:instance-profile/*`;
    const clusterArn = `arn:${Aws.PARTITION}:eks:${Aws.REGION}:${Aws.ACCOUNT_ID}:cluster/${clusterName}`;
    const owned = (kind: 'ResourceTag' | 'RequestTag') => ({ [`aws:${kind}/kubernetes.io/cluster/${clusterName}`]: 'owned' });
    const requestTags = { ...owned('RequestTag'), 'aws:RequestTag/eks:eks-cluster-name': clusterName };
    const anyNodePool = (kind: 'ResourceTag' | 'RequestTag') => ({ [`aws:${kind}/karpenter.sh/nodepool`]: '*' });
    const anyNodeClass = (kind: 'ResourceTag' | 'RequestTag') => ({ [`aws:${kind}/karpenter.k8s.aws/ec2nodeclass`]: '*' });
    const region = (kind: 'ResourceTag' | 'RequestTag') => ({ [`aws:${kind}/topology.kubernetes.io/region`]: Aws.REGION });
    return [
      // NodeLifecyclePolicy
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [ec2('image/*', ''), ec2('snapshot/*', ''), ec2('security-group/*'), ec2('subnet/*'), ec2('capacity-reservation/*'), ec2('placement-group/*')],
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [ec2('launch-template/*')],
        conditions: { StringEquals: owned('ResourceTag'), StringLike: anyNodePool('ResourceTag') },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: taggedTypes,
        conditions: { StringEquals: requestTags, StringLike: anyNodePool('RequestTag') },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceCreationTagging',
        actions: ['ec2:CreateTags'],
        resources: taggedTypes,
        conditions: {
          StringEquals: { ...requestTags, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
          StringLike: anyNodePool('RequestTag'),
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedResourceTagging',
        actions: ['ec2:CreateTags'],
        resources: [ec2('instance/*')],
        conditions: {
          'StringEquals': owned('ResourceTag'),
          'StringLike': anyNodePool('ResourceTag'),
          'StringEqualsIfExists': { 'aws:RequestTag/eks:eks-cluster-name': clusterName },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedDeletion',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [ec2('instance/*'), ec2('launch-template/*')],
        conditions: { StringEquals: owned('ResourceTag'), StringLike: anyNodePool('ResourceTag') },
      }),
      // IAMIntegrationPolicy
      new iam.PolicyStatement({
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: [nodeRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileCreationActions',
        actions: ['iam:CreateInstanceProfile'],
        resources: [instanceProfiles],
        conditions: { StringEquals: { ...requestTags, ...region('RequestTag') }, StringLike: anyNodeClass('RequestTag') },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileTagActions',
        actions: ['iam:TagInstanceProfile'],
        resources: [instanceProfiles],
        conditions: {
          StringEquals: { ...owned('ResourceTag'), ...region('ResourceTag'), ...requestTags, ...region('RequestTag') },
          StringLike: { ...anyNodeClass('ResourceTag'), ...anyNodeClass('RequestTag') },
        },
      }),
      new iam.PolicyStatement({
        sid: 'AllowScopedInstanceProfileActions',
        actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        resources: [instanceProfiles],
        conditions: { StringEquals: { ...owned('ResourceTag'), ...region('ResourceTag') }, StringLike: anyNodeClass('ResourceTag') },
      }),
      // EKSIntegrationPolicy
      new iam.PolicyStatement({ sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [clusterArn] }),
      // InterruptionPolicy
      new iam.PolicyStatement({
        sid: 'AllowInterruptionQueueActions',
        actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
        resources: [interruptionQueueArn],
      }),
      // ZonalShiftPolicy
      new iam.PolicyStatement({
        sid: 'AllowZonalShiftStatusReadOnly',
        actions: ['arc-zonal-shift:GetManagedResource'],
        resources: ['*'],
        conditions: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': clusterArn } },
      }),
      // ResourceDiscoveryPolicy
      new iam.PolicyStatement({
        sid: 'AllowRegionalReadActions',
        actions: [
          'ec2:DescribeCapacityReservations',
          'ec2:DescribeImages',
          'ec2:DescribeInstances',
          'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplates',
          'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeSpotPriceHistory',
          'ec2:DescribeSubnets',
        ],
        // These Describe actions support no resource-level permissions.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:RequestedRegion': Aws.REGION } },
      }),
      new iam.PolicyStatement({
        sid: 'AllowSSMReadActions',
        actions: ['ssm:GetParameter'],
        resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}::parameter/aws/service/*`],
      }),
      new iam.PolicyStatement({ sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'AllowUnscopedInstanceProfileListAction', actions: ['iam:ListInstanceProfiles'], resources: ['*'] }),
      new iam.PolicyStatement({ sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [instanceProfiles] }),
    ];
  }

  /**
   * Read below `location`: list the prefix and everything below it, list each parent "directory" one level
   * deep (exact prefixes with the '/' delimiter: the names directly under a parent, never what is inside
   * them), read the objects below the prefix and probe the prefix itself (S3A's HEAD on the path).
   *
   * The bare prefix (`spark-events`, no '/') is listable too: S3A's `getFileStatus` first HEADs the bare key
   * and fails on anything but 404 (S3AFileSystem.s3GetFileStatus), and S3 answers a HEAD of a missing key with
   * 404 only to a caller that may list that key, 403 otherwise (S3 API reference, HeadObject "Permissions").
   * Spark's event-log writer and the history server probe their directory this way at every start.
   */
  public static s3Read(location: S3Location): iam.PolicyStatement[] {
    const prefix = checkedPrefix(location);
    const parents = parentPrefixes(prefix);
    return [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [location.bucketArn],
        conditions: { StringLike: { 's3:prefix': [prefix, `${prefix}/`, `${prefix}/*`] } },
      }),
      ...(parents.length === 0 ? [] : [new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [location.bucketArn],
        conditions: { StringEquals: { 's3:prefix': parents, 's3:delimiter': '/' } },
      })]),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`${location.bucketArn}/${prefix}`, location.objectsArn] }),
    ];
  }

  /**
   * Read and write below `location`: S3A writes with multipart uploads, and renames (output committers) by
   * copy and delete.
   */
  public static s3ReadWrite(location: S3Location): iam.PolicyStatement[] {
    return [
      ...WorkloadPolicies.s3Read(location),
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [location.objectsArn],
      }),
    ];
  }

  /**
   * A Spark job writing its event log to the shared event-log prefix: read it, write new objects below it, and
   * delete only files still in progress (`*.inprogress`, which Spark renames when the application ends): a job
   * never deletes a finished event log, its own or another team's. Only the history server's cleaner does.
   */
  public static eventLogWriter(eventLogs: S3Location): iam.PolicyStatement[] {
    return [
      ...WorkloadPolicies.s3Read(eventLogs),
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [eventLogs.objectsArn],
      }),
      new iam.PolicyStatement({
        actions: ['s3:DeleteObject'],
        resources: [`${eventLogs.objectsArn}${IN_PROGRESS_SUFFIX}`],
      }),
    ];
  }

  /** The Spark History Server: read the event logs; delete them too when its cleaner is on. */
  public static historyServer(eventLogs: S3Location, cleaner: boolean): iam.PolicyStatement[] {
    return [
      ...WorkloadPolicies.s3Read(eventLogs),
      ...(cleaner ? [new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [eventLogs.objectsArn] })] : []),
    ];
  }

  /** The object pattern (below the bucket) a team may delete in the event-log prefix: `<prefix>/*.inprogress`. */
  public static inProgressEventLogs(eventLogs: S3Location): string {
    return `${checkedPrefix(eventLogs)}/*${IN_PROGRESS_SUFFIX}`;
  }

  private constructor() {}
}

// A policy never covers the whole bucket.
function checkedPrefix(location: S3Location): string {
  if (!location.prefix) {
    throw invalidProp('WorkloadPolicies', 'location.prefix', location.prefix,
      'must not be empty: a workload is granted a key prefix of the bucket (e.g. "curated/sessions"), never the whole bucket');
  }
  return location.prefix;
}

// The "directories" above a prefix as S3A lists them: Hadoop's S3AFileSystem.s3GetFileStatus lists
// `<key>/` with the '/' delimiter (never the bare key, never the root for a status probe), and MkdirOperation
// walks the parents up to the first that exists. "a/b/c" -> ["a/", "a/b/"].
function parentPrefixes(prefix: string): string[] {
  const parts = prefix.split('/');
  return parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}
