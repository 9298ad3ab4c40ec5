import { SparkLabels } from '../spark';

/**
 * How the platform reads what Spark writes to its console: Spark's default log4j2 layout, the fluentd filters
 * that turn its lines into events, and the fields every event carries.
 */
export class SparkLogFormat {
  /**
   * Spark's default console layout (`log4j2-defaults.properties`, `conf/log4j2.properties.template`), written to
   * stderr: `25/01/31 10:00:00 INFO SparkContext: Running Spark version 3.5.6`.
   */
  public static readonly LOG4J2_PATTERN = '%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex';

  /**
   * The fluentd `regexp` parser expression for that layout. `m` (Ruby: `.` matches new lines) keeps a stack
   * trace that the exception detector joined to its line inside `message`.
   */
  public static readonly PARSER_EXPRESSION =
    '/^(?<time>\\d{2}\\/\\d{2}\\/\\d{2} \\d{2}:\\d{2}:\\d{2}) (?<level>[A-Z]+) (?<logger>[^:\\s]+): (?<message>.*)$/m';

  /** The strptime format of the layout's timestamp (`%d{yy/MM/dd HH:mm:ss}`). */
  public static readonly TIME_FORMAT = '%y/%m/%d %H:%M:%S';

  /**
   * The fields every Spark event gets from its pod, as fluentd `record_transformer` Ruby placeholders over the
   * metadata fluent-bit's Kubernetes filter attaches (`kubernetes.namespace_name`, `.pod_name`, `.labels`).
   * `spark-role` (driver / executor) is set by Spark; `sparkoperator.k8s.io/app-name` by the Spark Operator
   * (`internal/controller/sparkapplication/submission.go`); team and cost centre by the job namespace.
   */
  public static readonly POD_FIELDS: { readonly [field: string]: string } = {
    namespace: dig('namespace_name'),
    pod: dig('pod_name'),
    container: dig('container_name'),
    spark_app: dig('labels', 'sparkoperator.k8s.io/app-name'),
    spark_role: dig('labels', 'spark-role'),
    team: dig('labels', SparkLabels.TEAM),
    cost_center: dig('labels', SparkLabels.COST_CENTER),
  };

  /**
   * The label the Spark Operator puts on every driver and executor pod it launches
   * (`sparkoperator.k8s.io/launched-by-spark-operator: "true"`, `pkg/common/spark.go`).
   */
  public static readonly SPARK_POD_LABELS: { readonly [key: string]: string } = { 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' };

  /**
   * The filters a team flow applies, in order: stack traces joined into one event, the layout parsed into
   * `time`, `level`, `logger` and `message` (lines that do not match pass unchanged), the pod fields added, and
   * dots in keys replaced so Elasticsearch does not read label names as object paths.
   */
  public static filters(): { [key: string]: any }[] {
    return [
      // One event per Java or Python stack trace (fluent-plugin-detect-exceptions).
      { detectExceptions: { languages: ['java', 'python'], multiline_flush_interval: '5' } },
      {
        parser: {
          // key_name unset: the operator uses the container runtime's log key (model/filter/parser.go).
          reserve_data: true,
          emit_invalid_record_to_error: false,
          parse: { type: 'regexp', expression: SparkLogFormat.PARSER_EXPRESSION, time_key: 'time', time_format: SparkLogFormat.TIME_FORMAT },
        },
      },
      // Nested keys need Ruby placeholders: the plain expander reads top-level keys only.
      { record_transformer: { enable_ruby: true, records: [{ ...SparkLogFormat.POD_FIELDS }] } },
      // `app.kubernetes.io/name` next to `app` is a mapping conflict in Elasticsearch; `_` keeps them apart.
      { dedot: { de_dot_separator: '_', de_dot_nested: true } },
    ];
  }

  private constructor() {}
}

function dig(...keys: string[]): string {
  return `\${record.dig(${['kubernetes', ...keys].map(k => JSON.stringify(k)).join(', ')})}`;
}
