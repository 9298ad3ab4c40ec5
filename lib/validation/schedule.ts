import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

// Cron schedules as the operators parse them (robfig/cron's standard parser: Spark Operator, Argo Workflows):
// five fields, or a descriptor such as @daily.

interface CronField { readonly name: string; readonly min: number; readonly max: number; readonly names?: string[] }

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/** Why `schedule` is not a valid 5-field cron schedule, or undefined when it is one. */
export function cronProblem(schedule: string): string | undefined {
  if (typeof schedule !== 'string' || schedule.trim() === '') return 'must be a non-empty cron schedule';
  const text = schedule.trim();
  if (/^(CRON_)?TZ=/.test(text)) return 'must not carry a time zone prefix: set the time zone prop instead';
  if (text.startsWith('@')) {
    if (DESCRIPTORS.includes(text)) return undefined;
    const every = /^@every (.+)$/.exec(text);
    if (every && GO_DURATION.test(every[1])) return undefined;
    return `unknown descriptor: allowed are ${DESCRIPTORS.join(', ')} and "@every <duration>"`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), has ${parts.length}`;
  for (let i = 0; i < FIELDS.length; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `${FIELDS[i].name} field "${parts[i]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: CronField): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return 'has more than one "/"';
    if (step !== undefined && !/^[0-9]+$/.test(step)) return `step "${step}" must be a positive integer`;
    if (step !== undefined && Number(step) === 0) return 'step must be at least 1';
    if (range === '*' || (range === '?' && (spec.name.startsWith('day')))) continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some(b => b === '')) return `"${item}" is not a value, a range or "*"`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = valueOf(bound, spec);
      if (value === undefined) {
        return `"${bound}" must be ${spec.min}-${spec.max}${spec.names ? ` or one of ${spec.names[0]}..${spec.names[spec.names.length - 1]}` : ''}`;
      }
      values.push(value);
    }
    if (values.length === 2 && values[0] > values[1]) return `range "${range}" runs backwards`;
  }
  return undefined;
}

function valueOf(text: string, spec: CronField): number | undefined {
  const named = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return spec.min + named;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= spec.min && value <= spec.max ? value : undefined;
}

/** Throws unless `schedule` is a valid 5-field cron schedule or descriptor. */
export function checkCron(where: IConstruct | string, prop: string, schedule: string): string {
  const problem = cronProblem(schedule);
  if (problem) throw invalidProp(where, prop, schedule, `${problem} (e.g. "0 2 * * *" for 02:00 every day)`);
  return schedule.trim();
}

/** Throws unless `timeZone` is an IANA time zone name (as Go's time.LoadLocation reads them). */
export function checkTimeZone(where: IConstruct | string, prop: string, timeZone: string): string {
  let valid = typeof timeZone === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone);
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      valid = false;
    }
  }
  if (!valid) throw invalidProp(where, prop, timeZone, 'must be an IANA time zone name such as "UTC", "Europe/Paris" or "America/New_York"');
  return timeZone;
}

/** Why `duration` is not a Go duration string ("90s", "10m", "1h30m"), or undefined when it is one. */
export function goDurationProblem(duration: string): string | undefined {
  return typeof duration === 'string' && GO_DURATION.test(duration) ? undefined : 'must be a Go duration such as "90s", "10m" or "1h30m"';
}
