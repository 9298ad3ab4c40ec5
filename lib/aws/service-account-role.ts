import { CfnJson } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceAccountIdentity, WorkloadIdentity } from '../bindings';

/**
 * Properties of a `ServiceAccountRole`.
 */
export interface ServiceAccountRoleProps {
  /** The cluster the service account lives in. */
  readonly cluster: eks.ICluster;

  /** The service account, and how it gets the role (the same object the Kubernetes side renders it from). */
  readonly serviceAccount: ServiceAccountIdentity;

  /** The role's name: `serviceAccount.roleName(<cluster name>, <region>)`, which the Kubernetes side derives too. */
  readonly roleName: string;

  /**
   * The role's permissions.
   *
   * @default - none
   */
  readonly statements?: iam.PolicyStatement[];
}

/**
 * An IAM role that exactly one Kubernetes service account can assume, through IRSA (the cluster's OIDC provider,
 * trusted for `system:serviceaccount:<namespace>:<name>` only) or EKS Pod Identity (an association).
 */
export class ServiceAccountRole extends Construct {
  /** The role. */
  public readonly role: iam.Role;
  /** The service account. */
  public readonly serviceAccount: ServiceAccountIdentity;

  public constructor(scope: Construct, id: string, props: ServiceAccountRoleProps) {
    super(scope, id);
    const sa = props.serviceAccount;
    this.serviceAccount = sa;

    if (sa.identity === WorkloadIdentity.POD_IDENTITY) {
      this.role = new iam.Role(this, 'Role', {
        roleName: props.roleName,
        assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com'),
        description: `EKS Pod Identity role of ${sa.key}`,
      });
      this.role.assumeRolePolicy?.addStatements(new iam.PolicyStatement({
        actions: ['sts:TagSession'],
        principals: [new iam.ServicePrincipal('pods.eks.amazonaws.com')],
      }));
      new eks.CfnPodIdentityAssociation(this, 'Association', {
        clusterName: props.cluster.clusterName,
        namespace: sa.namespace,
        serviceAccount: sa.name,
        roleArn: this.role.roleArn,
      });
    } else {
      const issuer = props.cluster.openIdConnectProvider.openIdConnectProviderIssuer;
      // The issuer is a deploy-time value used as a condition key: CfnJson resolves it.
      const conditions = new CfnJson(this, 'TrustConditions', {
        value: {
          [`${issuer}:sub`]: `system:serviceaccount:${sa.namespace}:${sa.name}`,
          [`${issuer}:aud`]: 'sts.amazonaws.com',
        },
      });
      this.role = new iam.Role(this, 'Role', {
        roleName: props.roleName,
        assumedBy: new iam.OpenIdConnectPrincipal(props.cluster.openIdConnectProvider).withConditions({ StringEquals: conditions }),
        description: `IRSA role of ${sa.key}`,
      });
    }
    for (const statement of props.statements ?? []) this.role.addToPolicy(statement);
  }
}
