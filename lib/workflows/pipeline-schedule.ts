import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ISparkPipeline } from './interfaces';
import { SyncWave } from '../delivery';
import { ConcurrencyPolicy } from '../spark';
import { checkCron, checkDns1123Label, checkInteger, checkOneOf, checkShape, checkTimeZone, invalidProp, longestCronGapSeconds } from '../validation';

/**
 * Options of `SparkPipeline.addSchedule()`.
 */
export interface PipelineScheduleOptions {
  /**
   * The schedule's name (the CronWorkflow's): a DNS-1123 label of at most 52 characters (Argo names each run
   * `<name>-<unix time>`, at most 63).
   *
   * @default - `<pipeline>-<construct id>`
   */
  readonly name?: string;

  /**
   * When runs start: 5-field cron schedules (minute hour day-of-month month day-of-week) or descriptors such as
   * `@daily`, read in `timeZone`. A run starts at each time any of them names.
   */
  readonly schedules: string[];

  /**
   * The IANA time zone of the schedules.
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
   * How late a run may still start after its time (after a controller restart, say); later, it is skipped.
   *
   * @default Duration.minutes(10)
   */
  readonly startingDeadline?: Duration;

  /**
   * How many successful runs are kept.
   *
   * @default 3
   */
  readonly successfulRunHistoryLimit?: number;

  /**
   * How many failed runs are kept.
   *
   * @default 3
   */
  readonly failedRunHistoryLimit?: number;

  /**
   * Whether the schedule is suspended.
   *
   * @default false
   */
  readonly suspend?: boolean;

  /**
   * Values of the pipeline's parameters for the scheduled runs (others keep their defaults).
   *
   * @default - the pipeline's defaults
   */
  readonly parameters?: { [name: string]: string };
}

/**
 * Properties of a `PipelineSchedule`.
 */
export interface PipelineScheduleProps extends PipelineScheduleOptions {
  /** The pipeline it runs. */
  readonly pipeline: ISparkPipeline;
}

/** Argo names a cron run `<name>-<unix time>` (cron/operator.go getChildWorkflowName) and allows 63 characters. */
const SCHEDULE_NAME_MAX = 52;

/**
 * A pipeline run on a schedule (what a CloudWatch cron rule did): an Argo Workflows 4 `CronWorkflow` whose
 * runs come from the pipeline's WorkflowTemplate (`workflowTemplateRef`), so the steps are defined once.
 */
export class PipelineSchedule extends Construct {
  /** The schedule's name (the CronWorkflow's). */
  public readonly name: string;
  /** The CronWorkflow. */
  public readonly apiObject: ApiObject;
  /** The longest time between two runs the schedules start (e.g. 72 hours for `30 2 * * 1-5`). */
  public readonly longestInterval: Duration;

  public constructor(scope: Construct, id: string, props: PipelineScheduleProps) {
    super(scope, id);
    checkShape(this, 'PipelineScheduleProps', props, 'props');
    const pipeline = props.pipeline;
    this.name = checkDns1123Label(this, 'name', props.name ?? `${pipeline.name}-${id}`, SCHEDULE_NAME_MAX);
    if (!Array.isArray(props.schedules) || props.schedules.length === 0) {
      throw invalidProp(this, 'schedules', props.schedules, 'must list at least one cron schedule, e.g. ["0 2 * * *"]');
    }
    const schedules = props.schedules.map((schedule, i) => checkCron(this, `schedules[${i}]`, schedule));
    this.longestInterval = Duration.seconds(longestCronGapSeconds(schedules));
    const timezone = checkTimeZone(this, 'timeZone', props.timeZone ?? 'UTC');
    const concurrencyPolicy = checkOneOf(this, 'concurrencyPolicy', props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID, Object.values(ConcurrencyPolicy));
    const startingDeadline = checkInteger(this, 'startingDeadline', (props.startingDeadline ?? Duration.minutes(10)).toSeconds(), 1);
    const parameters = Object.entries(props.parameters ?? {}).map(([name, value]) => {
      if (!(name in pipeline.parameters)) {
        throw invalidProp(this, 'parameters key', name, `is not a parameter of pipeline "${pipeline.name}" (declared: ${Object.keys(pipeline.parameters).join(', ') || 'none'})`);
      }
      return { name, value };
    });

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'CronWorkflow',
      metadata: { name: this.name, namespace: pipeline.namespace.name, labels: pipeline.labels },
      spec: {
        schedules,
        timezone,
        concurrencyPolicy,
        startingDeadlineSeconds: startingDeadline,
        successfulJobsHistoryLimit: checkInteger(this, 'successfulRunHistoryLimit', props.successfulRunHistoryLimit ?? 3, 0),
        failedJobsHistoryLimit: checkInteger(this, 'failedRunHistoryLimit', props.failedRunHistoryLimit ?? 3, 0),
        suspend: props.suspend ?? false,
        workflowMetadata: { labels: pipeline.labels },
        workflowSpec: {
          workflowTemplateRef: { name: pipeline.name },
          arguments: parameters.length ? { parameters } : undefined,
        },
      },
    });
    SyncWave.markCustomResource(this.apiObject);
  }
}
