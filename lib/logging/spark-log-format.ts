import { SparkLabels, SparkLogLayout } from '../spark';

/**
 * How the platform reads what Spark writes to its console: the platform's JSON layout (`SparkLogLayout`, every
 * job's default), Spark's own text layout (jobs with `structuredLogs: false`), the fluentd filters that turn
 * both into events, and the fields every event carries.
 */
export class SparkLogFormat {
  /**
   * Spark's own console layout (`log4j2-defaults.properties`, `conf/log4j2.properties.template`), written to
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
   * The key that holds a container's text in every record: fluent-bit's multiline `cri` parser writes it there
   * (FluentBitAgent), and the Logging makes it the operator's default for every flow.
   */
  public static readonly LOG_KEY = 'log';

  /**
   * How stack traces written as lines are joined (fluent-plugin-detect-exceptions 0.0.16, in the operator's
   * fluentd image): read from `LOG_KEY`, joined with their line breaks (`force_line_breaks`; without it the
   * lines are concatenated), flushed after 5 s without a next line.
   */
  public static readonly DETECT_EXCEPTIONS: { readonly [key: string]: any } = {
    message: SparkLogFormat.LOG_KEY, multiline_flush_interval: '5', force_line_breaks: true,
  };

  /**
   * The filters a team flow applies, in order: stack traces written as text lines joined into one event (a
   * Python traceback, or a job in Spark's text layout), the platform's JSON layout parsed (the original line
   * dropped), else Spark's text layout parsed into `time`, `level`, `logger` and `message` (lines that match
   * neither pass unchanged), the pod fields added, and dots in keys replaced so Elasticsearch does not read
   * label names as object paths.
   */
  public static filters(): { [key: string]: any }[] {
    return [
      // One event per Java or Python stack trace written as lines (fluent-plugin-detect-exceptions), its line
      // breaks kept. A JSON line never continues a trace, so JSON events pass through one by one.
      { detectExceptions: { ...SparkLogFormat.DETECT_EXCEPTIONS, languages: ['java', 'python'] } },
      {
        parser: {
          key_name: SparkLogFormat.LOG_KEY,
          reserve_data: true,
          remove_key_name_field: true,
          emit_invalid_record_to_error: false,
          parse: { type: 'json', time_key: 'time', time_format: SparkLogLayout.TIME_FORMAT },
        },
      },
      {
        parser: {
          key_name: SparkLogFormat.LOG_KEY,
          reserve_data: true,
          remove_key_name_field: true,
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
