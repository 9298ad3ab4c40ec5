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
