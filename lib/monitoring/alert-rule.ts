import { Duration } from 'cdk8s';
import { checkArgs, checkPromql, checkShape, invalidProp, promqlReturnsRangeVector } from '../validation';
import { alertTemplateProblem } from './private/alert-template';

/**
 * How urgent an alert is (the `severity` label Alertmanager routes on).
 */
export enum AlertSeverity {
  /** Someone must act now: work is failing or stuck. */
  CRITICAL = 'critical',
  /** Someone should look today. */
  WARNING = 'warning',
  /** For dashboards and digests. */
  INFO = 'info',
}

/**
 * An alerting rule.
 */
export interface AlertRuleOptions {
  /** The alert's name, e.g. `SparkApplicationFailed`: letters, digits and `_`, not starting with a digit. */
  readonly name: string;

  /** The PromQL expression: every series it returns is a firing alert. */
  readonly expr: string;

  /**
   * How long the expression must hold before the alert fires.
   *
   * @default - at once
   */
  readonly for?: Duration;

  /** The severity. */
  readonly severity: AlertSeverity;

  /** One line: what is wrong (may use `{{ $labels.<name> }}`). */
  readonly summary: string;

  /** What it means and what to do first (may use `{{ $labels.<name> }}` and `{{ $value }}`). */
  readonly description: string;

  /**
   * The runbook's URL (the `runbook_url` annotation).
   *
   * @default - none
   */
  readonly runbookUrl?: string;

  /**
   * More labels (e.g. `team`), for routing.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A rule group as a Prometheus rule file (and a PrometheusRule) holds it.
 */
export interface AlertRuleGroup {
  /** The group's name. */
  readonly name: string;
  /** Its rules, rendered (`alert`, `expr`, `for`, `labels`, `annotations`). */
  readonly rules: { [key: string]: any }[];
}

const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * An alerting rule, checked when it is made: a valid alert name, an expression that parses as PromQL, a `for`
 * that is a duration, a known severity, a summary and a description.
 */
export class AlertRule {
  /** Renders a duration as Prometheus writes it (`15m`, `2h`, `90s`). */
  public static promDuration(duration: Duration): string {
    checkArgs('AlertRule.promDuration', 'AlertRule', 'promDuration', [duration]);
    const seconds = duration.toSeconds();
    if (seconds % 3600 === 0) return `${seconds / 3600}h`;
    if (seconds % 60 === 0) return `${seconds / 60}m`;
    return `${seconds}s`;
  }

  /** The alert's name. */
  public readonly name: string;
  /** The expression. */
  public readonly expr: string;
  /** The severity. */
  public readonly severity: AlertSeverity;
  private readonly options: AlertRuleOptions;

  public constructor(options: AlertRuleOptions) {
    const where = `AlertRule "${options?.name}"`;
    checkShape(where, 'AlertRuleOptions', options, 'options');
    if (typeof options.name !== 'string' || !ALERT_NAME.test(options.name)) {
      throw invalidProp(where, 'name', options.name, 'must be letters, digits and "_", not starting with a digit (e.g. "SparkApplicationFailed")');
    }
    this.name = options.name;
    this.expr = checkPromql(where, 'expr', options.expr);
    if (promqlReturnsRangeVector(this.expr)) {
      throw invalidProp(where, 'expr', options.expr, 'returns a range vector, which an alerting rule cannot evaluate (Prometheus: "rule result is not a vector or scalar" at every evaluation, so it never fires): '
        + 'wrap the selector in a function such as rate(), increase() or max_over_time()');
    }
    if (!Object.values(AlertSeverity).includes(options.severity)) {
      throw invalidProp(where, 'severity', options.severity, `allowed: ${Object.values(AlertSeverity).join(', ')}`);
    }
    this.severity = options.severity;
    if (options.for !== undefined && !(options.for instanceof Duration && Number.isInteger(options.for.toSeconds()) && options.for.toSeconds() > 0)) {
      throw invalidProp(where, 'for', options.for, 'must be a Duration of whole seconds, e.g. Duration.minutes(15)');
    }
    for (const prop of ['summary', 'description'] as const) {
      if (typeof options[prop] !== 'string' || options[prop].trim() === '') throw invalidProp(where, prop, options[prop], 'is required: the text a person is paged with');
      const problem = alertTemplateProblem(options[prop]);
      if (problem) {
        throw invalidProp(where, prop, options[prop], `${problem}: the Prometheus Operator's webhook would reject the whole PrometheusRule, and no alert of it would load`);
      }
    }
    for (const key of Object.keys(options.labels ?? {})) {
      if (!LABEL_NAME.test(key) || key === 'severity') throw invalidProp(where, 'labels', key, 'must be Prometheus label names (letters, digits, "_"); severity is its own prop');
    }
    if (options.runbookUrl !== undefined && !/^https?:\/\/\S+$/.test(options.runbookUrl)) {
      throw invalidProp(where, 'runbookUrl', options.runbookUrl, 'must be an http(s) URL');
    }
    this.options = options;
  }

  /** The rule as a Prometheus rule file (and a PrometheusRule) holds it. */
  public toRule(): { [key: string]: any } {
    const o = this.options;
    return {
      alert: this.name,
      expr: this.expr,
      ...(o.for ? { for: AlertRule.promDuration(o.for) } : {}),
      labels: { ...o.labels, severity: this.severity },
      annotations: { summary: o.summary, description: o.description, ...(o.runbookUrl ? { runbook_url: o.runbookUrl } : {}) },
    };
  }
}
