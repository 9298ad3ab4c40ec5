import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { NodePool } from '../../scheduling';

/**
 * The AL2023 `nodeadm` configuration of a pool's nodes: instance-store NVMe disks assembled as one RAID0 array
 * when the pool's types have them (awslabs/amazon-eks-ami `setup-local-disks`: mounted at `/mnt/k8s-disks/0`,
 * with `/var/lib/kubelet`, `/var/lib/containerd` and `/var/log/pods` bind-mounted onto it, so emptyDir volumes,
 * Spark's local dirs among them, and the container runtime use it).
 */
export function nodeConfig(pool: NodePool): string | undefined {
  if (!pool.hasLocalNvme) return undefined;
  return [
    '---',
    'apiVersion: node.eks.aws/v1alpha1',
    'kind: NodeConfig',
    'spec:',
    '  instance:',
    '    localStorage:',
    '      strategy: RAID0',
    '',
  ].join('\n');
}

/**
 * The launch template of a pool's managed node group: an encrypted gp3 root volume of the pool's size (EKS's
 * default is 20 GiB, which shuffle fills), IMDSv2 only with a hop limit of 1 (pods cannot reach the node's
 * role through the instance metadata; they have their own), and the `nodeadm` NodeConfig that assembles the
 * NVMe instance store. EKS merges its own NodeConfig with this one (MIME multipart user data).
 */
export class NodeLaunchTemplate extends Construct {
  /** The launch template. */
  public readonly launchTemplate: ec2.LaunchTemplate;

  public constructor(scope: Construct, id: string, pool: NodePool) {
    super(scope, id);
    const config = nodeConfig(pool);
    let userData: ec2.UserData | undefined;
    if (config) {
      const multipart = new ec2.MultipartUserData();
      multipart.addPart(ec2.MultipartBody.fromRawBody({ contentType: 'application/node.eks.aws', body: config }));
      userData = multipart;
    }
    this.launchTemplate = new ec2.LaunchTemplate(this, 'Resource', {
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(pool.rootVolumeSize.toGibibytes(), {
          volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true, deleteOnTermination: true,
        }),
      }],
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      userData,
    });
  }
}
