/**
 * How a Kubernetes service account gets its IAM role. Both sides read it from the same object: the AWS side
 * builds the role's trust (and the Pod Identity association), the Kubernetes side the service account's
 * annotation and the AWS SDK settings of the workload.
 */
export enum WorkloadIdentity {
  /** IAM roles for service accounts: the OIDC web identity token, and the role's ARN annotated on the service account. */
  IRSA = 'IRSA',
  /**
   * EKS Pod Identity: an association in EKS, no annotation. Needs the Pod Identity agent add-on and an AWS SDK
   * that supports it (AWS SDK v2 from 2.21.30: Hadoop 3.4 / Spark 4; not the AWS SDK v1 of Hadoop 3.3 / Spark 3.5).
   */
  POD_IDENTITY = 'POD_IDENTITY',
}
