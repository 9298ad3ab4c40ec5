import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkInteger, checkOneOf, checkShape } from '../validation';

/**
 * Which failures a retry strategy retries (Argo's `retryPolicy`).
 */
export enum RetryPolicy {
  /** Failed steps (the Spark application FAILED). */
  ON_FAILURE = 'OnFailure',
  /** Errored steps (the step could not run: an API error, a missing resource). */
  ON_ERROR = 'OnError',
  /** Transient errors only (e.g. the API server was unreachable). */
  ON_TRANSIENT_ERROR = 'OnTransientError',
  /** Both failures and errors. */
  ALWAYS = 'Always',
}

/**
 * Options of a `PipelineRetry`.
 */
export interface PipelineRetryOptions {
  /**
   * How many times a step is retried.
   *
   * @default 2
   */
  readonly limit?: number;

  /**
   * What is retried.
   *
   * @default RetryPolicy.ALWAYS
   */
  readonly policy?: RetryPolicy;

  /**
   * The wait before the first retry.
   *
   * @default Duration.minutes(1)
   */
  readonly backoff?: Duration;

  /**
   * What each wait is multiplied by.
   *
   * @default 2
   */
  readonly backoffFactor?: number;

  /**
   * The longest wait between two tries.
   *
   * @default Duration.minutes(10)
   */
  readonly maxBackoff?: Duration;
}

/**
 * How a pipeline retries a failed step: a new try creates a new SparkApplication after an exponential backoff.
 * Retries live here, not in the Spark Operator: a pipeline step's SparkApplication does not restart itself
 * (`RestartPolicy.never()` unless the job says otherwise), so one place counts the tries.
 */
export class PipelineRetry {
  /** No retry: a failed step fails the pipeline. */
  public static none(): PipelineRetry {
    return new PipelineRetry(undefined);
  }

  /** Retry with exponential backoff. */
  public static withBackoff(options: PipelineRetryOptions = {}): PipelineRetry {
    checkShape('PipelineRetry.withBackoff', 'PipelineRetryOptions', options, 'options', true);
    return new PipelineRetry(options);
  }

  private constructor(private readonly options: PipelineRetryOptions | undefined) {}

  /** @internal */
  public _render(where: IConstruct, prop: string): { [key: string]: any } | undefined {
    const o = this.options;
    if (!o) return undefined;
    const seconds = (name: string, duration: Duration) => `${checkInteger(where, `${prop}.${name}`, duration.toSeconds(), 1)}s`;
    return {
      limit: checkInteger(where, `${prop}.limit`, o.limit ?? 2, 1),
      retryPolicy: checkOneOf(where, `${prop}.policy`, o.policy ?? RetryPolicy.ALWAYS, Object.values(RetryPolicy)),
      backoff: {
        duration: seconds('backoff', o.backoff ?? Duration.minutes(1)),
        factor: checkInteger(where, `${prop}.backoffFactor`, o.backoffFactor ?? 2, 1),
        cap: seconds('maxBackoff', o.maxBackoff ?? Duration.minutes(10)),
      },
    };
  }
}
