import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { S3Location } from '../storage';

/**
 * The IAM permissions of the platform's workloads, least privilege: no statement grants a write action on `*`.
 */
export class WorkloadPolicies {
  /**
   * The cluster-autoscaler: read the Auto Scaling groups, launch templates, instance types and managed node
   * groups; change the size of, and terminate instances in, only the groups tagged for this cluster.
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
        conditions: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
      }),
    ];
  }

  /** List the bucket below `location` (and the parent "directories" S3A checks), read its objects. */
  public static s3Read(location: S3Location): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [location.bucketArn],
        conditions: { StringLike: { 's3:prefix': listablePrefixes(location) } },
      }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [location.objectsArn] }),
    ];
  }

  /**
   * Read and write below `location`: S3A writes with multipart uploads, and renames (event logs are renamed
   * from `.inprogress` when the job ends) by copy and delete.
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

  /** The Spark History Server: read the event logs; delete them too when its cleaner is on. */
  public static historyServer(eventLogs: S3Location, cleaner: boolean): iam.PolicyStatement[] {
    return [
      ...WorkloadPolicies.s3Read(eventLogs),
      ...(cleaner ? [new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: [eventLogs.objectsArn] })] : []),
    ];
  }

  private constructor() {}
}

// The prefix itself, everything below it, and each parent "directory" (S3A lists parents to check they
// are not files).
function listablePrefixes(location: S3Location): string[] {
  if (!location.prefix) return ['*'];
  const parts = location.prefix.split('/');
  const parents = parts.slice(0, -1).flatMap((_, i) => {
    const parent = parts.slice(0, i + 1).join('/');
    return [parent, `${parent}/`];
  });
  return ['', ...parents, location.prefix, `${location.prefix}/*`];
}
