import { Size } from 'cdk8s';
import { checkArgs, invalidProp } from '../validation';

// JVM memory strings as Spark reads them (JavaUtils.byteStringAs): digits and a unit, no spaces.
const SPARK_SIZE = /^[1-9][0-9]*(k|m|g|t|kb|mb|gb|tb)$/i;

/**
 * An amount of memory for a Spark driver or executor: a cdk8s `Size` or a Spark size string ("512m", "4g").
 *
 * @example
 *
 * SparkMemory.of('4g');
 * SparkMemory.fromSize(Size.gibibytes(4));
 */
export class SparkMemory {
  /**
   * A Spark size string: a positive integer and a unit k, m, g or t (kb, mb, gb, tb also accepted), no spaces.
   * The construct that uses it validates it and names itself in the error.
   */
  public static of(value: string): SparkMemory {
    checkArgs('SparkMemory.of', 'SparkMemory', 'of', [value]);
    return new SparkMemory(value);
  }

  /** A cdk8s `Size`, rendered in whole mebibytes. */
  public static fromSize(size: Size): SparkMemory {
    checkArgs('SparkMemory.fromSize', 'SparkMemory', 'fromSize', [size]);
    const mebibytes = size.toMebibytes();
    return new SparkMemory(Number.isInteger(mebibytes) ? `${mebibytes}m` : `${size.toKibibytes()}k`);
  }

  /** The Spark size string. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }

  /** Why the value is not a Spark size string, or undefined when it is one. */
  public get problem(): string | undefined {
    return typeof this.value === 'string' && SPARK_SIZE.test(this.value)
      ? undefined
      : 'must be a Spark size: a positive integer and a unit k, m, g or t, without spaces (e.g. "512m", "4g")';
  }

  /** The amount in mebibytes. */
  public toMebibytes(): number {
    const match = /^([0-9]+)([kmgt])b?$/i.exec(this.value);
    if (!match) throw invalidProp('SparkMemory', 'value', this.value, this.problem!);
    const factor: { [unit: string]: number } = { k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };
    return Number(match[1]) * factor[match[2].toLowerCase()];
  }
}
