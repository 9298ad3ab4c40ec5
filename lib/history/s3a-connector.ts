import { IConstruct } from 'constructs';
import { awsSdkMajorOf, checkHadoopVersion } from '../spark/internal';
import { checkShape, invalidProp } from '../validation';

/**
 * The AWS SDK hadoop-aws of each Hadoop release was built and tested with (hadoop-project/pom.xml):
 * Hadoop 3.3.4 `aws-java-sdk.version` 1.12.262 (HADOOP-18344), Hadoop 3.4.1 `aws.sdk.v2.version` 2.24.6
 * (HADOOP-19082). Other releases: give the versions.
 */
const SDK_V1 = { group: 'com/amazonaws', artifact: 'aws-java-sdk-bundle', version: '' };
const SDK_V2 = { group: 'software/amazon/awssdk', artifact: 'bundle', version: '' };
const AWS_SDK_OF_HADOOP: { readonly [hadoopVersion: string]: { group: string; artifact: string; version: string } } = {
  '3.3.4': { ...SDK_V1, version: '1.12.262' },
  '3.4.1': { ...SDK_V2, version: '2.24.6' },
};

/**
 * Options of `S3AConnector.fromMavenRepository()`.
 */
export interface MavenS3AConnectorOptions {
  /**
   * The Maven repository (a mirror, or an internal repository proxying Maven Central).
   *
   * @default 'https://repo1.maven.org/maven2'
   */
  readonly repositoryUrl?: string;

  /**
   * The version of the AWS SDK bundle, for a Hadoop release the library does not know.
   *
   * @default - the version hadoop-aws of that release was built with (Hadoop 3.3.4: 1.12.262, 3.4.1: 2.24.6)
   */
  readonly awsSdkVersion?: string;

  /**
   * The SHA-256 of `hadoop-aws-<version>.jar`, pinned: the download must match it.
   *
   * @default - the jar is checked against the `.sha1` file the repository publishes beside it
   */
  readonly hadoopAwsSha256?: string;

  /**
   * The SHA-256 of the AWS SDK bundle jar, pinned: the download must match it.
   *
   * @default - the jar is checked against the `.sha1` file the repository publishes beside it
   */
  readonly awsSdkSha256?: string;
}

/** One jar the init container fetches. */
export interface S3AJar {
  /** The jar's file name. */
  readonly fileName: string;
  /** Its URL. */
  readonly url: string;
  /** Its pinned SHA-256, if any. */
  readonly sha256?: string;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * How a Spark process gets the S3A connector (`hadoop-aws` and the AWS SDK bundle), which the `apache/spark`
 * images do not carry: fetched from a Maven repository by an init container before Spark starts, checked, or
 * already in the image.
 */
export class S3AConnector {
  /**
   * Fetched from a Maven repository (Maven Central by default) at the versions matching the image's Hadoop, each
   * jar checked before Spark starts: against the SHA-256 you pin, or else against the `.sha1` file the
   * repository publishes beside it (a check against corruption and truncation in transit, from the same source:
   * pin the SHA-256, or use your own mirror or image, to trust less).
   */
  public static fromMavenRepository(options: MavenS3AConnectorOptions = {}): S3AConnector {
    checkShape('S3AConnector.fromMavenRepository', 'MavenS3AConnectorOptions', options, 'options', true);
    return new S3AConnector(options);
  }

  /** The image already has `hadoop-aws` and the AWS SDK on Spark's classpath (your own image). */
  public static inImage(): S3AConnector {
    return new S3AConnector(undefined);
  }

  /**
   * The init container's script: fetch each jar into the current directory and check it (its pinned SHA-256,
   * else the repository's `.sha1`); any failure fails the init container, so Spark never starts without the
   * connector or with a corrupt one.
   *
   * @internal
   */
  public static _fetchScript(jars: S3AJar[]): string {
    const lines = [
      'set -eu',
      'fetch() {',
      '  wget -nv -O "$2" "$1"',
      '  if [ -n "$3" ]; then',
      '    echo "$3  $2" | sha256sum -c -',
      '  else',
      '    wget -q -O "$2.sha1" "$1.sha1"',
      '    echo "$(cut -c1-40 "$2.sha1")  $2" | sha1sum -c -',
      '    rm -f "$2.sha1"',
      '  fi',
      '}',
      ...jars.map(jar => `fetch '${jar.url}' '${jar.fileName}' '${jar.sha256 ?? ''}'`),
    ];
    return lines.join('\n');
  }

  private constructor(private readonly maven: MavenS3AConnectorOptions | undefined) {}

  /** Whether an init container fetches the jars. */
  public get fetched(): boolean {
    return this.maven !== undefined;
  }

  /**
   * The jars to fetch for a Hadoop version, checked.
   *
   * @internal
   */
  public _jars(where: IConstruct, hadoopVersion: string): S3AJar[] {
    const maven = this.maven;
    if (!maven) return [];
    const repository = (maven.repositoryUrl ?? 'https://repo1.maven.org/maven2').replace(/\/$/, '');
    if (!/^https:\/\/[^\s]+$/.test(repository)) {
      throw invalidProp(where, 's3aConnector.repositoryUrl', maven.repositoryUrl, 'must be an https URL of a Maven repository');
    }
    checkHadoopVersion(where, 'hadoopVersion', hadoopVersion);
    const known = AWS_SDK_OF_HADOOP[hadoopVersion];
    if (!known && !maven.awsSdkVersion) {
      throw invalidProp(where, 'hadoopVersion', hadoopVersion, 'is the image\'s Hadoop (from sparkVersion, or given), whose AWS SDK the library does not know (known: Hadoop '
        + `${Object.keys(AWS_SDK_OF_HADOOP).join(', ')}): give s3aConnector awsSdkVersion, or an image with the connector (S3AConnector.inImage())`);
    }
    // hadoop-aws uses the AWS SDK v1 bundle up to Hadoop 3.3, the v2 bundle from 3.4.
    const sdk = known ?? (awsSdkMajorOf(hadoopVersion) >= 2 ? SDK_V2 : SDK_V1);
    const sdkVersion = maven.awsSdkVersion ?? sdk.version;
    for (const [prop, sha] of [['s3aConnector.hadoopAwsSha256', maven.hadoopAwsSha256], ['s3aConnector.awsSdkSha256', maven.awsSdkSha256]] as const) {
      if (sha !== undefined && !SHA256.test(sha)) throw invalidProp(where, prop, sha, 'must be a SHA-256: 64 lower-case hexadecimal digits');
    }
    return [
      {
        fileName: `hadoop-aws-${hadoopVersion}.jar`,
        url: `${repository}/org/apache/hadoop/hadoop-aws/${hadoopVersion}/hadoop-aws-${hadoopVersion}.jar`,
        sha256: maven.hadoopAwsSha256,
      },
      {
        fileName: `${sdk.artifact}-${sdkVersion}.jar`,
        url: `${repository}/${sdk.group}/${sdk.artifact}/${sdkVersion}/${sdk.artifact}-${sdkVersion}.jar`,
        sha256: maven.awsSdkSha256,
      },
    ];
  }
}
