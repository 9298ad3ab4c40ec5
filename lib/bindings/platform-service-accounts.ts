import { ServiceAccountIdentity } from './service-account-identity';

/**
 * The service accounts of the platform's own components that have IAM roles. Both sides default to these
 * objects, so the AWS side's role and the Kubernetes side's service account meet without a typed name; give
 * your own `ServiceAccountIdentity` to both sides to change one (another namespace, EKS Pod Identity).
 */
export class PlatformServiceAccounts {
  /** The cluster-autoscaler: reads node groups, scales this cluster's. */
  public static readonly CLUSTER_AUTOSCALER = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'cluster-autoscaler' });
  /** The Spark History Server: reads the event logs. */
  public static readonly SPARK_HISTORY_SERVER = new ServiceAccountIdentity({ namespace: 'spark-history', name: 'spark-history-server' });
  /** Argo Workflows' workflow pods: write the artifact repository. */
  public static readonly ARGO_WORKFLOWS = new ServiceAccountIdentity({ namespace: 'argo', name: 'argo-workflow' });

  private constructor() {}
}
