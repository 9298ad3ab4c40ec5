/**
 * How the platform's Spark jobs write their logs: one JSON object per line, the message and its whole stack
 * trace in one `message` field, through a log4j2 configuration every job namespace carries.
 *
 * Spark's own layout (`%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex`) puts a stack trace on the lines after its
 * message, and the line that starts a Java trace is the exception's, not the message's: no log pipeline can
 * then give the reader the message and its trace as one event. Encoded as JSON, an event never leaves its line.
 */
export class SparkLogLayout {
  /** The ConfigMap, in every job namespace, that holds the configuration (`log4j2.properties`). */
  public static readonly CONFIG_MAP_NAME = 'spark-log4j2';

  /** Where the operator's webhook mounts the ConfigMap in drivers and executors (`spec.*.configMaps`). */
  public static readonly MOUNT_PATH = '/etc/spark-platform/log4j2';

  /** The file's key in the ConfigMap. */
  public static readonly FILE_NAME = 'log4j2.properties';

  /**
   * The layout: `time` (UTC, milliseconds), `level`, `logger` (the full class name), `thread` and `message`,
   * each escaped as a JSON string by log4j2 (`%enc{…}{JSON}`: quotes, backslashes, line breaks and control
   * characters). `message` is the log message, then, when the event carries a throwable, a line break and the
   * trace as Java prints it (`Caused by:` and `Suppressed:` included).
   */
  public static readonly PATTERN = '{"time":"%d{yyyy-MM-dd\'T\'HH:mm:ss.SSSZ}{UTC}","level":"%p","logger":"%enc{%c}{JSON}",'
    + '"thread":"%enc{%t}{JSON}","message":"%enc{%m%notEmpty{%n%ex}}{JSON}"}%n';

  /**
   * The strptime format of `time` (`2026-12-06T19:33:50.123+0000`). `%N`, not `%L`: fluentd parses with the
   * `strptime` gem when it accepts the format (lib/fluent/time.rb TimeParser), and it knows no `%L`.
   */
  public static readonly TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%N%z';

  /**
   * Loggers quieted as Spark's own default configuration quiets them (`log4j2-defaults.properties`): the REPL,
   * the Thrift server CLI, Jetty, Parquet and the Hive metastore client, which are loud at `info`.
   */
  public static readonly LOGGER_LEVELS: { readonly [logger: string]: string } = {
    'org.apache.spark.repl.Main': 'warn',
    'org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver': 'warn',
    'org.sparkproject.jetty': 'warn',
    'org.sparkproject.jetty.util.component.AbstractLifeCycle': 'error',
    'org.apache.parquet': 'error',
    'parquet': 'error',
    'org.apache.hadoop.hive.metastore.RetryingHMSHandler': 'fatal',
    'org.apache.hadoop.hive.ql.exec.FunctionRegistry': 'error',
  };

  /** The JVM option that points log4j2 at the file (`log4j2.configurationFile`). */
  public static readonly JAVA_OPTION = `-Dlog4j2.configurationFile=file:${SparkLogLayout.MOUNT_PATH}/${SparkLogLayout.FILE_NAME}`;

  /**
   * The log4j2 configuration: everything at `info` to stderr (where Spark writes) in the JSON layout, with
   * `LOGGER_LEVELS`. `alwaysWriteExceptions` is off: the pattern writes the trace itself, and log4j2 would
   * otherwise append it again, unencoded, across lines (it does not look inside `%notEmpty`).
   */
  public static properties(): string {
    const lines = [
      'rootLogger.level = info',
      'rootLogger.appenderRef.console.ref = console',
      'appender.console.type = Console',
      'appender.console.name = console',
      'appender.console.target = SYSTEM_ERR',
      'appender.console.layout.type = PatternLayout',
      'appender.console.layout.alwaysWriteExceptions = false',
      `appender.console.layout.pattern = ${SparkLogLayout.PATTERN}`,
    ];
    Object.entries(SparkLogLayout.LOGGER_LEVELS).forEach(([name, level], i) => {
      lines.push(`logger.quiet${i}.name = ${name}`, `logger.quiet${i}.level = ${level}`);
    });
    return lines.join('\n') + '\n';
  }

  /**
   * The Spark settings that make drivers and executors read the file: `spark.*.defaultJavaOptions`, which Spark
   * puts before the job's own `extraJavaOptions` (so a job can still point log4j2 elsewhere).
   */
  public static settings(): { [key: string]: string } {
    return {
      'spark.driver.defaultJavaOptions': SparkLogLayout.JAVA_OPTION,
      'spark.executor.defaultJavaOptions': SparkLogLayout.JAVA_OPTION,
    };
  }

  /** The `configMaps` entry of a SparkApplication's driver and executor that mounts the file. */
  public static configMapMount(): { [key: string]: string } {
    return { name: SparkLogLayout.CONFIG_MAP_NAME, path: SparkLogLayout.MOUNT_PATH };
  }

  private constructor() {}
}
