import { IConstruct } from 'constructs';
import { invalidProp } from '../core';

/** The Spark major versions the library knows the S3A and metrics settings of. */
const SUPPORTED_MAJORS = [3, 4];

/** Validates a Spark version ("3.5.5") and returns its major version. */
export function sparkMajorVersion(where: IConstruct | string, prop: string, version: string): number {
  const match = typeof version === 'string' ? /^([0-9]+)\.([0-9]+)\.([0-9]+)$/.exec(version) : null;
  if (!match) throw invalidProp(where, prop, version, 'must be a Spark release version "major.minor.patch", e.g. "3.5.5" or "4.0.1"');
  const major = Number(match[1]);
  if (!SUPPORTED_MAJORS.includes(major)) {
    throw invalidProp(where, prop, version, `Spark ${major}.x is not supported: supported majors are ${SUPPORTED_MAJORS.join(', ')}`);
  }
  return major;
}
