import { IConstruct } from 'constructs';

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
 * The error every validation in the library throws: the location, the prop, the bad value and what is allowed.
 *
 * e.g. `platform/jobs/etl: invalid prop "executor.instances" 0: must be an integer >= 1`.
 */
export function invalidProp(where: IConstruct | string, prop: string, value: unknown, allowed: string): Error {
  return new Error(`${locationOf(where)}: invalid prop "${prop}" ${quote(value)}: ${allowed}`);
}
