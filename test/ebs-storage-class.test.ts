import { Testing } from 'cdk8s';
import { EbsStorageClass } from '../lib';
import { findObject } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

describe('EbsStorageClass', () => {
  // kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md: type, encrypted, kmsKeyId; the in-tree EBS plugin is
  // migrated to this driver, which the AWS side installs as an EKS add-on.
  test('encrypted gp3 from the EBS CSI driver, in the pod\'s zone, growable, not the default unless asked', () => {
    const chart = Testing.chart();
    const storage = new EbsStorageClass(chart, 'storage');
    const sc = findObject(synthValid(chart), 'StorageClass');
    expect(storage.name).toBe('ebs-gp3');
    expect(sc).toMatchObject({
      metadata: { name: 'ebs-gp3' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
    expect(sc.metadata.annotations).toBeUndefined();
  });

  test('the default class, with a customer key', () => {
    const chart = Testing.chart();
    new EbsStorageClass(chart, 'storage', { name: 'gp3-cmk', isDefault: true, kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    const sc = findObject(synthValid(chart), 'StorageClass');
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(sc.parameters.kmsKeyId).toBe('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  test('bad input', () => {
    const chart = Testing.chart();
    expect(() => new EbsStorageClass(chart, 'a', { name: 'GP3' })).toThrow('test/a: invalid prop "name" "GP3"');
    expect(() => new EbsStorageClass(chart, 'b', { kmsKeyId: ' ' })).toThrow('test/b: invalid prop "kmsKeyId" " ": must be a KMS key ARN or id');
  });
});
