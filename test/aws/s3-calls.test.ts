// Every S3 call a normal Spark job and the history server make through S3A, authorized by a real IAM policy
// simulator against the roles the AWS side renders (test/fixtures/iam-simulator.ts).
//
// The calls, from hadoop-aws (Hadoop 3.3.4, Spark 3.5 images; the same probes in 3.4.x):
// - S3AFileSystem.s3GetFileStatus (getFileStatus, StatusProbeEnum.ALL): HEAD the bare key, then LIST "<key>/" with
//   the '/' delimiter; a HEAD answered 403 throws AccessDeniedException at once (S3AUtils.translateException), only
//   404 falls through to the LIST.
// - S3 answers a HEAD (or GET) of a missing key with 404 only to a caller allowed s3:ListBucket for that key, and
//   403 otherwise (Amazon S3 API reference, HeadObject, "Permissions"): a probe of a missing key is a GetObject
//   on the key and a ListBucket whose s3:prefix is the key.
// - Spark's EventLogFileWriter.requireLogBaseDirAsDirectory (core/.../deploy/history/EventLogFileWriters.scala)
//   runs getFileStatus on spark.eventLog.dir at every job start; FsHistoryProvider.startPolling does the same on
//   spark.history.fs.logDirectory when the history server starts.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { allStatements, platform } from './fixtures';
import { SparkTeam } from '../../lib';
import { AwsRequest, simulatorAllows } from '../fixtures/iam-simulator';

const sessions = new SparkTeam({ name: 'sessions', readPrefixes: ['raw/events'], readWritePrefixes: ['curated/sessions'] });
const orders = new SparkTeam({ name: 'orders', readWritePrefixes: ['curated/orders'] });
const { template } = platform({ teams: [sessions, orders], historyServer: { cleaner: false } });
const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0].toLowerCase();
const statementsOf = (t: Template, roleId: string) => allStatements(t).filter(s => s.resource.includes(roleId)).map(s => s.statement);

const bucketArn = `arn:aws:s3:::${bucket}`;
const get = (key: string): AwsRequest => ({ action: 's3:GetObject', resource: `${bucketArn}/${key}` });
const put = (key: string): AwsRequest => ({ action: 's3:PutObject', resource: `${bucketArn}/${key}` });
const del = (key: string): AwsRequest => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${key}` });
const list = (prefix: string, delimiter?: string): AwsRequest => ({
  action: 's3:ListBucket', resource: bucketArn, context: { 's3:prefix': prefix, ...(delimiter !== undefined ? { 's3:delimiter': delimiter } : {}) },
});
/** getFileStatus on a key that is a "directory": HEAD the bare key (404 needs ListBucket on it), LIST "<key>/". */
const statusOfDirectory = (key: string): AwsRequest[] => [get(key), list(key), list(`${key}/`, '/')];
/** Creating a file: the status probe of the new key (missing), then the (multipart) upload. */
const create = (key: string): AwsRequest[] => [get(key), list(key), list(`${key}/`, '/'), put(key)];
/** S3A's rename: copy (read the source, write the target), then delete the source. */
const rename = (from: string, to: string): AwsRequest[] => [get(from), put(to), del(from)];

async function denied(statements: any[], requests: AwsRequest[]): Promise<AwsRequest[]> {
  const out: AwsRequest[] = [];
  for (const request of requests) if (!(await simulatorAllows(statements, request))) out.push(request);
  return out;
}

describe('a team\'s job: every S3 call it makes is allowed', () => {
  const team = statementsOf(template, 'SparkTeamRolesessions');
  const app = 'spark-8f2c';

  test('event log: the start-up probe of spark-events, the rolling log directory and files, the final renames', async () => {
    const calls = [
      ...statusOfDirectory('spark-events'),
      ...statusOfDirectory(`spark-events/eventlog_v2_${app}`),
      put(`spark-events/eventlog_v2_${app}/`),
      ...create(`spark-events/eventlog_v2_${app}/events_1_${app}`),
      ...create(`spark-events/eventlog_v2_${app}/appstatus_${app}.inprogress`),
      ...rename(`spark-events/eventlog_v2_${app}/appstatus_${app}.inprogress`, `spark-events/eventlog_v2_${app}/appstatus_${app}`),
      // The single-file writer (rolling off).
      ...create(`spark-events/${app}.inprogress`),
      ...rename(`spark-events/${app}.inprogress`, `spark-events/${app}`),
    ];
    expect(await denied(team, calls)).toEqual([]);
  });

  test('reads its input: the probe of the bare prefix, the listing, the objects', async () => {
    const calls = [...statusOfDirectory('raw/events'), list('raw/events/'), list('raw/events/', '/'), get('raw/events/2026/07/01.json')];
    expect(await denied(team, calls)).toEqual([]);
  });

  test('writes its output with the file output committer: probe, temporary directory, tasks, commit by rename, cleanup', async () => {
    const calls = [
      ...statusOfDirectory('curated/sessions'),
      ...statusOfDirectory('curated/sessions/_temporary/0'),
      put('curated/sessions/_temporary/0/'),
      ...create('curated/sessions/_temporary/0/task_0/part-0.parquet'),
      ...rename('curated/sessions/_temporary/0/task_0/part-0.parquet', 'curated/sessions/part-0.parquet'),
      list('curated/sessions/_temporary/'), del('curated/sessions/_temporary/0/'),
      ...create('curated/sessions/_SUCCESS'),
    ];
    expect(await denied(team, calls)).toEqual([]);
  });

  test('before this fix the bare-prefix probe was refused: a HEAD of a missing "spark-events" answered 403', async () => {
    const withoutBare = team.map(s => {
      const prefixes = s.Condition?.StringLike?.['s3:prefix'];
      return prefixes ? { ...s, Condition: { StringLike: { 's3:prefix': prefixes.filter((p: string) => p.includes('/')) } } } : s;
    });
    expect(await denied(withoutBare, statusOfDirectory('spark-events'))).toEqual([list('spark-events')]);
  });

  test('and still nothing of another team: its objects, its listing, its renames', async () => {
    const calls = [get('curated/orders/part-0.parquet'), put('curated/orders/x'), del('curated/orders/x'), list('curated/orders/'), list('curated/orders'),
      list(''), list('', '/'), list('curated/'), del('spark-events/spark-1a2b'), del('spark-events/'), put('raw/events/x')];
    expect(await denied(team, calls)).toEqual(calls);
  });

  test('Hadoop 3.3\'s default marker policy ("delete") would delete the parent markers a job may not delete: the library keeps them', async () => {
    // S3AFileSystem.deleteUnnecessaryFakeDirectories after every write with fs.s3a.directory.marker.retention=delete.
    expect(await denied(team, [del('spark-events/'), del('curated/')])).toEqual([del('spark-events/'), del('curated/')]);
  });
});

describe('the history server: every S3 call it makes is allowed', () => {
  test('the start-up probe of the log directory, the listing, the logs; the cleaner\'s deletes when it is on', async () => {
    const reader = statementsOf(template, 'HistoryServerRole');
    const calls = [...statusOfDirectory('spark-events'), list('spark-events/'), list('spark-events/', '/'), get('spark-events/spark-8f2c'),
      list('spark-events/eventlog_v2_spark-8f2c/', '/'), get('spark-events/eventlog_v2_spark-8f2c/events_1_spark-8f2c')];
    expect(await denied(reader, calls)).toEqual([]);
    expect(await denied(reader, [del('spark-events/spark-8f2c')])).toEqual([del('spark-events/spark-8f2c')]);
    const withCleaner = platform({ teams: [sessions], historyServer: { cleaner: true } }).template;
    expect(await denied(statementsOf(withCleaner, 'HistoryServerRole'), [...calls, del('spark-events/spark-8f2c')])).toEqual([]);
  });
});

test('the simulator is IAM\'s evaluation, not a pattern match: a Deny wins, conditions are ANDed', async () => {
  const allow = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['a/*'] }, StringEquals: { 's3:delimiter': '/' } } };
  const r = (prefix: string, delimiter?: string): AwsRequest => ({ action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: { 's3:prefix': prefix, ...(delimiter ? { 's3:delimiter': delimiter } : {}) } });
  expect(await simulatorAllows([allow], r('a/x', '/'))).toBe(true);
  expect(await simulatorAllows([allow], r('a/x'))).toBe(false);
  expect(await simulatorAllows([allow, { Effect: 'Deny', Action: 's3:ListBucket', Resource: '*' }], r('a/x', '/'))).toBe(false);
  expect(Stack).toBeDefined();
});
