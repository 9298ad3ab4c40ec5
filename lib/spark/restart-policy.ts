import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger, checkShape } from '../validation';

/**
 * Retry settings of a restart policy.
 */
export interface RetryOptions {
  /**
   * How many times a failed run is retried.
   *
   * @default 2
   */
  readonly retries?: number;

  /**
   * How long to wait between a failed run and its retry (whole seconds).
   *
   * @default Duration.minutes(1)
   */
  readonly retryInterval?: Duration;

  /**
   * How many times a failed submission (spark-submit itself failing) is retried.
   *
   * @default 3
   */
  readonly submissionRetries?: number;

  /**
   * How long to wait between a failed submission and its retry (whole seconds).
   *
   * @default Duration.seconds(30)
   */
  readonly submissionRetryInterval?: Duration;
}

/**
 * When the Spark Operator runs a job again (`spec.restartPolicy` of a SparkApplication).
 */
export class RestartPolicy {
  /** Never run again: a failed job stays failed. */
  public static never(): RestartPolicy {
    return new RestartPolicy('Never', undefined);
  }

  /** Run again after a failure (for example after losing the driver's node), up to `retries` times. */
  public static onFailure(options: RetryOptions = {}): RestartPolicy {
    checkShape('RestartPolicy.onFailure', 'RetryOptions', options, 'options', true);
    return new RestartPolicy('OnFailure', options);
  }

  /** Always run again, whether the run failed or succeeded (streaming jobs). */
  public static always(options: RetryOptions = {}): RestartPolicy {
    checkShape('RestartPolicy.always', 'RetryOptions', options, 'options', true);
    return new RestartPolicy('Always', options);
  }

  private constructor(private readonly type: string, private readonly options: RetryOptions | undefined) {}

  /** @internal */
  public _render(where: IConstruct, prop: string): { [key: string]: any } {
    if (!this.options) return { type: this.type };
    const o = this.options;
    return {
      type: this.type,
      onFailureRetries: checkInteger(where, `${prop}.retries`, o.retries ?? 2, 0),
      onFailureRetryInterval: checkInteger(where, `${prop}.retryInterval`, (o.retryInterval ?? Duration.minutes(1)).toSeconds(), 1),
      onSubmissionFailureRetries: checkInteger(where, `${prop}.submissionRetries`, o.submissionRetries ?? 3, 0),
      onSubmissionFailureRetryInterval: checkInteger(where, `${prop}.submissionRetryInterval`,
        (o.submissionRetryInterval ?? Duration.seconds(30)).toSeconds(), 1),
    };
  }
}
