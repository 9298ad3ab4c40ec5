import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { checkDns1123Subdomain, checkShape, invalidProp } from '../validation';

/**
 * Properties of an `EbsStorageClass`.
 */
export interface EbsStorageClassProps {
  /**
   * The StorageClass's name: what claims give as `storageClassName`.
   *
   * @default 'ebs-gp3'
   */
  readonly name?: string;

  /**
   * Whether claims without a `storageClassName` get this class (`storageclass.kubernetes.io/is-default-class`).
   * Make one class the default at most: EKS does not guarantee one.
   *
   * @default false
   */
  readonly isDefault?: boolean;

  /**
   * The KMS key (ARN or id) the volumes are encrypted with.
   *
   * @default - the account's default EBS key (`aws/ebs`)
   */
  readonly kmsKeyId?: string;
}

/**
 * A StorageClass of encrypted gp3 EBS volumes, provisioned by the EBS CSI driver (`ebs.csi.aws.com`, which the
 * AWS side's `SparkEksCluster` installs), each created in the zone of the pod that first uses it
 * (`WaitForFirstConsumer`), growable, and deleted with its claim.
 */
export class EbsStorageClass extends Construct {
  /** The CSI driver that provisions the volumes. */
  public static readonly PROVISIONER = 'ebs.csi.aws.com';

  /** The StorageClass's name. */
  public readonly name: string;
  /** The StorageClass. */
  public readonly apiObject: k8s.KubeStorageClass;

  public constructor(scope: Construct, id: string, props: EbsStorageClassProps = {}) {
    super(scope, id);
    checkShape(this, 'EbsStorageClassProps', props, 'props', true);
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? 'ebs-gp3');
    if (props.kmsKeyId !== undefined && (typeof props.kmsKeyId !== 'string' || props.kmsKeyId.trim() === '')) {
      throw invalidProp(this, 'kmsKeyId', props.kmsKeyId, 'must be a KMS key ARN or id');
    }
    this.apiObject = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: this.name,
        annotations: props.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
      },
      provisioner: EbsStorageClass.PROVISIONER,
      // aws-ebs-csi-driver parameters (docs/parameters.md): volume type and encryption at rest.
      parameters: { type: 'gp3', encrypted: 'true', ...(props.kmsKeyId ? { kmsKeyId: props.kmsKeyId } : {}) },
      // A volume in the zone the pod was scheduled to, not in a random one it cannot attach from.
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
  }
}
