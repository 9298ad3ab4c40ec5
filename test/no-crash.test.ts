// No crash, ever (a first table): a plain JavaScript caller, or `ts-node --transpile-only` as the README's
// cdk8s.yaml runs, may pass any value where the types say otherwise. Starting from valid props, every prop of each
// entry point below is replaced by each wrong shape in turn: the library answers with its usual error shape
// ("<where>: invalid prop ...") or accepts it, never a TypeError.
import { App, Testing } from 'cdk8s';
import {
  AlertRule, AlertSeverity, CapacityType, NodePool, PlatformBindings, S3Location, SparkJobType, SparkOperator, SparkPlatform, SparkTeam,
} from '../lib';
import { bindings, spotPool, systemPool } from './fixtures/spark-platform';

const WRONG: unknown[] = [null, 'x', 42, [], {}, [null], true, [42]];

const ENTRY_POINTS: Array<[string, (props: any) => unknown, { [key: string]: unknown }]> = [
  ['SparkTeam', p => new SparkTeam(p), { name: 'team-a', readPrefixes: ['raw'], readWritePrefixes: ['curated'], costCenter: 'cc', labels: { a: 'b' } }],
  ['NodePool', p => new NodePool(p),
    { name: 'p', capacityType: CapacityType.SPOT, instanceTypes: ['m5.2xlarge'], taints: [{ key: 'k', effect: 'NoSchedule' }], labels: { a: 'b' }, maxSize: 3 }],
  ['PlatformBindings', p => new PlatformBindings(p), { accountId: '123456789012', clusterName: 'c', region: 'eu-west-1', bucketName: 'bucket-a', eventLogPrefix: 'ev' }],
  ['S3Location', p => new S3Location(p), { bucketName: 'bucket-a', prefix: 'x' }],
  ['AlertRule', p => new AlertRule(p), { name: 'A', expr: 'up == 0', severity: AlertSeverity.WARNING, summary: 's', description: 'd', labels: { a: 'b' } }],
  ['SparkPlatform', p => new SparkPlatform(new App(), 'p', p), { nodePools: [systemPool, spotPool], bindings }],
  ['JobNamespace.addJob', p => {
    const chart = Testing.chart();
    new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings }).addTeam(new SparkTeam({ name: 'team-a' })).addJob('job', p);
    Testing.synth(chart);
  }, {
    type: SparkJobType.SCALA,
    image: 'a/b:1.0',
    mainApplicationFile: 'local:///a.jar',
    mainClass: 'M',
    sparkVersion: '3.5.5',
    arguments: ['a'],
    sparkConf: { 'spark.sql.shuffle.partitions': '8' },
    env: { A: 'b' },
    executor: { instances: 2 },
    driver: {},
  }],
];

const cases = ENTRY_POINTS.flatMap(([name, make, base]) => Object.keys(base).map(prop => [`${name} ${prop}`, make, base, prop] as const));

test.each(cases)('%s: every wrong shape fails with the usual error, or is accepted; never a crash', (_name, make, base, prop) => {
  const crashes: string[] = [];
  for (const value of WRONG) {
    try {
      make({ ...base, [prop]: value });
    } catch (e: any) {
      if (e instanceof TypeError || !/invalid prop|Validation failed/.test(e.message)) crashes.push(`${JSON.stringify(value)}: ${e.constructor.name}: ${e.message.slice(0, 120)}`);
    }
  }
  expect(crashes).toEqual([]);
});
