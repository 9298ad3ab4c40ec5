import * as fs from 'fs';
import * as path from 'path';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { cpuMillisOf } from './numbers';
import { PROP_DESTINATIONS, QUANTITY_DEFAULTS, QUANTITY_EXCEPTIONS, Rule } from './prop-destinations';
import { isUnresolvedToken } from './tokens';

// The shape of every prop of the public API, checked where it enters, from the one description of that API
// there is: the jsii assembly (`.jsii`, at the package root, shipped with the package). TypeScript checks the
// shapes at compile time only; a plain JavaScript caller, or `ts-node --transpile-only` (the README's cdk8s.yaml),
// can pass a string for a Size or `undefined` in a list. Checked here, such a value fails with the usual error
// naming the prop as spelled, before any code reads it; the checks of values (names, ranges) come after.

/** A type as the jsii assembly writes it: a primitive, a named type, a list or map of one, or a union. */
export interface TypeRef {
  readonly fqn?: string;
  readonly primitive?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: TypeRef[] };
}

interface Member {
  readonly name: string;
  readonly parameters?: Array<{ readonly name: string; readonly type: TypeRef; readonly optional?: boolean }>;
  readonly type?: TypeRef;
  readonly optional?: boolean;
  readonly static?: boolean;
  readonly protected?: boolean;
}

interface AssemblyType {
  readonly fqn: string;
  readonly kind: 'class' | 'interface' | 'enum';
  readonly name: string;
  readonly datatype?: boolean;
  readonly base?: string;
  readonly interfaces?: string[];
  readonly properties?: Member[];
  readonly methods?: Member[];
}

const PREFIX = 'cdk8s-spark-platform.';

// What other libraries' types must have, as far as the library reads them (the AWS side's are aws-cdk-lib's
// own to check).
const EXTERNAL: { [fqn: string]: { readonly what: string; readonly test: (v: any) => boolean } } = {
  'cdk8s.Size': { what: 'a cdk8s Size, e.g. Size.gibibytes(4)', test: v => typeof v?.toMebibytes === 'function' },
  'cdk8s.Duration': { what: 'a cdk8s Duration, e.g. Duration.minutes(5)', test: v => typeof v?.toSeconds === 'function' },
  'cdk8s-plus-33.Cpu': { what: 'a cdk8s-plus Cpu, e.g. Cpu.units(2) or Cpu.millis(500)', test: v => typeof v?.amount === 'string' },
  'constructs.Construct': { what: 'a construct', test: v => typeof v?.node === 'object' && v.node !== null },
  'constructs.IConstruct': { what: 'a construct', test: v => typeof v?.node === 'object' && v.node !== null },
  'cdk8s-plus-33.k8s.PodSpec': { what: 'a pod spec (cdk8s-plus k8s.PodSpec)', test: v => typeof v === 'object' && v !== null && !Array.isArray(v) },
  'cdk8s-plus-33.PodScheduling': { what: 'a cdk8s-plus PodScheduling (a workload\'s scheduling)', test: v => typeof v?.tolerate === 'function' },
  'cdk8s.App': { what: 'a cdk8s App', test: v => typeof v?.node === 'object' && typeof v?.synth === 'function' },
  'cdk8s.ApiObject': { what: 'a cdk8s ApiObject', test: v => typeof v?.node === 'object' && typeof v?.toJson === 'function' },
};

let assembly: { [fqn: string]: AssemblyType } | null | undefined;

/** The assembly's types, or null where it is not beside the code (a bundle): then nothing is checked here. */
function types(): { [fqn: string]: AssemblyType } | null {
  if (assembly === undefined) {
    // lib/validation (sources) and build/validation (compiled) are both two folders below the package root.
    const file = path.join(__dirname, '..', '..', '.jsii');
    assembly = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')).types : null;
  }
  return assembly ?? null;
}

// A type's members with their own parents' (each with the name of the type that declares it), computed once per
// type: the checks run at every entry point, some of them once per rendered pod.
const MEMBERS = new Map<string, Array<Member & { owner: string }>>();
function allMembers(fqn: string, kind: 'properties' | 'methods'): Array<Member & { owner: string }> {
  const key = `${kind}:${fqn}`;
  let members = MEMBERS.get(key);
  if (!members) {
    const t = types()?.[fqn];
    const parents = t ? [...(t.base ? [t.base] : []), ...(t.interfaces ?? [])].filter(p => p.startsWith(PREFIX)) : [];
    members = t ? [...(t[kind] ?? []).map(m => ({ ...m, owner: t.name })), ...parents.flatMap(p => allMembers(p, kind))] : [];
    MEMBERS.set(key, members);
  }
  return members;
}

function describe(ref: TypeRef): string {
  if (ref.primitive === 'string') return 'a string';
  if (ref.primitive === 'number') return 'a number';
  if (ref.primitive === 'boolean') return 'true or false';
  if (ref.collection) return `${ref.collection.kind === 'array' ? 'a list' : 'a map'} of ${describe(ref.collection.elementtype).replace(/^an? /, '')}s`;
  if (ref.union) return ref.union.types.map(describe).join(' or ');
  if (ref.fqn && EXTERNAL[ref.fqn]) return EXTERNAL[ref.fqn].what;
  const t = ref.fqn ? types()?.[ref.fqn] : undefined;
  if (t?.kind === 'interface' && t.datatype) return `an object (${t.name})`;
  const name = t?.name ?? ref.fqn?.split('.').pop() ?? 'value';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

// The public instance methods and required properties of a class or interface, once per type.
const INSTANCE_SHAPES = new Map<string, { methods: string[]; properties: string[] }>();
function instanceShape(fqn: string): { methods: string[]; properties: string[] } {
  let shape = INSTANCE_SHAPES.get(fqn);
  if (!shape) {
    shape = {
      methods: allMembers(fqn, 'methods').filter(m => !m.static && !m.protected).map(m => m.name),
      properties: allMembers(fqn, 'properties').filter(p => !p.static && !p.protected && !p.optional).map(p => p.name),
    };
    INSTANCE_SHAPES.set(fqn, shape);
  }
  return shape;
}

type Mismatch = { at: string; value: unknown; ref: TypeRef; problem?: string };

const isPlainObject = (v: unknown): v is { [key: string]: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v);

// The destination rule of a prop (PROP_DESTINATIONS): over a string, each string of a list, or a map's keys and
// values.
function destinationMismatch(owner: string, name: string, value: unknown, at: string): Mismatch | undefined {
  const rule = PROP_DESTINATIONS[`${owner}.${name}`];
  if (!rule) return undefined;
  const problemOf = (r: Rule | undefined, v: unknown) => (r && typeof v === 'string' && !isUnresolvedToken(v) ? r(v) : undefined);
  if (typeof rule !== 'function') {
    for (const [key, v] of Object.entries(isPlainObject(value) ? value : {})) {
      const keyProblem = problemOf(rule.key, key);
      if (keyProblem) return { at, value: key, ref: {}, problem: keyProblem };
      const valueProblem = problemOf(rule.value, v);
      if (valueProblem) return { at: `${at}["${key}"]`, value: v, ref: {}, problem: valueProblem };
    }
    return undefined;
  }
  const strings: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [`${at}[${i}]`, v]) : [[at, value]];
  for (const [where, v] of strings) {
    const problem = problemOf(rule, v);
    if (problem) return { at: where, value: v, ref: {}, problem };
  }
  return undefined;
}

// A quantity as its rule reads it (a number; a Size in MiB, a Cpu in millicores, a Duration in milliseconds) and
// as an error quotes it (a Duration in seconds, a Size as "<n>Mi", a Cpu as its amount), or undefined when a
// conversion itself fails (a Size of no whole KiB).
function quantityOf(type: string, value: any): { amount: number; shown: unknown } | undefined {
  try {
    if (type === 'number') return { amount: value, shown: value };
    if (type === 'cdk8s.Size') return { amount: value.toKibibytes() / 1024, shown: `${value.toKibibytes() / 1024}Mi` };
    if (type === 'cdk8s-plus-33.Cpu') return { amount: cpuMillisOf(value.amount), shown: value.amount };
    if (type === 'cdk8s.Duration') return { amount: value.toMilliseconds(), shown: value.toMilliseconds() / 1000 };
  } catch {
    return { amount: NaN, shown: String(value) };
  }
  return undefined;
}

// Numbers and quantities (QUANTITY_DEFAULTS by type, QUANTITY_EXCEPTIONS by prop).
function quantityMismatch(owner: string, name: string, ref: TypeRef, value: unknown, at: string): Mismatch | undefined {
  const type = ref.primitive ?? ref.fqn ?? '';
  const rule = QUANTITY_EXCEPTIONS[`${owner}.${name}`] ?? QUANTITY_DEFAULTS[type];
  const quantity = rule && value !== undefined ? quantityOf(type, value) : undefined;
  if (!rule || !quantity) return undefined;
  const problem = Number.isNaN(quantity.amount) ? 'must be a whole number of its unit' : rule.problem(quantity.amount);
  return problem ? { at, value: quantity.shown, ref, problem } : undefined;
}

function firstMismatch(ref: TypeRef, value: unknown, at: string): Mismatch | undefined {
  const bad = { at, value, ref };
  if (ref.primitive === 'any' || ref.primitive === 'json') return undefined;
  if (ref.primitive === 'string') return typeof value === 'string' ? undefined : bad;
  if (ref.primitive === 'number') return typeof value === 'number' && Number.isFinite(value) ? undefined : bad;
  if (ref.primitive === 'boolean') return typeof value === 'boolean' ? undefined : bad;
  if (ref.primitive === 'date') return value instanceof Date ? undefined : bad;
  if (ref.union) return ref.union.types.some(t => !firstMismatch(t, value, at)) ? undefined : bad;
  if (ref.collection?.kind === 'array') {
    if (!Array.isArray(value)) return bad;
    for (let i = 0; i < value.length; i++) {
      const inner = firstMismatch(ref.collection.elementtype, value[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return undefined;
  }
  if (ref.collection?.kind === 'map') {
    if (!isPlainObject(value)) return bad;
    for (const [key, v] of Object.entries(value)) {
      const inner = firstMismatch(ref.collection.elementtype, v, `${at}["${key}"]`);
      if (inner) return inner;
    }
    return undefined;
  }
  const fqn = ref.fqn ?? '';
  if (EXTERNAL[fqn]) return EXTERNAL[fqn].test(value) ? undefined : bad;
  const t = types()?.[fqn];
  // Another library's type the library does not read itself (cdk8s-plus' L1 structs, aws-cdk-lib's): not here.
  if (!t) return undefined;
  if (t.kind === 'enum') return typeof value === 'string' || typeof value === 'number' ? undefined : bad;
  if (t.kind === 'interface' && t.datatype) return isPlainObject(value) ? structMismatch(fqn, value, at) : bad;
  // A class or behavioural interface of the library's: an object with its public methods. A class's instances are
  // made by its constructor or factories, never an object literal.
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad;
  if (t.kind === 'class' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) return bad;
  const { methods, properties } = instanceShape(fqn);
  // Required properties are looked up, never read (a getter may compute).
  return methods.every(m => typeof (value as any)[m] === 'function') && properties.every(p => p in (value as object)) ? undefined : bad;
}

function structMismatch(fqn: string, value: { [key: string]: unknown }, at: string): Mismatch | undefined {
  for (const prop of allMembers(fqn, 'properties')) {
    const v = value[prop.name];
    const where = at ? `${at}.${prop.name}` : prop.name;
    if (v === undefined && prop.optional) continue;
    const inner = firstMismatch(prop.type!, v, where) ?? destinationMismatch(prop.owner, prop.name, v, where)
      ?? quantityMismatch(prop.owner, prop.name, prop.type!, v, where);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Throws the usual error when `value`, given where the public API takes the struct `struct` (its name, e.g.
 * `SparkJobProps`, or `aws.SparkEksClusterProps`) as the parameter `param`, or any prop of it at any depth, does
 * not have the shape its type declares: the prop as the user spelled it (`executor.memory`), the value, and the
 * type expected. Props the struct does not declare are left to the checks that know them.
 */
export function checkShape(where: IConstruct | string, struct: string, value: unknown, param: string, optional = false): void {
  if (!types() || (optional && value === undefined)) return;
  const fqn = PREFIX + struct;
  const mismatch = isPlainObject(value) ? structMismatch(fqn, value, '') : { at: param, value, ref: { fqn } };
  if (!mismatch) return;
  const missing = mismatch.value === undefined;
  const allowed = mismatch.problem ?? (missing ? `is required: ${describe(mismatch.ref)}` : `must be ${describe(mismatch.ref)}`);
  throw invalidProp(where, mismatch.at, mismatch.value, allowed);
}

/**
 * Throws the usual error when an argument of the public method `method` of `cls` (as the assembly names them,
 * e.g. `NetworkPeer`, `ipBlock`) does not have the shape its parameter's type declares: the parameter by name, the
 * value, the type expected. `args` are the arguments in order; struct arguments are left to `checkShape`.
 */
export function checkArgs(where: IConstruct | string, cls: string, method: string, args: unknown[]): void {
  const parameters = allMembers(PREFIX + cls, 'methods').find(m => m.name === method)?.parameters ?? [];
  parameters.forEach((parameter, i) => {
    const value = args[i];
    if (value === undefined && parameter.optional) return;
    // A struct is checkShape's, where the method knows the path of what it builds.
    const t = parameter.type.fqn ? types()?.[parameter.type.fqn] : undefined;
    if (t?.kind === 'interface' && t.datatype) return;
    const mismatch = firstMismatch(parameter.type, value, parameter.name);
    if (!mismatch) return;
    const allowed = mismatch.problem ?? (value === undefined ? `is required: ${describe(mismatch.ref)}` : `must be ${describe(mismatch.ref)}`);
    throw invalidProp(where, mismatch.at, mismatch.value, allowed);
  });
}
