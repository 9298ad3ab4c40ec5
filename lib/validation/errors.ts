import { IConstruct } from 'constructs';

// The one shape of every error the library reports: where (a construct path, or a value object such as
// `NodePool "spark-spot"`), then either the prop as the user spelled it, the bad value and what is allowed
// (`invalidProp`), or what is wired wrong and what to do (`wiringProblem`, for checks across objects at synth).

/**
 * Where a bad value was given: a construct (named by its path) or a plain value object such as a `NodePool`
 * (named by its kind and name), so every error message says where to look.
 */
export function locationOf(where: IConstruct | string): string {
  return typeof where === 'string' ? where : where.node.path || '<root>';
}

/** Renders a value the way a user typed it, so the error can quote it back. */
export function quote(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * The message of a bad prop: `platform/jobs/etl: invalid prop "executor.instances" 0: must be an integer >= 1`.
 */
export function invalidPropMessage(where: IConstruct | string, prop: string, value: unknown, allowed: string): string {
  return `${locationOf(where)}: invalid prop "${prop}" ${quote(value)}: ${allowed}`;
}

/** The error every construct-time check throws: the location, the prop, the bad value and what is allowed. */
export function invalidProp(where: IConstruct | string, prop: string, value: unknown, allowed: string): Error {
  return new Error(invalidPropMessage(where, prop, value, allowed));
}

/**
 * The message of a check across objects (a `node.addValidation` error): where, what is wired wrong, what to do.
 */
export function wiringProblem(where: IConstruct | string, problem: string): string {
  return `${locationOf(where)}: ${problem}`;
}

/** Throws unless `value` is one of `allowed` (the values of an enum). */
export function checkOneOf<T>(where: IConstruct | string, prop: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw invalidProp(where, prop, value, `allowed: ${allowed.join(', ')}`);
  return value;
}

/**
 * Throws unless `value` is a list whose every element `isElement` accepts: what a plain JavaScript caller may
 * pass instead (a string, an object, `undefined` in the list) fails with the usual error, never a TypeError.
 */
export function checkList<T>(where: IConstruct | string, prop: string, value: unknown, isElement: (element: unknown) => boolean, what: string): T[] {
  if (!Array.isArray(value)) throw invalidProp(where, prop, value, `must be a list of ${what}`);
  value.forEach((element, i) => {
    if (!isElement(element)) throw invalidProp(where, `${prop}[${i}]`, element, `must be ${what.replace(/s$/, '')}`);
  });
  return value as T[];
}
