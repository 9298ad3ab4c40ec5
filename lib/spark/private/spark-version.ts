import { IConstruct } from 'constructs';
import { invalidProp } from '../../validation';

// The Hadoop each Spark release line bundles (apache/spark pom.xml `hadoop.version`): it decides which
// hadoop-aws and AWS SDK the image needs for S3A, and so S3A's credential provider classes.
// 3.3: SPARK-37600; 3.4 and 3.5: 3.3.4 (branch-3.5 pom.xml); 4.0: SPARK-49550 (Hadoop 3.4.1); 4.1: 3.4.2.
const BUNDLED_HADOOP: { readonly [sparkMinor: string]: string } = {
  '3.3': '3.3.2',
  '3.4': '3.3.4',
  '3.5': '3.3.4',
  '4.0': '3.4.1',
  '4.1': '3.4.2',
};

const VERSION = /^([0-9]+)\.([0-9]+)\.([0-9]+)$/;

/** Validates a Spark version ("3.5.5") that the library knows the bundled Hadoop of. */
export function checkSparkVersion(where: IConstruct | string, prop: string, version: string, hadoopVersionGiven: boolean): string {
  const match = typeof version === 'string' ? VERSION.exec(version) : null;
  if (!match) throw invalidProp(where, prop, version, 'must be a Spark release version "major.minor.patch", e.g. "3.5.5" or "4.0.1"');
  if (!hadoopVersionGiven && !BUNDLED_HADOOP[`${match[1]}.${match[2]}`]) {
    throw invalidProp(where, prop, version, `the library knows the Hadoop bundled with Spark ${Object.keys(BUNDLED_HADOOP).join(', ')}: `
      + 'give hadoopVersion (the Hadoop of the image\'s hadoop-aws) for other releases');
  }
  return version;
}

/** Validates a Hadoop version ("3.3.4"). */
export function checkHadoopVersion(where: IConstruct | string, prop: string, version: string): string {
  const match = typeof version === 'string' ? VERSION.exec(version) : null;
  if (!match || Number(match[1]) !== 3) throw invalidProp(where, prop, version, 'must be a Hadoop 3 release version "3.minor.patch", e.g. "3.3.4" or "3.4.1"');
  return version;
}

/** The Hadoop version a Spark release bundles ("3.5.5" -> "3.3.4"). */
export function bundledHadoopVersion(sparkVersion: string): string {
  const [major, minor] = sparkVersion.split('.');
  const hadoop = BUNDLED_HADOOP[`${major}.${minor}`];
  if (!hadoop) throw invalidProp('Spark', 'sparkVersion', sparkVersion, `the library knows the Hadoop bundled with Spark ${Object.keys(BUNDLED_HADOOP).join(', ')}`);
  return hadoop;
}

/** The AWS SDK major version hadoop-aws of a Hadoop release uses: 1 up to Hadoop 3.3, 2 from 3.4 (HADOOP-18073). */
export function awsSdkMajorOf(hadoopVersion: string): number {
  const minor = Number(hadoopVersion.split('.')[1]);
  return minor >= 4 ? 2 : 1;
}
