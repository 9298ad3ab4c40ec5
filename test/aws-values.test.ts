// Regions and partitions, held against aws-cdk-lib's own region facts (aws-cdk-lib/region-info, generated from
// AWS's partition data): every region it knows is a region here, in the partition it says.
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { PlatformBindings } from '../lib';
import { checkAwsRegion, partitionOfRegion } from '../lib/validation';

const props = { accountId: '123456789012', clusterName: 'spark-platform', bucketName: 'acme-bucket' };

test.each(RegionInfo.regions.map(r => [r.name, r.partition] as const))('%s is a region of partition %s', (region, partition) => {
  expect(checkAwsRegion('test', 'region', region)).toBe(region);
  expect(partitionOfRegion(region)).toBe(partition);
  // Role ARNs follow the region's partition without being told.
  expect(new PlatformBindings({ ...props, region }).partition).toBe(partition);
});

test('a partition that is not the region\'s fails naming both', () => {
  expect(() => new PlatformBindings({ ...props, region: 'cn-north-1', partition: 'aws' }))
    .toThrow('PlatformBindings: invalid prop "partition" "aws": does not match region "cn-north-1", which is in partition "aws-cn"');
  expect(() => new PlatformBindings({ ...props, region: 'eu-west-1', partition: 'aws-cn' })).toThrow(/"partition" "aws-cn": does not match region "eu-west-1"/);
  expect(new PlatformBindings({ ...props, region: 'us-gov-west-1' }).roleArn).toBeDefined();
});
