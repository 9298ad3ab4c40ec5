import { checkArgs, checkAwsPartition, checkShape, invalidProp, isUnresolvedToken } from '../validation';

/**
 * Properties of an `S3Location`.
 */
export interface S3LocationProps {
  /**
   * The bucket's name (S3 naming rules: 3 to 63 characters of lower-case letters, digits, '.' and '-').
   * An unresolved AWS CDK token is accepted as is.
   */
  readonly bucketName: string;

  /**
   * The key prefix inside the bucket, without leading or trailing '/'.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;

  /**
   * The AWS partition of the bucket, for ARNs: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f,
   * aws-eusc, or a token such as `Aws.PARTITION`.
   *
   * @default 'aws'
   */
  readonly partition?: string;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d+\.\d+\.\d+\.\d+$/;

/**
 * A place in S3: a bucket and a key prefix. It gives every form the platform needs from one value: the
 * `s3a://` URI for Spark and Hadoop, the `s3://` URI, and the ARNs for IAM policies, so a bucket or a prefix
 * is never retyped.
 */
export class S3Location {
  /** Why `bucketName` breaks S3's bucket naming rules, or undefined when it is valid. */
  public static bucketNameProblem(bucketName: string): string | undefined {
    checkArgs('S3Location.bucketNameProblem', 'S3Location', 'bucketNameProblem', [bucketName]);
    if (typeof bucketName !== 'string') return 'must be a string';
    if (isUnresolvedToken(bucketName)) return undefined;
    if (!BUCKET_NAME.test(bucketName)) {
      return 'must be 3 to 63 characters of lower-case letters, digits, \'.\' and \'-\', starting and ending with a letter or digit';
    }
    if (bucketName.includes('..')) return 'must not contain two adjacent periods';
    if (IP_ADDRESS.test(bucketName)) return 'must not be formatted as an IP address';
    if (bucketName.startsWith('xn--') || bucketName.startsWith('sthree-')) return 'must not start with "xn--" or "sthree-"';
    if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(bucketName)) return 'must not end with a suffix S3 reserves (-s3alias, --ol-s3, --x-s3, --table-s3)';
    return undefined;
  }

  /**
   * Why `prefix` is no key prefix a location can have, or undefined when it is one ('' is the whole bucket). Each
   * caller reports it against its own prop (`readPrefixes[0]`, `eventLogPrefix`).
   */
  public static prefixProblem(prefix: string): string | undefined {
    checkArgs('S3Location.prefixProblem', 'S3Location', 'prefixProblem', [prefix]);
    if (typeof prefix !== 'string' || prefix.startsWith('/') || prefix.endsWith('/') || prefix.includes('//') || /[*?\s]/.test(prefix)) {
      return 'must be a key prefix without leading or trailing \'/\', empty path segments, wildcards or spaces, e.g. "spark/event-logs"';
    }
    if (prefix.length > 900) return 'must be at most 900 characters (S3 keys are at most 1024)';
    // Hadoop reads an s3a:// URI through java.net.URI and org.apache.hadoop.fs.Path: "#" starts a fragment (the key
    // is cut there), "%" starts an escape (the key is decoded into another), "." and ".." segments are normalized
    // away (the prefix becomes another, possibly a parent: a wider grant), ":" in a segment is "Relative path in
    // absolute URI", and a backslash or a control character is no URI character.
    const hadoopProblem = /[#%\\\u0000-\u001f\u007f]/.test(prefix) ? 'holds "#", "%", "\\" or a control character, which Hadoop reads as a fragment, an escape or not at all'
      : prefix.split('/').some(s => s === '.' || s === '..') ? 'holds a "." or ".." segment, which Hadoop normalizes into another prefix (a wider grant)'
        : prefix.split('/').some(s => s.includes(':')) ? 'holds ":" in a segment, which Hadoop\'s Path refuses ("Relative path in absolute URI")' : undefined;
    return hadoopProblem ? `${hadoopProblem}: use letters, digits, "-", "_", "." inside names and "/" between them, e.g. "curated/sessions"` : undefined;
  }

  /** The bucket's name. */
  public readonly bucketName: string;
  /** The key prefix, without leading or trailing '/' ('' for the whole bucket). */
  public readonly prefix: string;
  /** The AWS partition, for ARNs. */
  public readonly partition: string;

  public constructor(props: S3LocationProps) {
    checkShape('S3Location', 'S3LocationProps', props, 'props');
    // The class the user constructed (EventLogLocation extends this one).
    const where = new.target.name;
    const bucketProblem = S3Location.bucketNameProblem(props.bucketName);
    if (bucketProblem) throw invalidProp(where, 'bucketName', props.bucketName, bucketProblem);
    const prefix = props.prefix ?? '';
    const prefixProblem = S3Location.prefixProblem(prefix);
    if (prefixProblem) throw invalidProp(where, 'prefix', prefix, prefixProblem);
    this.bucketName = props.bucketName;
    this.prefix = prefix;
    this.partition = checkAwsPartition(where, 'partition', props.partition ?? 'aws');
  }

  /** A location below this one (`<prefix>/<subPrefix>`). */
  public child(subPrefix: string): S3Location {
    checkArgs('S3Location.child', 'S3Location', 'child', [subPrefix]);
    return new S3Location({ bucketName: this.bucketName, prefix: this.prefix ? `${this.prefix}/${subPrefix}` : subPrefix, partition: this.partition });
  }

  /** The Hadoop S3A URI, as Spark settings want it: `s3a://<bucket>/<prefix>`. */
  public get s3aUri(): string {
    return `s3a://${this.bucketName}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  /** The S3 URI: `s3://<bucket>/<prefix>`. */
  public get s3Uri(): string {
    return `s3://${this.bucketName}${this.prefix ? `/${this.prefix}` : ''}`;
  }

  /** The key prefix as a folder (`<prefix>/`, or '' for the whole bucket), for `s3:prefix` conditions. */
  public get keyPrefix(): string {
    return this.prefix ? `${this.prefix}/` : '';
  }

  /** The bucket's ARN, for bucket-level actions such as `s3:ListBucket`. */
  public get bucketArn(): string {
    return `arn:${this.partition}:s3:::${this.bucketName}`;
  }

  /** The ARN matching every object under the prefix, for object-level actions such as `s3:GetObject`. */
  public get objectsArn(): string {
    return `${this.bucketArn}/${this.keyPrefix}*`;
  }
}
