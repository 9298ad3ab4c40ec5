import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { isUnresolvedToken } from './tokens';

// Checks of the values the AWS side hands over. Each accepts an unresolved AWS CDK token (the same-app path,
// `cluster.addCdk8sChart()`) and judges a literal.

const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/;
// Region names as AWS's partitions describe them (aws-sdk-js-v3 util-endpoints partitions.json regionRegex): two
// letters, or eusc, then words (gov, iso, de, a direction), then a number.
const AWS_REGION = /^([a-z]{2}|eusc)(-[a-z]+)+-[0-9]+$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** Throws unless `value` is an IAM role ARN (or a token). */
export function checkRoleArn(where: IConstruct | string, prop: string, value: string): string {
  if (!isUnresolvedToken(value) && (typeof value !== 'string' || !ROLE_ARN.test(value))) {
    throw invalidProp(where, prop, value, 'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>');
  }
  return value;
}

/** Throws unless `value` is an AWS region such as "eu-west-1" (or a token). */
export function checkAwsRegion(where: IConstruct | string, prop: string, value: string): string {
  if (!isUnresolvedToken(value) && (typeof value !== 'string' || !AWS_REGION.test(value))) {
    throw invalidProp(where, prop, value, 'must be an AWS region such as "eu-west-1"');
  }
  return value;
}

/** Why `value` is no EKS cluster name (1 to 100 letters, digits, '-' and '_', starting alphanumeric), or undefined. */
export function eksClusterNameProblem(value: string): string | undefined {
  return typeof value === 'string' && EKS_CLUSTER_NAME.test(value) ? undefined
    : 'must be 1 to 100 characters of letters, digits, \'-\' and \'_\', starting with a letter or digit (EKS\'s rule)';
}

/** Throws unless `value` is an EKS cluster name (or a token). */
export function checkEksClusterName(where: IConstruct | string, prop: string, value: string): string {
  const problem = isUnresolvedToken(value) ? undefined : eksClusterNameProblem(value);
  if (problem) throw invalidProp(where, prop, value, problem);
  return value;
}

/** The AWS partitions (the `aws:` ARN prefix of each). */
export const AWS_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** Throws unless `value` is an AWS partition such as "aws" or "aws-cn" (or a token, e.g. `Aws.PARTITION`). */
export function checkAwsPartition(where: IConstruct | string, prop: string, value: string): string {
  if (!isUnresolvedToken(value) && !AWS_PARTITIONS.includes(value)) {
    throw invalidProp(where, prop, value, `must be an AWS partition: ${AWS_PARTITIONS.join(', ')} (or a token such as Aws.PARTITION)`);
  }
  return value;
}

// Each partition's regions by prefix, the standard partition ("aws") holding the rest (aws-sdk-js-v3
// packages/util-endpoints/src/lib/aws/partitions.json regionRegex; test/aws-values.test.ts holds it against
// aws-cdk-lib's region facts for every region they know).
const PARTITION_PREFIXES: Array<[string, string]> = [
  ['cn-', 'aws-cn'], ['us-gov-', 'aws-us-gov'], ['us-iso-', 'aws-iso'], ['us-isob-', 'aws-iso-b'], ['eu-isoe-', 'aws-iso-e'],
  ['us-isof-', 'aws-iso-f'], ['eusc-', 'aws-eusc'],
];

/** The partition of a region (`cn-north-1` -> `aws-cn`). */
export function partitionOfRegion(region: string): string {
  return PARTITION_PREFIXES.find(([prefix]) => region.startsWith(prefix))?.[1] ?? 'aws';
}
