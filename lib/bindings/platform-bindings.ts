/**
 * The plain values the Kubernetes side needs from the AWS side: they exist only once the AWS stack is
 * deployed, so they cross over as strings (from the AWS side's `PlatformBindings` stack outputs, from a file
 * the pipeline writes, or typed by hand). The Kubernetes side never needs AWS to synthesize.
 */
export interface PlatformBindings {
  /** The EKS cluster's name. */
  readonly clusterName: string;

  /** The AWS region of the cluster, e.g. `eu-west-1`. */
  readonly region: string;

  /** The bucket for event logs and job data. */
  readonly bucketName: string;

  /**
   * The key prefix of the Spark event logs in `bucketName`.
   *
   * @default 'spark-events'
   */
  readonly eventLogPrefix?: string;

  /**
   * The IAM role ARN of each Kubernetes service account that has one, keyed `<namespace>/<name>`
   * (e.g. `kube-system/cluster-autoscaler`, `spark-team-a/spark`).
   *
   * @default - no roles
   */
  readonly serviceAccountRoleArns?: { [serviceAccount: string]: string };
}
