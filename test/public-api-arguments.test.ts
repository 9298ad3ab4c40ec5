// No crash, ever (class 6), for the arguments that are not structs: every public method of the library's classes
// (static ones, and those of value objects a test can make without a chart) is called with each argument replaced
// by each shape a plain JavaScript caller can pass, the others of their declared type. The answer is the usual
// error or a result, never a TypeError. New methods are walked without a new test; a class whose instances need a
// chart is listed with its reason.
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import * as lib from '../lib';
import { methodEntries } from './fixtures/public-api';
import { bindings, spotPool, systemPool } from './fixtures/spark-platform';

const chart = Testing.chart();
const team = new lib.SparkTeam({ name: 'team-a' });
const operator = new lib.SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings });
const namespace = operator.addTeam(team);
const instanceType = lib.InstanceType.of('m5.2xlarge')!;

// A value of each type the arguments take (valid or not, it only has to have the type's shape).
const SAMPLES: { [type: string]: () => unknown } = {
  'string': () => 'team-a',
  'number': () => 2,
  'boolean': () => true,
  'any': () => ({}),
  'array<string>': () => ['team-a'],
  'map<string>': () => ({ app: 'x' }),
  'array<NodePool>': () => [spotPool],
  'array<DaemonSetRequest>': () => [],
  'array<any>': () => [],
  'NodePool': () => spotPool,
  'SparkTeam': () => team,
  'S3Location': () => new lib.S3Location({ bucketName: 'acme-bucket' }),
  'InstanceType': () => instanceType,
  'ServiceAccountIdentity': () => team.serviceAccount,
  'WorkloadIdentity': () => lib.WorkloadIdentity.IRSA,
  'JobNamespace': () => namespace,
  'cdk8s.Size': () => Size.gibibytes(1),
  'cdk8s.Duration': () => Duration.minutes(1),
  'cdk8s.ApiObject': () => new kplus.k8s.KubeConfigMap(Testing.chart(), 'cm', {}),
  'cdk8s-plus-33.TaintEffect': () => kplus.TaintEffect.NO_SCHEDULE,
};

// Receivers of instance methods, by class.
const RECEIVERS: { [cls: string]: () => any } = {
  NetworkPeer: () => lib.NetworkPeer.allPods('team-a'),
  NodeCapacity: () => lib.NodeCapacity.of(instanceType),
  Placement: () => lib.Placement.onPool(spotPool),
  PlatformBindings: () => bindings,
  S3Location: () => new lib.S3Location({ bucketName: 'acme-bucket' }),
  ServiceAccountIdentity: () => team.serviceAccount,
  ManifestPolicy: () => new lib.ManifestPolicy(),
  NamespaceIsolation: () => new lib.NamespaceIsolation(Testing.chart(), 'iso', { namespace: 'team-a' }),
  SparkOperator: () => new lib.SparkOperator(Testing.chart(), 'op', { nodePools: [systemPool, spotPool], bindings }),
};

const WRONG: unknown[] = [undefined, null, 'x', 42, [], {}, [null], true, { x: 1 }];
const USUAL = /invalid prop|Validation failed/;

const entries = methodEntries().filter(m => m.isStatic || RECEIVERS[m.cls]);
const cases = entries.flatMap(m => m.params.map((p, i) => [`${m.cls}.${m.method}(${p.name})`, m, i] as const));

beforeAll(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
afterAll(() => jest.restoreAllMocks());

test('the walk reaches the methods it should', () => {
  expect(entries.length).toBeGreaterThan(60);
  expect(entries.map(m => `${m.cls}.${m.method}`)).toEqual(expect.arrayContaining(['NetworkPeer.ipBlock', 'Placement.spotWithFallback', 'S3Location.child']));
});

test.each(cases)('%s: every wrong shape fails with the usual error, or is accepted; never a crash', (_name, m, index) => {
  const crashes: string[] = [];
  for (const wrong of WRONG) {
    const args = m.params.map((p, i) => (i === index ? wrong : p.optional ? undefined : SAMPLES[p.type]?.()));
    try {
      const target: any = m.isStatic ? (lib as any)[m.cls] : RECEIVERS[m.cls]();
      target[m.method](...args);
    } catch (e: any) {
      if (e instanceof TypeError || e instanceof RangeError || !USUAL.test(e.message)) crashes.push(`${JSON.stringify(wrong)}: ${e.constructor.name}: ${e.message.slice(0, 140)}`);
    }
  }
  expect(crashes).toEqual([]);
});
