import { checkArgs, isUnresolvedToken } from '../validation';
import { LONGEST_REGION, MAX_QUEUE_NAME, MAX_ROLE_NAME } from './private/aws-name-limits';

/**
 * The names Karpenter's AWS resources take, derived from the cluster's name (and region) so that the AWS side
 * creates them and the Kubernetes side refers to them without reading a stack output: the nodes' IAM role (an
 * `EC2NodeClass`'s `role`), the interruption queue (the chart's `settings.interruptionQueue`) and the discovery
 * tag that marks the subnets and security groups of the cluster's nodes.
 */
export class KarpenterNames {
  /**
   * The tag key Karpenter's `EC2NodeClass` selects subnets and security groups by; its value is the cluster's name
   * (the key of Karpenter's getting-started templates).
   */
  public static readonly DISCOVERY_TAG = 'karpenter.sh/discovery';

  /** The IAM role of the nodes Karpenter launches: `<cluster>-<region>-karpenter-node`. */
  public static nodeRoleName(clusterName: string, region: string): string {
    checkArgs('KarpenterNames.nodeRoleName', 'KarpenterNames', 'nodeRoleName', [clusterName, region]);
    return `${clusterName}-${region}-karpenter-node`;
  }

  /**
   * Why `nodeRoleName(clusterName, region)` breaks IAM's limit on role names, or undefined when it fits.
   *
   * @param clusterName the EKS cluster's name
   * @param region the cluster's region; a deploy-time token is judged at the longest region name
   */
  public static nodeRoleNameProblem(clusterName: string, region: string): string | undefined {
    checkArgs('KarpenterNames.nodeRoleNameProblem', 'KarpenterNames', 'nodeRoleNameProblem', [clusterName, region]);
    if (isUnresolvedToken(clusterName)) return undefined;
    const length = KarpenterNames.nodeRoleName(clusterName, isUnresolvedToken(region) ? 'x'.repeat(LONGEST_REGION) : region).length;
    if (length <= MAX_ROLE_NAME) return undefined;
    return `makes Karpenter's node role name ${length} characters long, IAM allows ${MAX_ROLE_NAME}: shorten the cluster name`;
  }

  /** The SQS queue of interruption events Karpenter reads (spot interruptions, rebalance, health, state changes): `<cluster>-karpenter`. */
  public static interruptionQueueName(clusterName: string): string {
    checkArgs('KarpenterNames.interruptionQueueName', 'KarpenterNames', 'interruptionQueueName', [clusterName]);
    return `${clusterName}-karpenter`;
  }

  /** Why `interruptionQueueName(clusterName)` breaks SQS's limit on queue names, or undefined when it fits. */
  public static interruptionQueueNameProblem(clusterName: string): string | undefined {
    checkArgs('KarpenterNames.interruptionQueueNameProblem', 'KarpenterNames', 'interruptionQueueNameProblem', [clusterName]);
    if (isUnresolvedToken(clusterName)) return undefined;
    const length = KarpenterNames.interruptionQueueName(clusterName).length;
    if (length <= MAX_QUEUE_NAME) return undefined;
    return `makes Karpenter's interruption queue name ${length} characters long, SQS allows ${MAX_QUEUE_NAME}: shorten the cluster name`;
  }

  private constructor() {}
}
