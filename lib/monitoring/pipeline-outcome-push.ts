import { Pushgateway } from './pushgateway';
import { SparkLabels } from '../spark';
import { checkArgs } from '../validation';
import { IPipelineExitStep, ISparkPipeline, PipelineContainerOptions } from '../workflows';

/**
 * The series every pipeline run pushes to the Pushgateway when it ends, grouped by
 * `{job="spark_pipeline", namespace, pipeline, team}`.
 */
export class PipelineOutcomeMetrics {
  /** The push's job label. */
  public static readonly JOB = 'spark_pipeline';
  /** 1 when the last run succeeded, 0 when it failed or errored. */
  public static readonly LAST_RUN_SUCCEEDED = 'spark_pipeline_last_run_succeeded';
  /** How long the last run took, in seconds (`{{workflow.duration}}`). */
  public static readonly LAST_RUN_DURATION = 'spark_pipeline_last_run_duration_seconds';
  /** When the last run ended (Unix seconds). */
  public static readonly LAST_RUN_TIMESTAMP = 'spark_pipeline_last_run_timestamp_seconds';
  /** When a run last succeeded (Unix seconds): pushed by successful runs only, kept by failed ones. */
  public static readonly LAST_SUCCESS_TIMESTAMP = 'spark_pipeline_last_success_timestamp_seconds';

  private constructor() {}
}

/**
 * The exit step that pushes a pipeline run's outcome to a Pushgateway: a pinned curl image, its script inline
 * (nothing fetched at run time). A `POST` replaces only the series it sends (pushgateway `main.go`: POST is
 * `handler.Push(ms, false, ...)`), so a failed run leaves the last success timestamp as it was.
 */
export class PipelineOutcomePush implements IPipelineExitStep {
  /** The curl image the library is tested with. */
  public static readonly DEFAULT_IMAGE = 'docker.io/curlimages/curl:8.11.1';

  /**
   * The push script (POSIX sh and curl): reads `PUSHGATEWAY_URL`, `GROUPING_KEY`, `WORKFLOW_STATUS`
   * (Succeeded, Failed or Error) and `WORKFLOW_DURATION` (seconds).
   */
  public static script(): string {
    const m = PipelineOutcomeMetrics;
    return [
      'set -eu',
      'ok=0; [ "$WORKFLOW_STATUS" = Succeeded ] && ok=1',
      'now=$(date +%s)',
      '{',
      `  echo "# TYPE ${m.LAST_RUN_SUCCEEDED} gauge"; echo "${m.LAST_RUN_SUCCEEDED} $ok"`,
      `  echo "# TYPE ${m.LAST_RUN_DURATION} gauge"; echo "${m.LAST_RUN_DURATION} $WORKFLOW_DURATION"`,
      `  echo "# TYPE ${m.LAST_RUN_TIMESTAMP} gauge"; echo "${m.LAST_RUN_TIMESTAMP} $now"`,
      `  if [ "$ok" = 1 ]; then echo "# TYPE ${m.LAST_SUCCESS_TIMESTAMP} gauge"; echo "${m.LAST_SUCCESS_TIMESTAMP} $now"; fi`,
      '} | curl --silent --show-error --fail --retry 5 --retry-connrefused --max-time 30 --data-binary @- "$PUSHGATEWAY_URL/metrics/$GROUPING_KEY"',
    ].join('\n');
  }

  /** The step's id in every pipeline. */
  public readonly id = 'push-outcome';

  public constructor(
    /** The Pushgateway. */
    private readonly pushgateway: Pushgateway,
    /** The curl image. */
    private readonly image: string = PipelineOutcomePush.DEFAULT_IMAGE,
  ) {}

  /** The container that pushes `pipeline`'s outcome. */
  public exitStepFor(pipeline: ISparkPipeline): PipelineContainerOptions {
    checkArgs('PipelineOutcomePush.exitStepFor', 'PipelineOutcomePush', 'exitStepFor', [pipeline]);
    const team = pipeline.labels[SparkLabels.TEAM] ?? pipeline.namespace.team.name;
    return {
      name: 'push-outcome',
      image: this.image,
      command: ['sh', '-c', PipelineOutcomePush.script()],
      env: {
        PUSHGATEWAY_URL: this.pushgateway.url,
        GROUPING_KEY: `job/${PipelineOutcomeMetrics.JOB}/namespace/${pipeline.namespace.name}/pipeline/${pipeline.name}/team/${team}`,
        WORKFLOW_STATUS: '{{workflow.status}}',
        WORKFLOW_DURATION: '{{workflow.duration}}',
      },
    };
  }
}
