/**
 * How the nodes of a pool are bought from EC2.
 *
 * aws-eks-v2 has an enum of the same name, but the Kubernetes side must not load aws-cdk-lib: the AWS side
 * translates this one (`NodePool` is shared by both sides).
 */
export enum CapacityType {
  /** Spot instances: up to 90% cheaper, reclaimed by EC2 with two minutes' notice. */
  SPOT = 'SPOT',
  /** On-demand instances: never reclaimed. */
  ON_DEMAND = 'ON_DEMAND',
}

/**
 * The CPU architecture of a pool's instance types (all of them must share one: a managed node group has a
 * single AMI type).
 */
export enum CpuArchitecture {
  /** Intel and AMD instance types (m5, c6i, r7a, ...). */
  X86_64 = 'x86_64',
  /** AWS Graviton instance types (m6g, c7g, r8g, ...). */
  ARM_64 = 'arm64',
}
