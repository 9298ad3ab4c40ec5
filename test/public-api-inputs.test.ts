// Bad input by class, over the whole public API as the jsii assembly declares it: every struct a constructor or
// method takes, every prop of it (nested ones too), fed the shapes a plain JavaScript caller can pass (or
// `ts-node --transpile-only`, as the README's cdk8s.yaml runs). A prop added tomorrow is walked without a new
// test; a new class or method that takes a struct fails the coverage test until it has a baseline here.
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { StructProp, structEntries, structProps } from './fixtures/public-api';
import { BASELINES, EXEMPT, withProp, world } from './fixtures/public-api-baselines';
import { scalaJob } from './fixtures/spark-platform';
import { PROP_DESTINATIONS, QUANTITY_DEFAULTS, QUANTITY_EXCEPTIONS } from '../lib/validation/prop-destinations';

// The usual error: "<where>: invalid prop ..." at construct time, or cdk8s' "Validation failed" at synth.
const USUAL = /invalid prop|Validation failed/;

function outcome(run: () => unknown): { error?: Error } {
  try {
    run();
    return {};
  } catch (e: any) {
    return { error: e };
  }
}

const entries = structEntries().filter(e => !EXEMPT[e.key]);

// Synth warnings (a namespace without a flow, a pool nothing runs on) are not what these tables look at.
beforeAll(() => jest.spyOn(process.stderr, 'write').mockImplementation(() => true));
afterAll(() => jest.restoreAllMocks());

test('every struct the public API takes has a baseline here (or a reason it is left out)', () => {
  expect(entries.map(e => e.key).filter(key => !BASELINES[key])).toEqual([]);
  expect(Object.keys(BASELINES).filter(key => !entries.some(e => e.key === key))).toEqual([]);
});

test.each(Object.entries(BASELINES))('%s: the baseline is valid', (_key, { base, run }) => {
  expect(outcome(() => run(base)).error).toBeUndefined();
});

// Class 6, no crash, ever: every prop replaced by each shape a plain JavaScript caller can pass.
const WRONG_SHAPES: unknown[] = [null, 'x', 42, -1, [], {}, [null], [undefined], true, [42], { x: 1 }];

const propCases = entries.flatMap(entry => structProps(entry.struct).map(prop => [`${entry.key} ${prop.path}`, entry.key, prop] as [string, string, StructProp]));

test.each(propCases)('%s: every wrong shape fails with the usual error, or is accepted; never a crash', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const crashes: string[] = [];
  for (const value of WRONG_SHAPES) {
    const { error } = outcome(() => run(withProp(base, prop.path, value)));
    if (error && (error instanceof TypeError || error instanceof RangeError || !USUAL.test(error.message))) {
      crashes.push(`${JSON.stringify(value)}: ${error.constructor.name}: ${error.message.split('\n')[0].slice(0, 160)}`);
    }
  }
  expect(crashes).toEqual([]);
});

// Errors carry one construct path, and blame the prop the user wrote (props whose parent struct the baseline has:
// a nested prop alone makes its parent incomplete, which is blamed first). A value of another primitive type than
// the prop's is never accepted: it would render where the API server or the component reads another type.
const parentInBase = ([, key, prop]: [string, string, StructProp]) => {
  const parent = prop.path.split('.').slice(0, -1);
  let at: any = BASELINES[key].base;
  for (const part of parent) at = at?.[part];
  return parent.length === 0 || (at && typeof at === 'object');
};
const OTHER_PRIMITIVE: { [type: string]: unknown } = { string: 42, number: '8', boolean: 'false' };
const primitiveCases = propCases.filter(c => OTHER_PRIMITIVE[c[2].type] !== undefined && !c[2].enumValues && parentInBase(c));

test.each(primitiveCases)('%s: a value of another type fails, naming the prop as spelled and the value', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const value = OTHER_PRIMITIVE[prop.type];
  const { error } = outcome(() => run(withProp(base, prop.path, value)));
  expect(error?.message).toContain(`invalid prop "${prop.path}" ${JSON.stringify(value)}`);
  // One construct path: the location is not repeated inside the message.
  const where = error!.message.split(': invalid prop')[0];
  expect(error!.message.split(where).length - 1).toBe(1);
});

// Class 1, names by destination: every prop whose name says it becomes a name (`name`, `...Name`, `namespace`,
// `...Namespaces`) or labels (`labels`, `...Labels`, `selector`) is given one no destination accepts, and must
// fail naming the prop as spelled. A new prop of such a name is walked without a new test; its rule goes in
// lib/validation/prop-destinations.ts or in its own construct.
const NAME_PROP = /(^name|Name|^namespace|Namespace|^namespaces|Namespaces)$/;
const LABELS_PROP = /(^labels|Labels|^selector)$/;
const FREE_TEXT = new Set([
  'ArgoCdSso.clientSecretName', // a Secret's name in Argo CD's namespace, rendered into Dex's config as text
]);
const destinationCases = propCases.filter(c => parentInBase(c) && (
  (NAME_PROP.test(c[2].path.split('.').pop()!) && ['string', 'array<string>'].includes(c[2].type))
  || (LABELS_PROP.test(c[2].path.split('.').pop()!) && c[2].type === 'map<string>')));

test.each(destinationCases)('%s: a value its destination refuses fails, naming the prop as spelled', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const bad = prop.type === 'map<string>' ? { 'a/b/c': 'v' } : prop.type === 'array<string>' ? ['Bad_Name!'] : 'Bad_Name!';
  const { error } = outcome(() => run(withProp(base, prop.path, bad)));
  // As spelled: the path inside the parameter, or with the parameter's name (`job.name` of addSparkStep's `job`).
  const param = key.split('#')[1];
  const spelled = prop.path.replace(/[.[\]]/g, m => `\\${m}`);
  expect(error?.message).toMatch(new RegExp(`invalid prop "(${param}\\.)?${spelled}(\\[\\d+\\]|\\["[^"]*"\\])?"`));
});

test('the destination table names props the public API has', () => {
  const declared = new Set(entries.flatMap(e => structProps(e.struct)).map(p => p.path.split('.').pop()));
  for (const structProp of Object.keys(PROP_DESTINATIONS)) expect(declared).toContain(structProp.split('.')[1]);
  expect(FREE_TEXT.size).toBe(1);
});

test('names that collide once rendered fail with both places: an exit step named like a step', () => {
  const w = world();
  const p = w.argo.addPipeline(w.namespace, 'nightly');
  p.addSparkStep('etl', { ...scalaJob });
  p.addExitStep('etl', { image: 'curlimages/curl:8.11.1' });
  expect(() => w.synth()).toThrow(/nightly\/Exit-etl: exit step "etl" has the name of step test\/spark-operator\/team-a\/nightly\/etl/);
});

test('a step takes its name from its job\'s name, and two steps of one name fail', () => {
  const w = world();
  const p = w.argo.addPipeline(w.namespace, 'nightly');
  expect(p.addSparkStep('first', { ...scalaJob, name: 'load' }).name).toBe('load');
  expect(() => p.addSparkStep('second', { ...scalaJob, name: 'load' })).toThrow(/invalid prop "step" "load": is the name of another step/);
  expect(() => p.addSparkStep('third', { ...scalaJob, name: 'Load_Orders' })).toThrow(/invalid prop "job.name" "Load_Orders"/);
});

// Class 2, numbers and quantities: every number, Size, Cpu and Duration prop is fed values the API server or the
// component refuses (negative or fractional counts, zero sizes and CPU, durations of no whole second), and each
// value its rule (lib/validation/prop-destinations.ts: by type, or by prop where the component differs) refuses
// must fail naming the prop as spelled.
const QUANTITY_VALUES: { [type: string]: Array<[unknown, number]> } = {
  'number': [[-1, -1], [1.5, 1.5], [0, 0]],
  'cdk8s.Size': [[Size.mebibytes(0), 0]],
  'cdk8s-plus-33.Cpu': [[kplus.Cpu.millis(0), 0]],
  'cdk8s.Duration': [[Duration.millis(1500), 1500], [Duration.seconds(0), 0]],
};
const quantityCases = propCases.filter(c => QUANTITY_VALUES[c[2].type] && parentInBase(c));

test.each(quantityCases)('%s: a number or quantity its rule refuses fails, naming the prop as spelled', (_name, key, prop) => {
  const { base, run } = BASELINES[key];
  const rule = QUANTITY_EXCEPTIONS[`${prop.owner}.${prop.path.split('.').pop()}`] ?? QUANTITY_DEFAULTS[prop.type];
  const refused = QUANTITY_VALUES[prop.type].filter(([, amount]) => rule.problem(amount) !== undefined);
  expect(refused.length).toBeGreaterThan(0);
  for (const [value] of refused) {
    const { error } = outcome(() => run(withProp(base, prop.path, value)));
    expect(error?.message).toMatch(new RegExp(`invalid prop "(${key.split('#')[1]}\\.)?${prop.path.replace(/\./g, '\\.')}"`));
  }
});
