import { CfnJson } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { checkDns1123Label, checkDns1123Subdomain } from '../validation';

/**
 * How a Kubernetes service account gets its IAM role.
 */
export enum WorkloadIdentity {
  /** IAM roles for service accounts: the OIDC web identity token, annotated on the service account. */
  IRSA = 'IRSA',
  /**
   * EKS Pod Identity: an association in EKS, no annotation. Needs the Pod Identity agent add-on and an AWS SDK
   * that supports it (not the AWS SDK v1 bundled with Hadoop 3.3 / Spark 3.5).
   */
  POD_IDENTITY = 'POD_IDENTITY',
}

/**
 * Properties of a `ServiceAccountRole`.
 */
export interface ServiceAccountRoleProps {
  /** The cluster the service account lives in. */
  readonly cluster: eks.ICluster;
  /** The service account's namespace. */
  readonly namespace: string;
  /** The service account's name. */
  readonly serviceAccountName: string;
  /**
   * How the service account gets the role.
   *
   * @default WorkloadIdentity.IRSA
   */
  readonly identity?: WorkloadIdentity;
  /**
   * The role's permissions.
   *
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];
}

/**
 * An IAM role that exactly one Kubernetes service account can assume.
 */
export class ServiceAccountRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** The service account's namespace. */
  public readonly namespace: string;
  /** The service account's name. */
  public readonly serviceAccountName: string;
  /** How the service account gets the role. */
  public readonly identity: WorkloadIdentity;

  public constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    this.namespace = checkDns1123Label(this, 'namespace', props.namespace);
    this.serviceAccountName = checkDns1123Subdomain(this, 'serviceAccountName', props.serviceAccountName);
    this.identity = props.identity ?? WorkloadIdentity.IRSA;

    if (this.identity === WorkloadIdentity.POD_IDENTITY) {
      this.role = new iam.Role(this, 'Role', {
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
        description: `EKS Pod Identity role of ${this.key}`,
      });
      this.role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
      }));
      new eks.CfnPodIdentityAssociation(this, 'Association', {
        clusterName: props.cluster.clusterName,
        namespace: this.namespace,
        serviceAccount: this.serviceAccountName,
        roleArn: this.role.roleArn,
      });
    } else {
      const issuer = props.cluster.openIdConnectProvider.openIdConnectProviderIssuer;
      // The issuer is a deploy-time value used as a condition key: CfnJson resolves it.
      const conditions = new CfnJson(this, 'TrustConditions', {
        value: {
          [`${issuer}:sub`]: `system:serviceaccount:${this.namespace}:${this.serviceAccountName}`,
          [`${issuer}:aud`]: 'sts.amazonaws.com',
        },
      });
      this.role = new iam.Role(this, 'Role', {
        assumedBy: new iam.OpenIdConnectPrincipal(props.cluster.openIdConnectProvider).withConditions({ StringEquals: conditions }),
        description: `IRSA role of ${this.key}`,
      });
    }
    for (const statement of props.statements ?? []) this.role.addToPolicy(statement);
  }

  /** `<namespace>/<name>`: the key of the role in `PlatformBindings.serviceAccountRoleArns`. */
  public get key(): string {
    return `${this.namespace}/${this.serviceAccountName}`;
  }
}
