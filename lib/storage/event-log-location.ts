import { S3Location } from './s3-location';
import { checkShape } from '../validation';

/**
 * Properties of an `EventLogLocation`.
 */
export interface EventLogLocationProps {
  /**
   * The bucket's name. An unresolved AWS CDK token is accepted as is.
   */
  readonly bucketName: string;

  /**
   * The key prefix of the event logs, without leading or trailing '/'.
   *
   * @default 'spark-events'
   */
  readonly prefix?: string;

  /**
   * The AWS partition of the bucket, for ARNs.
   *
   * @default 'aws'
   */
  readonly partition?: string;
}

/**
 * The one S3 location where every Spark job of the platform writes its event logs and the Spark History
 * Server reads them. Jobs take `spark.eventLog.dir` from it, the history server
 * `spark.history.fs.logDirectory`, and the AWS side the IAM resources and the prefix it creates at deploy
 * time (Spark fails when the log directory does not exist).
 *
 * @example
 *
 * const eventLogs = new EventLogLocation({ bucketName: 'acme-spark-platform', prefix: 'spark/event-logs' });
 */
export class EventLogLocation extends S3Location {
  /** The default prefix of event logs in the platform bucket. */
  public static readonly DEFAULT_PREFIX = 'spark-events';

  public constructor(props: EventLogLocationProps) {
    checkShape('EventLogLocation', 'EventLogLocationProps', props, 'props');
    super({ ...props, prefix: props.prefix ?? EventLogLocation.DEFAULT_PREFIX });
  }
}
