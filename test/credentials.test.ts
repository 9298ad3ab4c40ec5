// Secrets in clear, by class: a value under a key that carries a credential, wherever it lands in a rendered
// object (and so in Git), fails with how to reference a Secret instead; a reference to a Secret passes.
import { Testing } from 'cdk8s';
import { Logging, LoggingOperator } from '../lib';
import { isCredentialKey } from '../lib/validation';
import { scalaJob, sparkFixture, systemPool } from './fixtures/spark-platform';

describe('credential-carrying keys, by name', () => {
  test.each([
    // Hadoop S3A (hadoop-aws Constants.java), Spark (docs/security.md), fluentd outputs, environment variables.
    'fs.s3a.access.key', 'fs.s3a.secret.key', 'fs.s3a.session.token', 'spark.hadoop.fs.s3a.bucket.raw.secret.key', 'spark.authenticate.secret',
    'spark.ssl.keyPassword', 'spark.ssl.trustStorePassword', 'spark.kubernetes.authenticate.driver.oauthToken', 'password', 'ssl_key_pass',
    'api_key', 'aws_sec_key', 'aws_key_id', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'DB_PASSWORD', 'GITHUB_TOKEN',
  ])('%s carries one', key => expect(isCredentialKey(key)).toBe(true));

  test.each([
    // References to a credential, and ordinary settings.
    'fs.s3a.aws.credentials.provider', 'spark.kubernetes.driver.secrets.db-certs', 'spark.kubernetes.driver.secretKeyRef.DB_PASSWORD',
    'spark.kubernetes.authenticate.driver.serviceAccountName', 'spark.executor.memory', 'fs.s3a.endpoint.region', 'index_name',
    'logstash_prefix', 'TOKEN_FILE', 'SPARK_HOME', 'spark.sql.passthrough',
  ])('%s does not', key => expect(isCredentialKey(key)).toBe(false));
});

describe('wherever it lands', () => {
  test.each([
    ['sparkConf', { sparkConf: { 'spark.hadoop.fs.s3a.secret.key': 'wJalrXUtnFEMI' } }, 'sparkConf["spark.hadoop.fs.s3a.secret.key"]', 'spark.kubernetes.driver.secretKeyRef'],
    ['hadoopConf', { hadoopConf: { 'fs.s3a.access.key': 'AKIA1234' } }, 'hadoopConf["fs.s3a.access.key"]', 'S3A takes the team\'s IAM role'],
    ['env', { env: { DB_PASSWORD: 'hunter2' } }, 'env["DB_PASSWORD"]', 'spark.kubernetes.executor.secretKeyRef'],
  ])('a job\'s %s', (_name, extra, prop, how) => {
    const { namespace } = sparkFixture();
    expect(() => namespace.addJob('job', { ...scalaJob, ...extra }))
      .toThrow(new RegExp(`team-a/job: invalid prop "${prop.replace(/[[\]."]/g, c => `\\${c}`)}" "<redacted>": carries a credential in clear: .*${how.replace(/\./g, '\\.')}`));
  });

  test('a job that references its Secrets passes; the value is never echoed', () => {
    const { namespace } = sparkFixture();
    expect(() => namespace.addJob('ok', { ...scalaJob, sparkConf: { 'spark.kubernetes.driver.secretKeyRef.DB_PASSWORD': 'db:password' }, env: { DB_USER: 'etl' } })).not.toThrow();
    expect(() => namespace.addJob('bad', { ...scalaJob, env: { API_TOKEN: 'very-secret-value' } })).toThrow(/^(?!.*very-secret-value)/s);
  });

  test('an output\'s extraSettings', () => {
    const chart = Testing.chart();
    const logging = new Logging(chart, 'logging', { operator: new LoggingOperator(chart, 'op', { nodePools: [systemPool] }) });
    expect(() => logging.addClusterOutput('es', { host: 'logs.internal', extraSettings: { ssl_key_pass: 'p4ss' } }))
      .toThrow(/invalid prop "extraSettings\["ssl_key_pass"\]" "<redacted>": carries a credential in clear: .*valueFrom: \{ secretKeyRef/);
    expect(() => logging.addClusterOutput('es2', { host: 'logs.internal', extraSettings: { ssl_key_pass: { valueFrom: { secretKeyRef: { name: 'tls', key: 'pass' } } } } })).not.toThrow();
  });
});
