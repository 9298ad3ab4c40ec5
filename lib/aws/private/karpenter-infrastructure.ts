import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { KarpenterNames } from '../../bindings';

/**
 * The AWS managed policies of the nodes Karpenter launches, as its getting-started template gives them
 * (aws/karpenter-provider-aws v1.14.1 `website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml`,
 * KarpenterNodeRole): ECR pull-only, not read-only.
 */
export const KARPENTER_NODE_POLICIES = [
  'AmazonEKS_CNI_Policy',
  'AmazonEKSWorkerNodePolicy',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];

/**
 * The EventBridge rules that feed the interruption queue, by construct id, as the same template has them
 * (ScheduledChangeRule, SpotInterruptionRule, RebalanceRule, InstanceStateChangeRule, CapacityReservationInterruptionRule).
 */
export const KARPENTER_INTERRUPTION_EVENTS: { [id: string]: events.EventPattern } = {
  ScheduledChangeRule: { source: ['aws.health'], detailType: ['AWS Health Event'] },
  SpotInterruptionRule: { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] },
  RebalanceRule: { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] },
  InstanceStateChangeRule: { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] },
  CapacityReservationInterruptionRule: { source: ['aws.ec2'], detailType: ['EC2 Capacity Reservation Instance Interruption Warning'] },
};

/** What `KarpenterInfrastructure` needs of the cluster. */
export interface KarpenterInfrastructureProps {
  readonly cluster: eks.Cluster;
  readonly clusterName: string;
  /** The node role's name (`KarpenterNames.nodeRoleName`), checked by the caller. */
  readonly nodeRoleName: string;
  /** The interruption queue's name (`KarpenterNames.interruptionQueueName`), checked by the caller. */
  readonly queueName: string;
  /** The subnets the cluster's nodes use. */
  readonly subnets: ec2.ISubnet[];
}

/**
 * What Karpenter needs in the account besides its controller's role: the role of the nodes it launches (with the
 * EKS access entry that lets them join), the interruption queue and the EventBridge rules that feed it, and the
 * discovery tag on the nodes' subnets and on the cluster security group (an `EC2NodeClass` selects both by it).
 */
export class KarpenterInfrastructure extends Construct {
  public readonly nodeRole: iam.Role;
  public readonly accessEntry: eks.AccessEntry;
  public readonly queue: sqs.Queue;
  public readonly rules: events.Rule[];
  /** The custom resource that tags the resources EKS or another app created (the cluster security group, imported subnets). */
  public readonly discoveryTags: cr.AwsCustomResource;

  public constructor(scope: Construct, id: string, props: KarpenterInfrastructureProps) {
    super(scope, id);
    this.nodeRole = new iam.Role(this, 'NodeRole', {
      roleName: props.nodeRoleName,
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `The nodes Karpenter launches for EKS cluster ${props.clusterName}`,
      managedPolicies: KARPENTER_NODE_POLICIES.map(name => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    // Nodes with this role join as system:node:<private DNS name> in system:nodes (EKS adds both for EC2_LINUX):
    // the access-entry form of the template's iamIdentityMappings.
    this.accessEntry = new eks.AccessEntry(this, 'NodeAccessEntry', {
      cluster: props.cluster,
      principal: this.nodeRole.roleArn,
      accessEntryType: eks.AccessEntryType.EC2_LINUX,
      accessPolicies: [],
    });
    this.queue = this.newInterruptionQueue(props.queueName);
    this.rules = Object.entries(KARPENTER_INTERRUPTION_EVENTS).map(([ruleId, eventPattern]) =>
      new events.Rule(this, ruleId, { eventPattern, targets: [new targets.SqsQueue(this.queue)] }));
    this.discoveryTags = this.tagForDiscovery(props);
  }

  private newInterruptionQueue(queueName: string): sqs.Queue {
    const queue = new sqs.Queue(this, 'InterruptionQueue', {
      queueName,
      retentionPeriod: Duration.seconds(300),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    // The template's queue policy lets events.amazonaws.com (and sqs.amazonaws.com) send messages. Each rule's target
    // grants events.amazonaws.com for that rule only (aws:SourceArn), so no other account's rule can feed Karpenter
    // forged interruptions; sqs.amazonaws.com as the template has it.
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'SqsSendMessage',
      principals: [new iam.ServicePrincipal('sqs.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
    }));
    return queue;
  }

  // Subnets of this app are tagged as resources; EKS creates the cluster security group (aws-eks-v2 imports it by
  // id, and CDK tags do not reach imported resources), and imported subnets belong to another app: an
  // ec2:CreateTags call tags those.
  private tagForDiscovery(props: KarpenterInfrastructureProps): cr.AwsCustomResource {
    const owned = props.subnets.filter(subnet => subnet.node.defaultChild instanceof ec2.CfnSubnet);
    for (const subnet of owned) Tags.of(subnet).add(KarpenterNames.DISCOVERY_TAG, props.clusterName);
    const imported = props.subnets.filter(subnet => !owned.includes(subnet)).map(subnet => subnet.subnetId);
    const resources = [props.cluster.clusterSecurityGroupId, ...imported];
    const stack = Stack.of(this);
    const arnOf = (resourceId: string, type: string) => stack.formatArn({ service: 'ec2', resource: type, resourceName: resourceId });
    const call = (action: 'createTags' | 'deleteTags'): cr.AwsSdkCall => ({
      service: 'EC2',
      action,
      parameters: { Resources: resources, Tags: [{ Key: KarpenterNames.DISCOVERY_TAG, Value: props.clusterName }] },
      physicalResourceId: cr.PhysicalResourceId.of(`${KarpenterNames.DISCOVERY_TAG}=${props.clusterName}`),
    });
    return new cr.AwsCustomResource(this, 'DiscoveryTags', {
      onCreate: call('createTags'),
      onUpdate: call('createTags'),
      onDelete: call('deleteTags'),
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['ec2:CreateTags', 'ec2:DeleteTags'],
        resources: [arnOf(props.cluster.clusterSecurityGroupId, 'security-group'), ...imported.map(subnet => arnOf(subnet, 'subnet'))],
        // The discovery tag only.
        conditions: { 'ForAllValues:StringEquals': { 'aws:TagKeys': [KarpenterNames.DISCOVERY_TAG] } },
      })]),
      installLatestAwsSdk: false,
    });
  }
}
