import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allStatements, platform, systemPool, testStack } from './fixtures';
import { EventLogLocation, PlatformBindings, S3Location, SparkTeam, WorkloadIdentity, aws } from '../../lib';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const awsExample = require('../../examples/aws');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sameAppExample = require('../../examples/same-app');

function asList(value: unknown): any[] {
  return value === undefined ? [] : ([] as any[]).concat(value);
}

// A resource of the template as a string: the partition is "aws", references to the stack's resources are their
// logical ids (the bucket's "arn:aws:s3:::<BucketLogicalId>/raw/*").
function flat(value: any): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return value.Ref === 'AWS::Partition' ? 'aws' : value.Ref;
  if (value['Fn::GetAtt']) return value['Fn::GetAtt'].join('.');
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flat).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

// IAM's evaluation for what these policies use: Allow statements, resources with '*', StringLike / StringEquals
// conditions (every key of an operator must hold, any value of a key may match, a key the request lacks fails).
function allows(statements: any[], action: string, resource: string, context: { [key: string]: string } = {}): boolean {
  return statements.some(s => s.Effect === 'Allow'
    && asList(s.Action).includes(action)
    && asList(s.Resource).some(r => glob(flat(r)).test(resource))
    && Object.entries<any>(s.Condition ?? {}).every(([operator, keys]) => Object.entries<any>(keys).every(([key, values]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      return asList(values).some(v => (operator === 'StringLike' ? glob(v).test(actual) : v === actual));
    })));
}

// Every write-like verb: whatever is not a read.
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List|Head)[A-Za-z]*$/;

/** What is wrong with a statement, by the rules every stack of the library follows. */
function statementProblems(statement: any): string[] {
  const problems: string[] = [];
  const actions = asList(statement.Action).concat(asList(statement.NotAction));
  const resources = asList(statement.Resource).map(flat);
  if (statement.NotAction) problems.push('NotAction');
  for (const action of actions) {
    if (action === '*') problems.push('action "*"');
    else if (action.includes('*')) problems.push(`wildcard action ${action}`);
  }
  if (statement.Effect === 'Allow' && resources.includes('*') && !statement.Condition) {
    for (const action of actions.filter(a => !READ_ONLY.test(a))) problems.push(`write action ${action} on "*" without a condition`);
  }
  if (statement.Effect === 'Allow' && actions.includes('s3:ListBucket')) {
    const prefixes = Object.values<any>(statement.Condition ?? {}).flatMap(keys => asList(keys['s3:prefix']));
    if (prefixes.length === 0) problems.push('s3:ListBucket without an s3:prefix condition');
    for (const prefix of prefixes) if (prefix === '' || prefix.startsWith('*')) problems.push(`s3:ListBucket admits prefix ${JSON.stringify(prefix)}`);
  }
  return problems;
}

function stackProblems(template: Template): string[] {
  return allStatements(template).flatMap(({ resource, statement }) => statementProblems(statement).map(p => `${resource}: ${p}`));
}

describe('every statement of every example stack', () => {
  const dataEngineering = new SparkTeam({ name: 'data-engineering', readPrefixes: ['raw/events'], readWritePrefixes: ['curated/sessions'] });
  const podIdentity = new SparkTeam({ name: 'ml', identity: WorkloadIdentity.POD_IDENTITY, readWritePrefixes: ['features'] });
  const stacks: Array<[string, () => Template]> = [
    ['examples/aws.ts', () => Template.fromJSON(awsExample.createApp().synth().getStackByName('SparkPlatform').template)],
    ['examples/same-app.ts', () => Template.fromStack(sameAppExample.createApp().node.findChild('SparkPlatformSameApp') as Stack)],
    ['test/aws: teams, pipelines, history cleaner, Argo CD', () => platform({
      teams: [dataEngineering, podIdentity], argoWorkflows: {}, historyServer: { cleaner: true }, gitOps: { repoUrl: 'https://github.com/acme/infra.git' },
    }).template],
    ['test/aws: defaults', () => platform().template],
    ['test/aws: Karpenter', () => platform({ karpenter: {} }).template],
  ];

  test.each(stacks)('%s: no "*" or service-wide actions, no unconditioned write on "*", no ListBucket admitting "" or "*"', (_name, build) => {
    expect(stackProblems(build())).toEqual([]);
  });

  test('the walk fails on each kind of statement it forbids (the check can fail)', () => {
    expect(statementProblems({ Effect: 'Allow', Action: '*', Resource: '*' })).toContain('action "*"');
    expect(statementProblems({ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/x/*' })).toContain('wildcard action s3:*');
    expect(statementProblems({ Effect: 'Allow', Action: 'autoscaling:SetDesiredCapacity', Resource: '*' }))
      .toEqual(['write action autoscaling:SetDesiredCapacity on "*" without a condition']);
    expect(statementProblems({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': ['', 'raw/*'] } } }))
      .toEqual(['s3:ListBucket admits prefix ""']);
    expect(statementProblems({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { StringLike: { 's3:prefix': '*' } } }))
      .toEqual(['s3:ListBucket admits prefix "*"']);
    expect(statementProblems({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' })).toEqual(['s3:ListBucket without an s3:prefix condition']);
    expect(statementProblems({ Effect: 'Allow', Action: 'ec2:DescribeInstanceTypes', Resource: '*' })).toEqual([]);
  });
});

describe('tenant isolation: what each team\'s role may do in the platform bucket', () => {
  const sessions = new SparkTeam({ name: 'sessions', readPrefixes: ['raw/events'], readWritePrefixes: ['curated/sessions'] });
  const orders = new SparkTeam({ name: 'orders', readWritePrefixes: ['curated/orders'] });
  const { template, cluster } = platform({ teams: [sessions, orders], historyServer: { cleaner: true } });
  const bucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const object = (key: string) => `${bucketArn}/${key}`;
  // A role's statements: its policy's logical id starts with the construct id of the role.
  const statementsOf = (roleId: string) => allStatements(template).filter(s => s.resource.includes(roleId)).map(s => s.statement);
  const team = statementsOf('SparkTeamRolesessions');
  const history = statementsOf('HistoryServerRole');
  const list = (statements: any[], prefix: string, delimiter?: string) =>
    allows(statements, 's3:ListBucket', bucketArn, { 's3:prefix': prefix, ...(delimiter ? { 's3:delimiter': delimiter } : {}) });

  // hadoop-aws S3AFileSystem.java (s3GetFileStatus): a status probe HEADs the key ("curated/sessions") and lists
  // "<key>/" with the '/' delimiter; the root is never listed for a status probe. impl/MkdirOperation.java walks the
  // parents the same way (a directory probe, a LIST of "<parent>/"), up to the first that exists.
  test('lists its own prefixes and everything below them, and the parents only one level deep, exactly', () => {
    expect(list(team, 'curated/sessions/', '/')).toBe(true);
    expect(list(team, 'curated/sessions/date=2026-07-01/')).toBe(true);
    expect(list(team, 'raw/events/')).toBe(true);
    // The parent "directory": the names directly under it, with the delimiter, never its whole subtree.
    expect(list(team, 'curated/', '/')).toBe(true);
    expect(list(team, 'raw/', '/')).toBe(true);
    expect(list(team, 'curated/')).toBe(false);
    expect(list(team, 'curated/', '')).toBe(false);
    // Never the bucket or another team's prefix. The bare prefix, yes: S3A HEADs it first, and S3 answers 404 (not
    // 403) only to a caller that may list it (test/aws/s3-calls.test.ts runs every call through an IAM simulator).
    expect(list(team, '')).toBe(false);
    expect(list(team, '', '/')).toBe(false);
    expect(list(team, 'curated/orders/', '/')).toBe(false);
    expect(list(team, 'curated/sessions')).toBe(true);
    expect(list(team, 'curated/orders')).toBe(false);
    expect(list(team, 'c')).toBe(false);
  });

  // hadoop-aws site/markdown/tools/hadoop-aws/assumed_roles.md: the path itself ("users/alice"), its marker and
  // everything below it are the resources of a directory S3A works in.
  test('reads and writes only its own prefixes; probes its prefixes themselves', () => {
    expect(allows(team, 's3:GetObject', object('curated/sessions'))).toBe(true);
    expect(allows(team, 's3:GetObject', object('curated/sessions/part-0.parquet'))).toBe(true);
    expect(allows(team, 's3:GetObject', object('raw/events/2026/07/01.json'))).toBe(true);
    expect(allows(team, 's3:PutObject', object('curated/sessions/_temporary/0/part-0.parquet'))).toBe(true);
    expect(allows(team, 's3:DeleteObject', object('curated/sessions/_temporary/0/part-0.parquet'))).toBe(true);
    expect(allows(team, 's3:GetObject', object('curated/orders/part-0.parquet'))).toBe(false);
    expect(allows(team, 's3:PutObject', object('curated/orders/part-0.parquet'))).toBe(false);
    expect(allows(team, 's3:DeleteObject', object('curated/orders/part-0.parquet'))).toBe(false);
    expect(allows(team, 's3:PutObject', object('raw/events/2026/07/01.json'))).toBe(false);
    expect(allows(team, 's3:GetObject', object('curated/sessions-archive/x'))).toBe(false);
    expect(allows(team, 's3:PutObject', object('curated/x'))).toBe(false);
  });

  // apache/spark core/.../deploy/history/EventLogFileWriters.scala: SingleEventLogFileWriter writes
  // "<app>.inprogress" and renames it to "<app>" in stop(); RollingEventLogFilesWriter writes
  // "eventlog_v2_<app>/events_<n>_<app>" directly and renames "appstatus_<app>.inprogress" to "appstatus_<app>".
  // S3A renames by COPY and DELETE of the source: a job deletes only ".inprogress" files.
  test('writes event logs, deletes only in-progress ones (Spark\'s renames), never a finished log or the prefix marker', () => {
    expect(list(team, 'spark-events/', '/')).toBe(true);
    expect(allows(team, 's3:GetObject', object('spark-events'))).toBe(true);
    expect(allows(team, 's3:PutObject', object('spark-events/spark-8f2c.inprogress'))).toBe(true);
    expect(allows(team, 's3:PutObject', object('spark-events/spark-8f2c'))).toBe(true);
    expect(allows(team, 's3:PutObject', object('spark-events/eventlog_v2_spark-8f2c/events_1_spark-8f2c'))).toBe(true);
    expect(allows(team, 's3:DeleteObject', object('spark-events/spark-8f2c.inprogress'))).toBe(true);
    expect(allows(team, 's3:DeleteObject', object('spark-events/eventlog_v2_spark-8f2c/appstatus_spark-8f2c.inprogress'))).toBe(true);
    expect(allows(team, 's3:DeleteObject', object('spark-events/spark-8f2c'))).toBe(false);
    expect(allows(team, 's3:DeleteObject', object('spark-events/spark-8f2c.lz4'))).toBe(false);
    expect(allows(team, 's3:DeleteObject', object('spark-events/eventlog_v2_spark-8f2c/events_1_spark-8f2c'))).toBe(false);
    expect(allows(team, 's3:DeleteObject', object('spark-events/'))).toBe(false);
    expect(allows(team, 's3:DeleteObject', object('other/x.inprogress'))).toBe(false);
  });

  test('only the history server\'s cleaner deletes finished event logs', () => {
    expect(allows(history, 's3:DeleteObject', object('spark-events/spark-8f2c'))).toBe(true);
    expect(allows(history, 's3:DeleteObject', object('curated/sessions/x'))).toBe(false);
    expect(allows(history, 's3:PutObject', object('spark-events/spark-8f2c'))).toBe(false);
    expect(list(history, 'spark-events/')).toBe(true);
    expect(list(history, '')).toBe(false);
  });

  test('the synthesized statements of a team, one by one', () => {
    const bucketRef = { Ref: bucket };
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', bucketRef, ...(suffix ? [suffix] : [])]] });
    expect(team).toEqual(expect.arrayContaining([
      expect.objectContaining({ Action: 's3:ListBucket', Resource: arn(''), Condition: { StringLike: { 's3:prefix': ['curated/sessions', 'curated/sessions/', 'curated/sessions/*'] } } }),
      expect.objectContaining({ Action: 's3:ListBucket', Resource: arn(''), Condition: { StringEquals: { 's3:prefix': ['curated/'], 's3:delimiter': '/' } } }),
      expect.objectContaining({ Action: 's3:GetObject', Resource: [arn('/curated/sessions'), arn('/curated/sessions/*')] }),
      expect.objectContaining({ Action: ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: arn('/curated/sessions/*') }),
      expect.objectContaining({ Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: arn('/spark-events/*') }),
      expect.objectContaining({ Action: 's3:DeleteObject', Resource: arn('/spark-events/*.inprogress') }),
    ]));
    expect(statementsOf('SparkTeamRoleorders').map(s => JSON.stringify(s)).join()).not.toContain('sessions');
    expect(cluster.roleFor(orders.serviceAccount).serviceAccount.key).toBe('orders/spark');
  });

  test('two owners\' prefixes that share leading characters without a \'/\' fail: the bare-prefix grant would list the other\'s keys', () => {
    const archive = new SparkTeam({ name: 'archive', readWritePrefixes: ['curated/sessions-archive'] });
    expect(() => platform({ teams: [sessions, archive] })).toThrow(
      /Platform: invalid prop "teams\[1\]\.readWritePrefixes\[0\]" "curated\/sessions-archive": begins with "curated\/sessions" \(teams\[0\]\.readWritePrefixes\[0\], team sessions\) without a '\/' after it: .* \("curated\/sessions\/archive"\)/);
    const logsLike = new SparkTeam({ name: 'logs', readPrefixes: ['spark-events-archive'] });
    expect(() => platform({ teams: [logsLike] })).toThrow(/"teams\[0\]\.readPrefixes\[0\]" "spark-events-archive": begins with "spark-events" \(bucket.eventLogPrefix, event logs\)/);
    // Nested prefixes of two teams are a different matter (a path, not a string prefix), and one team's own are its own.
    expect(() => platform({ teams: [new SparkTeam({ name: 'own', readPrefixes: ['raw'], readWritePrefixes: ['raw-clean'] })] })).not.toThrow();
  });

  test('a prefix three levels deep lists each parent exactly', () => {
    const deep = new S3Location({ bucketName: 'acme-spark', prefix: 'a/b/c' });
    const [, parents] = aws.WorkloadPolicies.s3Read(deep).map(s => s.toStatementJson());
    expect(parents.Condition).toEqual({ StringEquals: { 's3:prefix': ['a/', 'a/b/'], 's3:delimiter': '/' } });
    expect(aws.WorkloadPolicies.s3Read(new S3Location({ bucketName: 'acme-spark', prefix: 'top' })).map(s => s.toStatementJson().Action))
      .toEqual(['s3:ListBucket', 's3:GetObject']);
    expect(() => aws.WorkloadPolicies.s3Read(new S3Location({ bucketName: 'acme-spark' })))
      .toThrow(/WorkloadPolicies: invalid prop "location.prefix" "": must not be empty/);
  });
});

describe('AWS defaults of a careful team', () => {
  const example = () => Template.fromJSON(awsExample.createApp().synth().getStackByName('SparkPlatform').template);

  // Pods reach IMDS through the node's network namespace plus one hop: a PUT response hop limit of 1 stops the
  // IMDSv2 token at the node, so pods cannot take the node's instance role (EC2 instance metadata options).
  test('every node group of the example, the system one included, requires IMDSv2 with a hop limit of 1', () => {
    const resources = example().toJSON().Resources;
    const groups = Object.values<any>(resources).filter(r => r.Type === 'AWS::EKS::Nodegroup');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spotPool, systemPool: examplePool, onDemandExecutorPool } = require('../../examples/main');
    const pools = [spotPool, examplePool, onDemandExecutorPool];
    expect(groups.map(g => g.Properties.NodegroupName).sort()).toEqual(pools.map(p => p.nodeGroupName).sort());
    for (const group of groups) {
      const template = resources[group.Properties.LaunchTemplate.Id.Ref].Properties.LaunchTemplateData;
      expect(template.MetadataOptions).toEqual({ HttpPutResponseHopLimit: 1, HttpTokens: 'required' });
    }
  });

  test('Kubernetes Secrets are encrypted with a KMS key the library creates with rotation, or the user\'s', () => {
    const template = platform().template;
    const [keyId, key] = Object.entries<any>(template.findResources('AWS::KMS::Key'))[0];
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [keyId, 'Arn'] } }, Resources: ['secrets'] }] });

    const stack = testStack();
    const own = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    const cluster = new aws.SparkEksCluster(stack, 'Platform', { clusterName: 'spark-platform', systemPool, secretsEncryptionKey: own });
    expect(cluster.secretsEncryptionKey).toBe(own);
    const withOwn = Template.fromStack(stack);
    withOwn.resourceCountIs('AWS::KMS::Key', 1);
    withOwn.hasResourceProperties('AWS::EKS::Cluster', { EncryptionConfig: [{ Provider: { KeyArn: { 'Fn::GetAtt': [Stack.of(own).getLogicalId(own.node.defaultChild as any), 'Arn'] } } }] });
  });

  test('the bucket is versioned; old versions and delete markers expire, the event-log rules and their marker unchanged', () => {
    const { template } = platform({ bucket: { eventLogRetention: Duration.days(60), noncurrentVersionRetention: Duration.days(14) } });
    const bucket = Object.values<any>(template.findResources('AWS::S3::Bucket'))[0].Properties;
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rules: any[] = bucket.LifecycleConfiguration.Rules;
    expect(rules.find(r => r.Id === 'expire-noncurrent-versions'))
      .toEqual({ Id: 'expire-noncurrent-versions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 14 }, ExpiredObjectDeleteMarker: true });
    // The first rule keeps the size filter that spares the empty "<prefix>/" marker.
    expect(rules[0]).toMatchObject({ Id: 'expire-event-logs', Prefix: 'spark-events/', ObjectSizeGreaterThan: '0', ExpirationInDays: 60 });
    const defaults: any[] = Object.values<any>(platform().template.findResources('AWS::S3::Bucket'))[0].Properties.LifecycleConfiguration.Rules;
    expect(defaults.find(r => r.Id === 'expire-noncurrent-versions').NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 30 });
  });
});

describe('bad AWS inputs fail at synth with where, the prop as spelled, the value and what is allowed', () => {
  test('an empty or wildcard data prefix, named by its place in teams', () => {
    const first = new SparkTeam({ name: 'first', readPrefixes: ['raw'] });
    const second = new SparkTeam({ name: 'second', readWritePrefixes: ['curated'] });
    // The team's arrays are plain arrays: a prefix emptied after the team was built is still caught.
    (second.readWritePrefixes as string[])[0] = '';
    expect(() => platform({ teams: [first, second] }))
      .toThrow(/^Test\/Platform: invalid prop "teams\[1\]\.readWritePrefixes\[0\]" "": must not be empty: a key prefix such as "curated\/sessions"/);
    (first.readPrefixes as string[])[0] = '*';
    expect(() => platform({ teams: [first] })).toThrow(/Platform: invalid prop "teams\[0\]\.readPrefixes\[0\]" "\*": must be a key prefix without .*wildcards/);
    expect(() => new SparkTeam({ name: 'x', readWritePrefixes: [''] })).toThrow(/SparkTeam "x": invalid prop "readWritePrefixes\[0\]" "": must not be empty/);
    expect(() => platform({ bucket: { eventLogPrefix: '' } })).toThrow(/Platform\/Bucket: invalid prop "eventLogPrefix" "": must not be empty/);
    expect(() => platform({ argoWorkflows: { artifactPrefix: '' } })).toThrow(/Platform: invalid prop "argoWorkflows.artifactPrefix" "": must not be empty/);
  });

  test('an unknown AWS partition; every real one and a token are accepted', () => {
    expect(() => new S3Location({ bucketName: 'acme-spark', partition: 'aws-moon' }))
      .toThrow(/^S3Location: invalid prop "partition" "aws-moon": must be an AWS partition: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc/);
    expect(() => new EventLogLocation({ bucketName: 'acme-spark', partition: 'AWS' })).toThrow(/invalid prop "partition" "AWS"/);
    expect(() => new PlatformBindings({ accountId: '123456789012', clusterName: 'c', region: 'eu-west-1', bucketName: 'acme-spark', partition: 'amazon' }))
      .toThrow(/^PlatformBindings: invalid prop "partition" "amazon"/);
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc', Aws.PARTITION]) {
      expect(new S3Location({ bucketName: 'acme-spark', prefix: 'p', partition }).bucketArn).toBe(`arn:${partition}:s3:::acme-spark`);
    }
  });

  test('a public endpoint CIDR wider than /16 without allowWideCidrBlocks; 0.0.0.0/0 only through unrestrictedPublicAndPrivate()', () => {
    expect(() => aws.ClusterEndpoint.publicAndPrivate(['203.0.113.0/24', '10.0.0.0/8']))
      .toThrow(/^ClusterEndpoint.publicAndPrivate: invalid prop "cidrs\[1\]" "10.0.0.0\/8": is wider than a \/16 \(16,777,216 addresses\).*allowWideCidrBlocks: true/);
    expect(() => aws.ClusterEndpoint.publicAndPrivate(['0.0.0.0/0'])).toThrow(/invalid prop "cidrs\[0\]" "0.0.0.0\/0": opens the API endpoint to the whole internet/);
    expect(() => aws.ClusterEndpoint.publicAndPrivate(['0.0.0.0/0'], { allowWideCidrBlocks: true })).toThrow(/unrestrictedPublicAndPrivate/);
    expect(aws.ClusterEndpoint.publicAndPrivate(['10.0.0.0/8'], { allowWideCidrBlocks: true }).publicCidrs).toEqual(['10.0.0.0/8']);
    expect(aws.ClusterEndpoint.publicAndPrivate(['172.16.0.0/16']).publicCidrs).toEqual(['172.16.0.0/16']);
    expect(aws.ClusterEndpoint.publicAndPrivate([`${Aws.ACCOUNT_ID}`]).isPublic).toBe(true);
  });

  test('an event-log retention (or old-version retention) that is not a whole number of days, at least 1', () => {
    expect(() => platform({ bucket: { eventLogRetention: Duration.days(0) } }))
      .toThrow(/^Test\/Platform\/Bucket: invalid prop "eventLogRetention" "0 days": must be a whole number of days, at least 1/);
    expect(() => platform({ bucket: { eventLogRetention: Duration.hours(36) } })).toThrow(/invalid prop "eventLogRetention" "1 day 12 hours"/);
    expect(() => platform({ bucket: { noncurrentVersionRetention: Duration.minutes(5) } })).toThrow(/invalid prop "noncurrentVersionRetention" "5 minutes"/);
    // aws-cdk-lib refuses a negative Duration when it is made.
    expect(() => Duration.days(-1)).toThrow(/negative/);
  });
});
