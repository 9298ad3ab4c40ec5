/**
 * The labels the library puts on Spark job pods (driver and executors), so that monitors, log flows and cost
 * reports can select them.
 */
export class SparkLabels {
  /** The job's name (the SparkApplication, or the ScheduledSparkApplication for scheduled runs). */
  public static readonly JOB = 'spark-platform.io/job';
  /** The team that owns the job namespace (cost allocation). */
  public static readonly TEAM = 'spark-platform.io/team';
  /** The cost centre the job namespace is charged to (cost allocation). */
  public static readonly COST_CENTER = 'spark-platform.io/cost-center';
  /** The pipeline a Spark application runs in (on the SparkApplication, its pods and the pipeline's pods). */
  public static readonly PIPELINE = 'spark-platform.io/pipeline';
  /** Set to `prometheus` on pods that serve Prometheus metrics (PrometheusServlet on the driver's UI port). */
  public static readonly METRICS = 'spark-platform.io/metrics';

  private constructor() {}
}
