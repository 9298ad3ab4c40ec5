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
  return neverFiresProblem(parts);
}

// The days each month can have (February's 29th comes every four years: rare, but it fires).
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// robfig/cron matches a day when the day of month matches, or (both fields restricted) the day of week does:
// with the day of week "*", a day of month no listed month has (31 February, 31 April) never comes.
function neverFiresProblem(parts: string[]): string | undefined {
  const [, , dom, month, dow] = parts;
  if (dow !== '*' && dow !== '?') return undefined;
  const doms = expand(dom, FIELDS[2]);
  const months = expand(month, FIELDS[3]);
  if ([...months].some(m => [...doms].some(d => d <= DAYS_IN_MONTH[m - 1]))) return undefined;
  const names = [...months].map(m => FIELDS[3].names![m - 1]).join(', ');
  return `never fires: ${names} ${months.size > 1 ? 'have' : 'has'} no day ${[...doms].join(', ')}`;
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

// Time zones already judged (Intl.DateTimeFormat is slow to build, and every schedule names one).
const TIME_ZONE_PROBLEMS = new Map<string, string | undefined>();

/** Throws unless `timeZone` is an IANA time zone name (as Go's time.LoadLocation reads them). */
export function checkTimeZone(where: IConstruct | string, prop: string, timeZone: string): string {
  if (typeof timeZone === 'string' && !TIME_ZONE_PROBLEMS.has(timeZone)) TIME_ZONE_PROBLEMS.set(timeZone, timeZoneProblem(timeZone));
  const problem = typeof timeZone === 'string' ? TIME_ZONE_PROBLEMS.get(timeZone) : timeZoneProblem(timeZone);
  if (problem) throw invalidProp(where, prop, timeZone, problem);
  return timeZone;
}

function timeZoneProblem(timeZone: string): string | undefined {
  let canonical: string | undefined;
  if (typeof timeZone === 'string' && /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    } catch {
      canonical = undefined;
    }
  }
  if (canonical === undefined) return 'must be an IANA time zone name such as "UTC", "Europe/Paris" or "America/New_York"';
  // Go's time.LoadLocation opens the zoneinfo file of that exact name: on Linux "europe/paris" does not exist,
  // though JavaScript accepts it in any case.
  if (canonical !== timeZone && canonical.toLowerCase() === timeZone.toLowerCase()) {
    return `is spelled in the wrong case: time zone names are case-sensitive (Go's time.LoadLocation); use "${canonical}"`;
  }
  return undefined;
}

/** Why `duration` is not a Go duration string ("90s", "10m", "1h30m"), or undefined when it is one. */
export function goDurationProblem(duration: string): string | undefined {
  return typeof duration === 'string' && GO_DURATION.test(duration) ? undefined : 'must be a Go duration such as "90s", "10m" or "1h30m"';
}

const DESCRIPTOR_CRON: { [descriptor: string]: string } = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const GO_UNITS: { [unit: string]: number } = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * The longest time, in seconds, between two consecutive runs of a set of valid cron schedules (robfig/cron
 * semantics: day of month and day of week are OR-ed when both are restricted), read in UTC over two years (a
 * schedule that runs less often counts as every four years). `@every <d>` runs every `d`.
 */
export function longestCronGapSeconds(schedules: string[]): number {
  // Two years scanned per call: the same schedules (every team's nightly run) are scanned once.
  const key = JSON.stringify(schedules);
  const known = CRON_GAPS.get(key);
  if (known !== undefined) return known;
  const gap = scanCronGapSeconds(schedules);
  CRON_GAPS.set(key, gap);
  return gap;
}

const CRON_GAPS = new Map<string, number>();

function scanCronGapSeconds(schedules: string[]): number {
  const every = schedules.map(s => /^@every (.+)$/.exec(s.trim())).filter((m): m is RegExpExecArray => !!m);
  const crons = schedules.filter(s => !/^@every /.test(s.trim())).map(s => DESCRIPTOR_CRON[s.trim()] ?? s.trim());
  const everySeconds = every.map(m => [...m[1].matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)].reduce((sum, p) => sum + Number(p[1]) * GO_UNITS[p[2]], 0));
  if (crons.length === 0) return Math.max(...everySeconds);
  const starred = (f: string) => f.startsWith('*') || f === '?';
  const parsed = crons.map(cron => {
    const fields = cron.split(/\s+/);
    const [minutes, hours, doms, months, dows] = fields.map((field, i) => expand(field, FIELDS[i]));
    return { minutes, hours, doms, months, dows, either: !starred(fields[2]) && !starred(fields[4]) };
  });
  const fires: number[] = [];
  const start = Date.UTC(2025, 0, 1) / 1000;
  for (let day = 0; day < 2 * 366; day++) {
    const date = new Date((start + day * 86400) * 1000);
    for (const c of parsed) {
      if (!c.months.has(date.getUTCMonth() + 1)) continue;
      const domMatch = c.doms.has(date.getUTCDate());
      const dowMatch = c.dows.has(date.getUTCDay());
      if (!(c.either ? domMatch || dowMatch : domMatch && dowMatch)) continue;
      for (const h of c.hours) for (const m of c.minutes) fires.push(start + day * 86400 + h * 3600 + m * 60);
    }
  }
  const sorted = [...new Set(fires)].sort((a, b) => a - b);
  // Fewer than two runs in two years (29 February): a leap cycle.
  if (sorted.length < 2) return 4 * 366 * 86400;
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  return Math.min(gap, ...(everySeconds.length ? [Math.max(...everySeconds)] : [Infinity]));
}

// The values a valid cron field names (7 in day of week is Sunday, as in robfig/cron).
function expand(field: string, spec: CronField): Set<number> {
  const values = new Set<number>();
  for (const item of field.split(',')) {
    const [range, step] = item.split('/');
    const [low, high] = range === '*' || range === '?' ? [spec.min, spec.max]
      : range.includes('-') ? range.split('-').map(b => valueOf(b, spec)!) : [valueOf(range, spec)!, step ? spec.max : valueOf(range, spec)!];
    for (let v = low; v <= high; v += step ? Number(step) : 1) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}
