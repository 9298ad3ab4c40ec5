import { ServiceAccountIdentity } from './service-account-identity';

/**
 * The service accounts of the platform's own components that have IAM roles. Both sides default to these
 * objects, so the AWS side's role and the Kubernetes side's service account meet without a typed name; give
 * your own `ServiceAccountIdentity` to both sides to change one (another namespace, EKS Pod Identity).
 */
export class PlatformServiceAccounts {
  /** The cluster-autoscaler: reads node groups, scales this cluster's. */
  public static readonly CLUSTER_AUTOSCALER = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'cluster-autoscaler' });
  /**
   * Karpenter's controller: launches and terminates this cluster's nodes, reads its interruption queue. The
   * chart's default namespace and name (aws/karpenter-provider-aws v1.14.1 `charts/karpenter`: `kube-system` in the
   * getting-started guide, service account named after the release).
   */
  public static readonly KARPENTER = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'karpenter' });
  /** The Spark History Server: reads the event logs. */
  public static readonly SPARK_HISTORY_SERVER = new ServiceAccountIdentity({ namespace: 'spark-history', name: 'spark-history-server' });
  /** The Argo Workflows server: reads the artifact repository (archived logs and artifacts in its UI). */
  public static readonly ARGO_WORKFLOWS_SERVER = new ServiceAccountIdentity({ namespace: 'argo', name: 'argo-workflows-server' });

  /**
   * The EBS CSI driver's controller (the `aws-ebs-csi-driver` EKS add-on's service account): creates, attaches
   * and deletes the EBS volumes of PersistentVolumeClaims.
   */
  public static readonly EBS_CSI_CONTROLLER = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'ebs-csi-controller-sa' });

  private constructor() {}
}
