import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IJobNamespace } from './interfaces';
import { SyncWave } from '../delivery';
import { checkCron, checkInteger, checkOneOf, checkShape, checkTimeZone } from '../validation';
import { SparkApplicationSpec } from './private/spark-application-spec';
import { SparkApplicationOptions } from './spark-application-options';

/**
 * What the operator does when a scheduled run is due while the previous one still runs.
 */
export enum ConcurrencyPolicy {
  /** Skip the new run. */
  FORBID = 'Forbid',
  /** Start the new run beside the old one. */
  ALLOW = 'Allow',
  /** Stop the old run and start the new one. */
  REPLACE = 'Replace',
}

/**
 * Options for `JobNamespace.addScheduledJob()`.
 */
export interface ScheduledSparkJobOptions extends SparkApplicationOptions {
  /**
   * When the job runs: a 5-field cron schedule (minute hour day-of-month month day-of-week) or a descriptor
   * such as `@daily`, read in `timeZone`.
   */
  readonly schedule: string;

  /**
   * The IANA time zone of the schedule.
   *
   * @default 'UTC'
   */
  readonly timeZone?: string;

  /**
   * What happens when a run is due while the previous one still runs.
   *
   * @default ConcurrencyPolicy.FORBID
   */
  readonly concurrencyPolicy?: ConcurrencyPolicy;

  /**
   * How many successful runs' SparkApplications are kept.
   *
   * @default 3
   */
  readonly successfulRunHistoryLimit?: number;

  /**
   * How many failed runs' SparkApplications are kept.
   *
   * @default 3
   */
  readonly failedRunHistoryLimit?: number;

  /**
   * Whether the schedule is suspended (no new runs start).
   *
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * Properties of a `ScheduledSparkJob`.
 */
export interface ScheduledSparkJobProps extends ScheduledSparkJobOptions {
  /**
   * The job namespace the job runs in.
   */
  readonly namespace: IJobNamespace;
}

/**
 * A Spark job run on a schedule, rendered as a Spark Operator `ScheduledSparkApplication`: each run is a
 * SparkApplication built from the same derived spec as a `SparkJob` (placement, event logs, spot resilience,
 * metrics, service account).
 */
export class ScheduledSparkJob extends Construct {
  /** The scheduled job's name. */
  public readonly name: string;
  /** The job's namespace. */
  public readonly namespace: IJobNamespace;
  /** The ScheduledSparkApplication. */
  public readonly apiObject: ApiObject;
  /** The cron schedule. */
  public readonly schedule: string;
  /** The schedule's time zone. */
  public readonly timeZone: string;

  public constructor(scope: Construct, id: string, props: ScheduledSparkJobProps) {
    super(scope, id);
    checkShape(this, 'ScheduledSparkJobProps', props, 'props');
    this.namespace = props.namespace;
    const spec = new SparkApplicationSpec(this, props, props.name ?? id, SparkApplicationSpec.SCHEDULED_NAME_MAX);
    this.name = spec.name;
    this.schedule = checkCron(this, 'schedule', props.schedule);
    this.timeZone = checkTimeZone(this, 'timeZone', props.timeZone ?? 'UTC');
    const concurrencyPolicy = checkOneOf(this, 'concurrencyPolicy', props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID, Object.values(ConcurrencyPolicy));
    const successful = checkInteger(this, 'successfulRunHistoryLimit', props.successfulRunHistoryLimit ?? 3, 0);
    const failed = checkInteger(this, 'failedRunHistoryLimit', props.failedRunHistoryLimit ?? 3, 0);
    props.namespace._registerJob(this.name, this);

    this.apiObject = spec.renderApiObject('ScheduledSparkApplication', () => ({
      schedule: this.schedule,
      timeZone: this.timeZone,
      concurrencyPolicy,
      successfulRunHistoryLimit: successful,
      failedRunHistoryLimit: failed,
      suspend: props.suspend ?? false,
      template: spec.render(),
    }));
    // A change to a ScheduledSparkApplication affects future runs only (its update filter invalidates nothing).
    SyncWave.markCustomResource(this.apiObject);
  }
}
