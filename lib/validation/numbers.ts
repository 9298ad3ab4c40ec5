import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/** Throws unless `value` is an integer within [min, max]. */
export function checkInteger(where: IConstruct | string, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalidProp(where, prop, value, `must be an integer ${range}`);
  }
  return value;
}

/** The millicores of a Kubernetes CPU quantity (`3500m`, `2`, `0.5`), or NaN when it is not one. */
export function cpuMillisOf(amount: string): number {
  const match = /^([0-9]+)m$|^([0-9]+(\.[0-9]+)?)$/.exec(String(amount));
  if (!match) return NaN;
  return match[1] !== undefined ? Number(match[1]) : Math.round(Number(match[2]) * 1000);
}
