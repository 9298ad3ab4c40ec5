import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

// cdk-nag (AwsSolutions) findings on what the library builds, each acknowledged where it is built with the
// reason it is right. A finding's id must match exactly, so ids that name a resource carry its logical id.

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
