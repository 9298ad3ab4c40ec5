// The example's alerts fed with the series the real components emit, as Prometheus stores them after the
// example's own monitors scraped them (promtool test rules): the labels come from the rendered chart's arguments,
// the pipelines' push and the monitors' scrape settings, never from what the library wishes they were.
import { createApp } from '../examples/main';
import { AlertRule, AlertSeverity, SparkPlatform } from '../lib';
import { helmTemplate, releasesIn } from './fixtures/helm-template';
import { firesAlert as fires, promtoolCheckRules, promtoolTestRules, silentAlert as silent } from './fixtures/prometheus-tools';

const app = createApp();
const platform = app.charts.find(c => c instanceof SparkPlatform) as SparkPlatform;
const documents = app.charts.flatMap(c => c.toJson());
const groups = platform.monitoring!.ruleGroups.map(g => ({ ...g, rules: g.rules.map(({ annotations, ...rule }: any) => rule) }));

type Labels = { [key: string]: string };

/**
 * The labels Prometheus stores for a scraped series (Prometheus `scrape.honor_labels`; the Prometheus Operator's
 * `metricRelabelings` run after): with honorLabels the series' own labels win, and an empty one removes the
 * target's; without it the target's win and the series' clashing ones become `exported_<name>`.
 */
function scraped(series: Labels, target: Labels, endpoint: any): Labels {
  let labels: Labels;
  if (endpoint.honorLabels) {
    labels = { ...target, ...series };
  } else {
    labels = { ...target };
    for (const [k, v] of Object.entries(series)) labels[k in target ? `exported_${k}` : k] = v;
  }
  for (const relabel of endpoint.metricRelabelings ?? []) {
    if (relabel.action === 'labeldrop') for (const k of Object.keys(labels)) if (new RegExp(`^(?:${relabel.regex})$`).test(k)) delete labels[k];
  }
  return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ''));
}
const selector = (name: string, labels: Labels) => `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

// kubeflow/spark-operator v2.5.2 internal/metrics/sparkapplication_metrics.go getMetricLabels: each of
// --metrics-labels is the application's label of that name, `namespace` the application's namespace, else "Unknown".
function operatorSeriesLabels(args: string[], application: any): Labels {
  const list = (args.find(a => a.startsWith('--metrics-labels='))?.split('=')[1] ?? '').split(',').filter(Boolean);
  const { labels, namespace } = application.metadata;
  return Object.fromEntries(list.map(l => [l, labels?.[l] ?? (l === 'namespace' ? namespace : 'Unknown')]));
}

const operatorRelease = releasesIn(documents).find(r => r.chartName === 'spark-operator')!;
const controllerArgs = (values: any) => helmTemplate({ ...operatorRelease, values })
  .find(d => d.kind === 'Deployment' && d.metadata.name.endsWith('-controller')).spec.template.spec.containers[0].args as string[];
const podMonitor = documents.find(d => d.kind === 'PodMonitor' && d.metadata.name === 'spark-operator');
const operatorTarget = { namespace: 'spark-operator', pod: 'spark-operator-controller-6b7f9', container: 'spark-operator-controller', endpoint: 'metrics', instance: '10.0.3.7:8080', job: 'spark-monitoring/spark-operator' };
const failedApp = documents.find(d => d.kind === 'SparkApplication' && d.metadata.namespace === 'data-engineering');

// The exit step's push (PipelineOutcomePush): the grouping key names the series; the Pushgateway adds instance="".
const pushgatewayMonitor = documents.find(d => d.kind === 'ServiceMonitor' && d.metadata.name === 'pushgateway');
const pushedLabels = (pipeline: string): Labels => {
  const template = documents.find(d => d.kind === 'WorkflowTemplate' && d.metadata.name === pipeline);
  const push = template.spec.templates.find((t: any) => t.name === 'push-outcome') ?? template.spec.templates.find((t: any) => t.container?.env?.some((e: any) => e.name === 'GROUPING_KEY'));
  const key: string = push.container.env.find((e: any) => e.name === 'GROUPING_KEY').value;
  const parts = key.split('/');
  return { ...Object.fromEntries(parts.filter((_, i) => i % 2 === 0).map((k, i) => [k, parts[2 * i + 1]])), instance: '' };
};
const pushgatewayTarget = (pod: string) => ({ namespace: 'spark-monitoring', service: 'pushgateway', pod, container: 'pushgateway', endpoint: 'http', instance: '10.0.4.4:9091', job: 'pushgateway' });

const run = (interval: string, series: Array<[string, string]>, checks: any[]) => {
  const input = series.map(([s, values]) => ({ series: s, values }));
  const result = promtoolTestRules(groups, [{ interval, input_series: input, alert_rule_test: checks }]);
  expect(result.output).toContain('SUCCESS');
  return result;
};

test('a failed job of a team fires in the team\'s namespace, with the labels the operator really emits', () => {
  const emitted = operatorSeriesLabels(controllerArgs(operatorRelease.values), failedApp);
  const labels = scraped(emitted, operatorTarget, podMonitor.spec.podMetricsEndpoints[0]);
  expect(labels).toMatchObject({ namespace: 'data-engineering', app_type: 'Unknown' });
  run('1m', [[selector('spark_application_failure_count', labels), '0 0 1 1 1 1']], [
    fires('SparkApplicationFailed', '5m', { severity: 'warning', namespace: 'data-engineering' }),
    silent('SparkApplicationFailed', '30m'),
  ]);
  // With the chart's default --metrics-labels (app_type) every failure would land in the operator's namespace.
  const chartDefault = { ...operatorRelease.values, prometheus: { metrics: { enable: true } } };
  expect(scraped(operatorSeriesLabels(controllerArgs(chartDefault), failedApp), operatorTarget, podMonitor.spec.podMetricsEndpoints[0]).namespace).toBe('spark-operator');
});

test('a failed pipeline fires with its team, and keeps firing, the same alert, across a Pushgateway restart', () => {
  const pushed = pushedLabels('daily-sessions-pipeline');
  const before = scraped(pushed, pushgatewayTarget('pushgateway-7c9d4-a1b2c'), pushgatewayMonitor.spec.endpoints[0]);
  const after = scraped(pushed, pushgatewayTarget('pushgateway-7c9d4-x9y8z'), pushgatewayMonitor.spec.endpoints[0]);
  expect(before).toEqual({ job: 'spark_pipeline', namespace: 'data-engineering', pipeline: 'daily-sessions-pipeline', team: 'data-engineering' });
  // The restarted pod's series is the same series (its persisted group is served again, the pod's labels dropped).
  expect(after).toEqual(before);
  run('1m', [[selector('spark_pipeline_last_run_succeeded', before), '1 0 0 _ _ 0 0 0']], [
    fires('SparkPipelineFailed', '2m', { severity: 'critical', ...before }),
    fires('SparkPipelineFailed', '7m', { severity: 'critical', ...before }),
  ]);
});

test('a removed pipeline\'s failed group alerts no more: only the platform\'s pipelines are watched', () => {
  const gone = { ...pushedLabels('daily-sessions-pipeline'), pipeline: 'renamed-long-ago' };
  run('1m', [[selector('spark_pipeline_last_run_succeeded', scraped(gone, pushgatewayTarget('p'), pushgatewayMonitor.spec.endpoints[0])), '0x10']], [
    silent('SparkPipelineFailed', '5m'),
  ]);
});

test('a scheduled pipeline that never succeeded is overdue once its longest gap, deadline and an hour have passed; not before', () => {
  // daily-sessions-pipeline: daily at 01:00 Europe/Amsterdam (25 h across a DST change), a 24 h deadline, + 1 h.
  // absent() keeps the selector's equality labels.
  const labels = { job: 'spark_pipeline', namespace: 'data-engineering', pipeline: 'daily-sessions-pipeline', severity: 'warning', cause: 'no-success-on-record' };
  const other = scraped(pushedLabels('weekly-attribution'), pushgatewayTarget('p'), pushgatewayMonitor.spec.endpoints[0]);
  run('1h', [[selector('spark_pipeline_last_success_timestamp_seconds', other), '0x80']], [
    silent('SparkPipelineOverdue', '40h'),
    { eval_time: '60h', alertname: 'SparkPipelineOverdue', exp_alerts: [{ exp_labels: labels }] },
  ]);
});

describe('alerts that cannot work are refused', () => {
  const base = { name: 'TeamAlert', severity: AlertSeverity.WARNING, expr: 'up == 0', summary: 'Down', description: 'It is down.' };

  // prometheus template/template.go (the functions), Go text/template (the syntax): promtool refuses the same rule,
  // and the prometheus-operator's webhook the whole PrometheusRule with it.
  test.each([
    ['{{ $labels.namespace }', 'has "{{" without a closing "}}"'],
    ['{{ $value | humanise }}', 'calls "humanise", which is not a template function of Prometheus'],
    ['{{ $label.namespace }}', 'uses "$label", which is not a variable of an alert template'],
    ['{{ if gt $value 1.0 }}many', 'opens an if, range or with without "{{ end }}"'],
    ['{{ "unterminated }}', 'has an unterminated string'],
  ])('a description %s', (description, message) => {
    expect(() => new AlertRule({ ...base, description })).toThrow(`AlertRule "TeamAlert": invalid prop "description" ${JSON.stringify(description)}: ${message}`);
    // promtool agrees that the template is broken.
    const rule = { alert: 'TeamAlert', expr: 'up == 0', labels: { severity: 'warning' }, annotations: { summary: 'Down', description } };
    expect(promtoolCheckRules([{ name: 'g', rules: [rule] }]).ok).toBe(false);
  });

  test('templates Prometheus accepts pass, and promtool accepts them too', () => {
    const good = ['{{ $labels.namespace }}/{{ $labels.pipeline }}', '{{ $value | humanizeDuration }} ago', '{{ if gt $value 1.0 }}many{{ else }}one{{ end }}',
      '{{ with $labels.team }}team {{ . }}{{ end }}', '{{ printf "%.2f" $value }} at {{ $externalURL }}', 'plain text, no template'];
    for (const description of good) {
      const rule = new AlertRule({ ...base, description });
      expect(promtoolCheckRules([{ name: 'g', rules: [rule.toRule()] }]).output).toContain('SUCCESS');
    }
  });

  test('a range vector as the expression: loaded, and never evaluated (promtool: "rule result is not a vector or scalar")', () => {
    expect(() => new AlertRule({ ...base, expr: 'spark_application_failure_count[10m]' }))
      .toThrow('invalid prop "expr" "spark_application_failure_count[10m]": returns a range vector, which an alerting rule cannot evaluate');
    expect(() => new AlertRule({ ...base, expr: '(up[5m:1m])' })).toThrow('returns a range vector');
    const rangeRule = [{ name: 'g', rules: [{ alert: 'A', expr: 'up[5m]' }] }];
    expect(promtoolCheckRules(rangeRule).ok).toBe(true);
    const evaluated = promtoolTestRules(rangeRule, [{
      interval: '1m',
      input_series: [{ series: 'up{job="x"}', values: '0x10' }],
      alert_rule_test: [{ eval_time: '5m', alertname: 'A', exp_alerts: [{ exp_labels: { job: 'x' } }] }],
    }]);
    expect(evaluated.output).toContain('rule result is not a vector or scalar');
    expect(() => new AlertRule({ ...base, expr: 'max_over_time(up[5m]) == 0' })).not.toThrow();
  });

  test('a namespace, team or pipeline the platform does not have fails at synth, listing those it has', () => {
    const build = () => createApp().charts.find(c => c instanceof SparkPlatform) as SparkPlatform;
    const p1 = build();
    p1.addAlert(new AlertRule({ ...base, expr: 'spark_pipeline_last_run_succeeded{namespace="analytics", pipeline="weekly-atribution"} == 0' }), 'analytics');
    expect(() => p1.node.root.node.findAll().forEach(c => c.node.validate().forEach(e => { throw new Error(e); })))
      .toThrow(/alert TeamAlert \(group analytics\) selects pipeline="weekly-atribution" in analytics, which the platform does not have \(.*analytics\/weekly-attribution.*\): it would never fire/);
    const p2 = build();
    p2.addAlert(new AlertRule({ ...base, expr: 'sum by (namespace) (increase(spark_application_failure_count{namespace="analytic"}[1h])) > 0', labels: { team: 'finance' } }), 'analytics');
    const errors = p2.node.root.node.findAll().flatMap(c => c.node.validate());
    expect(errors).toEqual([
      expect.stringMatching(/alert TeamAlert \(group analytics\) selects namespace="analytic", which is no team's namespace \(data-engineering, analytics, ml-platform\)/),
      expect.stringMatching(/alert TeamAlert \(group analytics\) names team "finance", which the platform does not have/),
    ]);
  });
});
