import { LONGEST_REGION, MAX_ROLE_NAME } from './private/aws-name-limits';
import { WorkloadIdentity } from './workload-identity';
import { checkArgs, checkDns1123Label, checkDns1123Subdomain, checkOneOf, checkShape, invalidProp, isUnresolvedToken } from '../validation';

/**
 * Properties of a `ServiceAccountIdentity`.
 */
export interface ServiceAccountIdentityProps {
  /** The service account's namespace. */
  readonly namespace: string;

  /** The service account's name. */
  readonly name: string;

  /**
   * How the service account gets its IAM role.
   *
   * @default WorkloadIdentity.IRSA (works with every AWS SDK, including Spark 3.5's)
   */
  readonly identity?: WorkloadIdentity;
}


/**
 * A Kubernetes service account that has an IAM role: its namespace, its name, how it gets the role, and the
 * role's name, derived from the cluster's name so both sides know it without reading stack outputs.
 *
 * A plain value object, like `NodePool`: the AWS side creates the role named `roleName(clusterName)` with the
 * trust for exactly this service account; the Kubernetes side renders the service account, annotated with the
 * role's ARN for IRSA (`PlatformBindings.serviceAccountAnnotations()`).
 *
 * @example
 *
 * const autoscaler = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'cluster-autoscaler' });
 * autoscaler.roleName('spark-platform', 'eu-west-1'); // 'spark-platform-eu-west-1-kube-system-cluster-autoscaler'
 */
export class ServiceAccountIdentity {
  /** The service account's namespace. */
  public readonly namespace: string;
  /** The service account's name. */
  public readonly name: string;
  /** How the service account gets its IAM role. */
  public readonly identity: WorkloadIdentity;

  public constructor(props: ServiceAccountIdentityProps) {
    checkShape('ServiceAccountIdentity', 'ServiceAccountIdentityProps', props, 'props');
    const where = `ServiceAccountIdentity "${props.namespace}/${props.name}"`;
    this.namespace = checkDns1123Label(where, 'namespace', props.namespace);
    this.name = checkDns1123Subdomain(where, 'name', props.name);
    this.identity = checkOneOf(where, 'identity', props.identity ?? WorkloadIdentity.IRSA, Object.values(WorkloadIdentity));
  }

  /** `<namespace>/<name>`. */
  public get key(): string {
    return `${this.namespace}/${this.name}`;
  }

  /**
   * The name of the service account's IAM role in a cluster: `<cluster>-<region>-<namespace>-<name>`, at most 64
   * characters (IAM's limit). IAM role names are global to the account, so the region is part of the name: two
   * clusters of one name in two regions of an account get two roles.
   *
   * @param clusterName the EKS cluster's name
   * @param region the cluster's region (e.g. `eu-west-1`); a deploy-time token is judged at the longest region name
   */
  public roleName(clusterName: string, region: string): string {
    checkArgs('ServiceAccountIdentity.roleName', 'ServiceAccountIdentity', 'roleName', [clusterName, region]);
    const name = this._roleNameUnchecked(clusterName, region);
    const problem = this.roleNameProblem(clusterName, region);
    if (problem) throw invalidProp(`ServiceAccountIdentity "${this.key}"`, 'roleName', name, problem);
    return name;
  }

  /**
   * Why `roleName(clusterName, region)` breaks IAM's limit on role names, or undefined when it fits: a caller
   * reports it against its own prop (`SparkEksCluster`'s `clusterName`).
   *
   * @param clusterName the EKS cluster's name
   * @param region the cluster's region; a deploy-time token is judged at the longest region name
   */
  public roleNameProblem(clusterName: string, region: string): string | undefined {
    checkArgs('ServiceAccountIdentity.roleNameProblem', 'ServiceAccountIdentity', 'roleNameProblem', [clusterName, region]);
    if (isUnresolvedToken(clusterName)) return undefined;
    const length = isUnresolvedToken(region) ? this._roleNameUnchecked(clusterName, '').length + LONGEST_REGION
      : this._roleNameUnchecked(clusterName, region).length;
    if (length <= MAX_ROLE_NAME) return undefined;
    return `is ${length} characters${isUnresolvedToken(region) ? ` in the longest region (${LONGEST_REGION} characters)` : ''}, IAM allows ${MAX_ROLE_NAME}: `
      + 'shorten the cluster name, the namespace or the service account name';
  }

  /**
   * `<cluster>-<region>-<namespace>-<name>`, unchecked (`roleName()` checks it; a caller reporting
   * `roleNameProblem()` names it).
   *
   * @internal
   */
  public _roleNameUnchecked(clusterName: string, region: string): string {
    return `${clusterName}-${region}-${this.namespace}-${this.name}`;
  }
}
