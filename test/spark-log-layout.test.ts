import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Logging, LoggingOperator, SparkLogFormat, SparkLogLayout } from '../lib';
import { findObject, scalaJob, sparkFixture } from './fixtures/spark-platform';

// The jobs' log4j2 configuration, run for real: log4j2 from Debian (liblog4j2-java 2.19; Spark 3.5 ships 2.20 and
// Spark 4.0 2.24, and every converter the layout uses is older than 2.19) writes the events Spark writes, with the
// file and the JVM option exactly as the job namespace and the SparkApplication render them. What comes out is
// then read as the team flow's parser reads it, in Ruby (fluentd's json parser decodes standard JSON).
const LOG4J2 = ['/usr/share/java/log4j-api.jar', '/usr/share/java/log4j-core.jar'];
const EMITTER = path.join(__dirname, 'fixtures', 'java', 'SparkLogEvents.java');

function need(): void {
  const missing = [
    ...LOG4J2.filter(jar => !fs.existsSync(jar)).map(() => 'liblog4j2-java'),
    ...(fs.existsSync('/usr/bin/javac') ? [] : ['default-jdk-headless']),
  ];
  if (missing.length) {
    throw new Error(`these tests run log4j2 on a JDK (Debian packages ${[...new Set(missing)].join(', ')}): .ci/run installs them; locally: apt-get install ${[...new Set(missing)].join(' ')}`);
  }
}

interface Rendered {
  readonly configMap: any;
  readonly app: any;
}

function render(jobOptions: object = {}): Rendered {
  const { chart, namespace } = sparkFixture();
  namespace.addJob('etl', { ...scalaJob, ...jobOptions });
  const docs = Testing.synth(chart);
  return { configMap: docs.find(d => d.kind === 'ConfigMap' && d.metadata.name === SparkLogLayout.CONFIG_MAP_NAME), app: findObject(docs, 'SparkApplication') };
}

// Runs the emitter in a JVM started as the driver's: the rendered defaultJavaOptions, the ConfigMap's file where
// the webhook mounts it (under a scratch root, since the mount path is absolute).
function runDriver({ configMap, app }: Rendered): string[] {
  need();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-log4j2-'));
  const mount = app.spec.driver.configMaps.find((m: any) => m.name === configMap.metadata.name);
  for (const [file, text] of Object.entries(configMap.data as { [file: string]: string })) {
    fs.mkdirSync(path.join(root, mount.path), { recursive: true });
    fs.writeFileSync(path.join(root, mount.path, file), text);
  }
  const options = app.spec.sparkConf['spark.driver.defaultJavaOptions'].split(' ')
    .map((option: string) => option.replace(/^(-Dlog4j2\.configurationFile=file:)/, `$1${root}`));
  const result = spawnSync('java', [...options, '-cp', LOG4J2.join(':'), EMITTER], { encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`java failed: ${result.stderr}`);
  // Spark's console appender writes to stderr; nothing goes to stdout.
  expect(result.stdout).toBe('');
  return result.stderr.split('\n').filter(line => line !== '');
}

// What the flow's json parser makes of each line, with the libraries fluentd 1.19 uses (Debian's ruby-oj and
// ruby-strptime): lib/fluent/plugin/parser_json.rb decodes with Oj.load (json_parser default :oj), and
// lib/fluent/time.rb TimeParser reads a format with %z through the strptime gem when the gem accepts the
// format, else through Time.strptime; a time that does not parse drops the record (filter_parser.rb).
function parseAsFluentd(lines: string[]): any[] {
  const script = `
    input = JSON.parse(STDIN.read)
    format = input["timeFormat"]
    strptime = (Strptime.new(format) rescue nil)
    out = input["lines"].map do |line|
      record = Oj.load(line)
      time = record.delete("time")
      t = strptime ? strptime.exec(time) : Time.strptime(time, format)
      record["epoch_ms"] = t.to_i * 1000 + t.nsec / 1_000_000
      record["strptime_gem"] = !strptime.nil?
      record
    end
    puts JSON.generate(out)
  `;
  try {
    const out = execFileSync('ruby', ['-rjson', '-rtime', '-roj', '-rstrptime', '-e', script], {
      input: JSON.stringify({ lines, timeFormat: SparkLogLayout.TIME_FORMAT }), encoding: 'utf-8', stdio: ['pipe', 'pipe', 'pipe'],
    });
    return JSON.parse(out);
  } catch (e: any) {
    if (/cannot load such file/.test(String(e.stderr))) {
      throw new Error('these tests parse with fluentd\'s own libraries (Debian packages ruby-oj, ruby-strptime): .ci/run installs them');
    }
    throw e;
  }
}

describe('SparkLogLayout', () => {
  const rendered = render();
  let lines: string[];
  let events: any[];
  beforeAll(() => {
    lines = runDriver(rendered);
    events = parseAsFluentd(lines);
  });

  test('the job namespace carries the file, and driver and executors mount it where their JVM option points', () => {
    const { configMap, app } = rendered;
    expect(configMap.metadata.namespace).toBe(app.metadata.namespace);
    expect(Object.keys(configMap.data)).toEqual([SparkLogLayout.FILE_NAME]);
    for (const role of ['driver', 'executor']) {
      expect(app.spec[role].configMaps).toEqual([{ name: SparkLogLayout.CONFIG_MAP_NAME, path: SparkLogLayout.MOUNT_PATH }]);
      expect(app.spec.sparkConf[`spark.${role}.defaultJavaOptions`]).toBe(`-Dlog4j2.configurationFile=file:${SparkLogLayout.MOUNT_PATH}/${SparkLogLayout.FILE_NAME}`);
    }
  });

  test('every event is one line of JSON, whatever its message holds', () => {
    expect(lines.length).toBe(events.length);
    expect(events.map(e => [e.level, e.logger])).toEqual([
      ['INFO', 'org.apache.spark.SparkContext'],
      ['WARN', 'org.sparkproject.jetty.server.Server'],
      ['INFO', 'org.apache.spark.sql.execution.SparkSqlParser'],
      ['WARN', 'com.acme.etl.Main'],
      ['ERROR', 'org.apache.spark.executor.Executor'],
      ['INFO', 'com.acme.etl.Main'],
    ]);
    expect(events[2].message).toBe('== Physical Plan ==\n*(1) Project [id#0L]\n+- *(1) Range (0, 10)');
    expect(events[3].message).toBe('path "s3a://bucket/a\\b"\ttab \u0001 café 日本');
    expect(events.every(e => e.thread === 'main')).toBe(true);
  });

  test('an error event holds its message and its whole stack trace, with its line breaks, causes and suppressed', () => {
    const message: string = events[4].message;
    const [first, second, third] = message.split('\n');
    expect(first).toBe('Exception in task 0.0 in stage 1.0 (TID 1)');
    expect(second).toBe('java.lang.RuntimeException: Failed to process partition 7');
    expect(third).toMatch(/^\tat SparkLogEvents\.main\(SparkLogEvents\.java:\d+\)$/);
    expect(message).toMatch(/\n\tSuppressed: java\.io\.IOException: Stream closed\n/);
    expect(message).toMatch(/\nCaused by: java\.lang\.ArithmeticException: \/ by zero\n\tat SparkLogEvents\.main/);
    // Written once: log4j2 does not append the trace again outside the JSON (alwaysWriteExceptions is off).
    expect(lines.filter(line => line.includes('ArithmeticException')).length).toBe(1);
  });

  test('events without a throwable carry the message alone', () => {
    expect(events[0].message).toBe('Running Spark version 3.5.6');
  });

  test('an event longer than containerd\'s 16 KiB line limit is still one line: fluent-bit must join the partial lines', () => {
    const long = lines[lines.length - 1];
    expect(Buffer.byteLength(long)).toBeGreaterThan(16 * 1024);
    expect(events[events.length - 1].message).toBe('x'.repeat(20000));
    // containerd writes it as partial lines (CRI log tag "P"); fluent-bit's multiline cri parser joins them into
    // `log` (src/multiline/flb_ml_parser_cri.c), the key every flow then reads.
    const { chart, operator } = sparkFixture();
    const logging = new Logging(chart, 'logging', { operator: new LoggingOperator(chart, 'logging-operator', { nodePools: operator.nodePools }) });
    expect(logging).toBeDefined();
    const docs = Testing.synth(chart);
    expect(findObject(docs, 'FluentbitAgent').spec.inputTail).toEqual({ 'multiline.parser': ['cri'] });
    expect(findObject(docs, 'Logging').spec.enableDockerParserCompatibilityForCRI).toBe(true);
    for (const filter of SparkLogFormat.filters().filter(f => f.parser)) expect(filter.parser.key_name).toBe(SparkLogFormat.LOG_KEY);
  });

  test('Spark\'s noisy loggers stay quiet, as Spark\'s own defaults keep them', () => {
    expect(events.map(e => e.message)).not.toContain('jetty-9.4.54; started');
    expect(events.map(e => e.message)).toContain('Jetty warning');
  });

  test('the time is UTC with milliseconds, in the order written, read by the strptime gem as fluentd reads it', () => {
    expect(events.every(e => e.strptime_gem)).toBe(true);
    const now = Date.now();
    for (const e of events) expect(Math.abs(e.epoch_ms - now)).toBeLessThan(120_000);
    const times = events.map(e => e.epoch_ms);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  test('the team flow parses the layout: json, its time field and format, the original line dropped', () => {
    const parser = SparkLogFormat.filters().find(f => f.parser?.parse?.type === 'json')!.parser;
    expect(parser.parse).toMatchObject({ type: 'json', time_key: 'time', time_format: SparkLogLayout.TIME_FORMAT });
    expect(parser).toMatchObject({ reserve_data: true, remove_key_name_field: true, emit_invalid_record_to_error: false });
  });

  test('a job that keeps Spark\'s text layout mounts nothing and may set the default JVM options itself', () => {
    const { app } = render({ structuredLogs: false, sparkConf: { 'spark.driver.defaultJavaOptions': '-XX:+UseG1GC' } });
    expect(app.spec.driver.configMaps).toBeUndefined();
    expect(app.spec.executor.configMaps).toBeUndefined();
    expect(app.spec.sparkConf['spark.driver.defaultJavaOptions']).toBe('-XX:+UseG1GC');
    expect(app.spec.sparkConf['spark.executor.defaultJavaOptions']).toBeUndefined();
  });

  test('the platform\'s JVM options are not a job\'s to replace: its own go to javaOptions', () => {
    const { chart, namespace } = sparkFixture();
    expect(() => namespace.addJob('etl', { ...scalaJob, sparkConf: { 'spark.executor.defaultJavaOptions': '-Dfoo=1' } }))
      .toThrow(/sparkConf.*"spark\.executor\.defaultJavaOptions".*executor\.javaOptions/);
    expect(chart).toBeDefined();
  });
});
