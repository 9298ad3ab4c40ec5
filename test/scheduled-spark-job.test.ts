import { ConcurrencyPolicy, NodeTaints } from '../lib';
import { findObject, scalaJob, sparkFixture, spotPool } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

describe('ScheduledSparkJob', () => {
  test('renders a ScheduledSparkApplication whose template is the same derived spec as a SparkJob', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addScheduledJob('nightly', { ...scalaJob, schedule: '30 2 * * *', timeZone: 'Europe/Paris' });
    namespace.addJob('adhoc', scalaJob);
    const docs = synthValid(chart);
    const scheduled = findObject(docs, 'ScheduledSparkApplication', 'nightly');
    expect(scheduled.metadata.namespace).toBe('team-a');
    expect(scheduled.spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Forbid',
      successfulRunHistoryLimit: 3,
      failedRunHistoryLimit: 3,
      suspend: false,
    });
    const template = scheduled.spec.template;
    const adhoc = findObject(docs, 'SparkApplication', 'adhoc').spec;
    expect(template.executor.tolerations).toEqual(spotPool.taints.map(NodeTaints.toleration));
    expect(template.sparkConf['spark.eventLog.dir']).toBe(adhoc.sparkConf['spark.eventLog.dir']);
    expect(template.driver.serviceAccount).toBe('spark');
    expect(template.sparkConf['spark.metrics.namespace']).toBe('nightly');
  });

  test('defaults the time zone to UTC; concurrency, history limits and suspend are typed', () => {
    const { chart, namespace } = sparkFixture();
    namespace.addScheduledJob('hourly', {
      ...scalaJob, schedule: '@hourly', concurrencyPolicy: ConcurrencyPolicy.REPLACE, successfulRunHistoryLimit: 1, failedRunHistoryLimit: 10, suspend: true,
    });
    expect(findObject(synthValid(chart), 'ScheduledSparkApplication', 'hourly').spec).toMatchObject({
      schedule: '@hourly', timeZone: 'UTC', concurrencyPolicy: 'Replace', successfulRunHistoryLimit: 1, failedRunHistoryLimit: 10, suspend: true,
    });
  });

  test.each([
    ['a 6-field cron', { schedule: '0 0 2 * * *' }, /invalid prop "schedule" "0 0 2 \* \* \*": must have 5 fields/],
    ['an out-of-range hour', { schedule: '0 24 * * *' }, /invalid prop "schedule" "0 24 \* \* \*": hour field "24": "24" must be 0-23/],
    ['a bad step', { schedule: '*/0 * * * *' }, /minute field "\*\/0": step must be at least 1/],
    ['a time zone prefix in the cron', { schedule: 'CRON_TZ=UTC 0 2 * * *' }, /must not carry a time zone prefix/],
    ['an unknown descriptor', { schedule: '@fortnightly' }, /unknown descriptor/],
    ['an unknown time zone', { schedule: '0 2 * * *', timeZone: 'Europe/Atlantis' }, /invalid prop "timeZone" "Europe\/Atlantis": must be an IANA time zone name/],
    ['an offset instead of a zone', { schedule: '0 2 * * *', timeZone: '+02:00' }, /invalid prop "timeZone" "\+02:00"/],
    ['a negative history limit', { schedule: '0 2 * * *', failedRunHistoryLimit: -1 }, /invalid prop "failedRunHistoryLimit" -1/],
    ['an unknown concurrency policy', { schedule: '0 2 * * *', concurrencyPolicy: 'Queue' }, /invalid prop "concurrencyPolicy" "Queue": allowed: Forbid, Allow, Replace/],
    ['a name too long for the names of its runs', { schedule: '0 2 * * *', name: 'a'.repeat(37) },
      /invalid prop "name" "a{37}": must be at most 36 characters: .* of each run "<name>-<timestamp>"/],
    ['a bad job setting', { schedule: '0 2 * * *', image: 'acme/etl' }, /invalid prop "image" "acme\/etl"/],
  ])('rejects %s', (_what, override, error) => {
    const { namespace } = sparkFixture();
    expect(() => namespace.addScheduledJob('scheduled', { ...scalaJob, ...(override as any) })).toThrow(error);
  });

  test('a scheduled job and a job may not share a name in one namespace', () => {
    const { namespace } = sparkFixture();
    namespace.addJob('etl', scalaJob);
    expect(() => namespace.addScheduledJob('etl-nightly', { ...scalaJob, name: 'etl', schedule: '@daily' })).toThrow(/a job named "etl" already exists/);
  });

  test.each(['0 2 * * MON-FRI', '*/15 6-22 * * *', '0 0 1,15 * ?', '0 3 * JAN,JUL SUN', '@every 1h30m', '@midnight', '5 4 * * 0'])(
    'accepts %j', (schedule) => {
      const { namespace } = sparkFixture();
      expect(namespace.addScheduledJob('s', { ...scalaJob, schedule }).schedule).toBe(schedule);
    });
});
