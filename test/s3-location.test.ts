import { EventLogLocation, S3Location } from '../lib';

describe('S3Location', () => {
  test('gives the s3a URI, the s3 URI and the IAM ARNs from one bucket and prefix', () => {
    const loc = new S3Location({ bucketName: 'acme-spark', prefix: 'data/raw' });
    expect(loc.s3aUri).toBe('s3a://acme-spark/data/raw');
    expect(loc.s3Uri).toBe('s3://acme-spark/data/raw');
    expect(loc.bucketArn).toBe('arn:aws:s3:::acme-spark');
    expect(loc.objectsArn).toBe('arn:aws:s3:::acme-spark/data/raw/*');
    expect(loc.keyPrefix).toBe('data/raw/');
  });

  test('the whole bucket, a child prefix and another partition', () => {
    const bucket = new S3Location({ bucketName: 'acme-spark', partition: 'aws-cn' });
    expect(bucket.s3aUri).toBe('s3a://acme-spark');
    expect(bucket.objectsArn).toBe('arn:aws-cn:s3:::acme-spark/*');
    expect(bucket.child('checkpoints').child('etl').s3aUri).toBe('s3a://acme-spark/checkpoints/etl');
    expect(bucket.child('checkpoints').partition).toBe('aws-cn');
  });

  test('accepts an unresolved AWS CDK token as the bucket name', () => {
    expect(new S3Location({ bucketName: '${Token[TOKEN.123]}' }).bucketName).toBe('${Token[TOKEN.123]}');
  });

  test.each([
    ['ab', /must be 3 to 63 characters/],
    ['Acme-Spark', /must be 3 to 63 characters/],
    ['acme_spark', /must be 3 to 63 characters/],
    ['-acme', /must be 3 to 63 characters/],
    ['a'.repeat(64), /must be 3 to 63 characters/],
    ['acme..spark', /must not contain two adjacent periods/],
    ['192.168.1.10', /must not be formatted as an IP address/],
    ['xn--acme', /must not start with "xn--"/],
    ['acme-s3alias', /must not end with a suffix S3 reserves/],
  ])('rejects the bucket name %j', (bucketName, error) => {
    expect(() => new S3Location({ bucketName })).toThrow(new RegExp(`S3Location: invalid prop "bucketName" "${bucketName.replace(/\./g, '\\.')}": ${error.source}`));
  });

  test.each(['/events', 'events/', 'a//b', 'logs/*', 'my logs'])('rejects the prefix %j', (prefix) => {
    expect(() => new S3Location({ bucketName: 'acme-spark', prefix })).toThrow(/invalid prop "prefix" .*: must be a key prefix without leading or trailing/);
  });
});

describe('EventLogLocation', () => {
  test('defaults the prefix to spark-events', () => {
    const logs = new EventLogLocation({ bucketName: 'acme-spark' });
    expect(logs.s3aUri).toBe('s3a://acme-spark/spark-events');
    expect(logs.objectsArn).toBe('arn:aws:s3:::acme-spark/spark-events/*');
  });
});

// java.net.URI and org.apache.hadoop.fs.Path (hadoop-common Path.java: new URI(scheme, authority, path, null, null)
// then normalize()): what Hadoop would read as another key than the one IAM grants.
describe('prefixes Hadoop would read as another key', () => {
  test.each([
    ['curated#x', 'holds "#", "%", "\\" or a control character'],
    ['curated/%2e%2e/raw', 'holds "#", "%", "\\" or a control character'],
    ['curated\\sessions', 'holds "#", "%", "\\" or a control character'],
    ['curated/../raw', 'holds a "." or ".." segment, which Hadoop normalizes into another prefix (a wider grant)'],
    ['curated/./sessions', 'holds a "." or ".." segment'],
    ['curated/date:2026', 'holds ":" in a segment'],
  ])('%s', (prefix, message) => {
    expect(() => new S3Location({ bucketName: 'acme-spark', prefix })).toThrow(`invalid prop "prefix" ${JSON.stringify(prefix)}: ${message}`);
  });

  test('ordinary prefixes pass: dots inside names, dashes, underscores, "=" of partitions', () => {
    for (const prefix of ['curated/sessions', 'raw/v1.2/events', 'curated/date=2026-07-01', 'a_b-c']) {
      expect(new S3Location({ bucketName: 'acme-spark', prefix }).prefix).toBe(prefix);
    }
  });
});
