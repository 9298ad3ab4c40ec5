import { execFileSync } from 'child_process';
import { SparkLogFormat } from '../lib';

// The filters run in fluentd, which is Ruby: the parser expression and the record placeholders are checked by
// Ruby itself (Debian's `ruby`, installed by .ci/run), the way fluentd uses them.
function ruby(script: string, input: unknown): any {
  try {
    return JSON.parse(execFileSync('ruby', ['-rjson', '-rtime', '-e', script], { input: JSON.stringify(input), encoding: 'utf-8' }));
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error('these tests run Ruby (Debian package "ruby"): .ci/run installs it; locally: apt-get install ruby');
    throw e;
  }
}

// fluentd lib/fluent/config/types.rb Config.regexp_value: "/source/opts" is split at the last "/", "m" sets
// Regexp::MULTILINE; lib/fluent/plugin/parser_regexp.rb matches the whole field and keeps the named captures,
// then parses time_key with time_format (strptime).
const PARSE = `
  input = JSON.parse(STDIN.read)
  str = input["expression"]
  right = str.rindex("/")
  options = str[(right + 1)..-1]
  option = 0
  option |= Regexp::IGNORECASE if options.include?("i")
  option |= Regexp::MULTILINE if options.include?("m")
  regexp = Regexp.compile(str[1...right], option)
  out = input["lines"].map do |line|
    m = regexp.match(line)
    next nil unless m
    fields = m.names.to_h { |n| [n, m[n]] }
    fields["epoch"] = Time.strptime(fields["time"] + " UTC", input["timeFormat"] + " %Z").to_i
    fields
  end
  puts JSON.generate(out)
`;

const parse = (lines: string[]) => ruby(PARSE, { expression: SparkLogFormat.PARSER_EXPRESSION, timeFormat: SparkLogFormat.TIME_FORMAT, lines });

describe('SparkLogFormat', () => {
  // apache/spark log4j2-defaults.properties and conf/log4j2.properties.template: %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
  test('is Spark\'s default log4j2 console layout', () => {
    expect(SparkLogFormat.LOG4J2_PATTERN).toBe('%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex');
  });

  test('the parser splits Spark lines into time, level, logger and message (Ruby, as fluentd compiles it)', () => {
    const [info, warn, colon, bad] = parse([
      '25/01/31 10:00:00 INFO SparkContext: Running Spark version 3.5.6',
      '25/01/31 10:00:01 WARN NativeCodeLoader: Unable to load native-hadoop library for your platform... using builtin-java classes where applicable',
      '25/12/01 23:59:59 ERROR TaskSchedulerImpl: Lost executor 3 on 10.0.1.7: worker lost: spot reclaim',
      'Setting default log level to "WARN".',
    ]);
    expect(info).toEqual({ time: '25/01/31 10:00:00', level: 'INFO', logger: 'SparkContext', message: 'Running Spark version 3.5.6', epoch: Date.UTC(2025, 0, 31, 10) / 1000 });
    expect(warn).toMatchObject({ level: 'WARN', logger: 'NativeCodeLoader' });
    // Colons in the message stay in the message.
    expect(colon).toMatchObject({ level: 'ERROR', logger: 'TaskSchedulerImpl', message: 'Lost executor 3 on 10.0.1.7: worker lost: spot reclaim' });
    // Not Spark's layout: no match, and the parser (reserve_data, no error records) passes the line on unchanged.
    expect(bad).toBeNull();
  });

  test('a line with its stack trace (joined by the exception detector) stays one event, the trace in message', () => {
    const trace = [
      '25/01/31 10:00:02 ERROR Executor: Exception in task 0.0 in stage 1.0 (TID 1)',
      'java.lang.ArithmeticException: / by zero',
      '\tat com.acme.etl.Main$.$anonfun$main$1(Main.scala:12)',
      '\tat org.apache.spark.scheduler.Task.run(Task.scala:141)',
    ].join('\n');
    const [event] = parse([trace]);
    expect(event.level).toBe('ERROR');
    expect(event.logger).toBe('Executor');
    expect(event.message).toBe(trace.slice(trace.indexOf('Exception in task')));
  });

  // fluentd lib/fluent/plugin/filter_record_transformer.rb: with enable_ruby, "${expr}" becomes "#{expr}" and is
  // evaluated with `record` bound to the event.
  test('the pod fields are read from fluent-bit\'s Kubernetes metadata; missing labels give empty fields, not errors', () => {
    const script = `
      input = JSON.parse(STDIN.read)
      out = input["records"].map do |record|
        input["fields"].to_h do |name, str|
          [name, eval("\\"" + str.gsub(/\\$\\{([^}]+)\\}/, '#{\\1}') + "\\"")]
        end
      end
      puts JSON.generate(out)
    `;
    const driver = {
      log: '25/01/31 10:00:00 INFO SparkContext: Running Spark version 3.5.6',
      kubernetes: {
        namespace_name: 'team-a',
        pod_name: 'etl-driver',
        container_name: 'spark-kubernetes-driver',
        labels: { 'spark-role': 'driver', 'sparkoperator.k8s.io/app-name': 'etl', 'spark-platform.io/team': 'team-a', 'spark-platform.io/cost-center': 'cc-1042' },
      },
    };
    const bare = { log: 'x', kubernetes: { namespace_name: 'team-a', pod_name: 'p', container_name: 'c' } };
    const [fields, empty] = ruby(script, { fields: SparkLogFormat.POD_FIELDS, records: [driver, bare] });
    expect(fields).toEqual({
      namespace: 'team-a', pod: 'etl-driver', container: 'spark-kubernetes-driver', spark_app: 'etl', spark_role: 'driver', team: 'team-a', cost_center: 'cc-1042',
    });
    expect(empty).toEqual({ namespace: 'team-a', pod: 'p', container: 'c', spark_app: '', spark_role: '', team: '', cost_center: '' });
  });
});
