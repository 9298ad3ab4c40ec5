import { checkArgs, checkLabels, checkShape } from '../validation';

/**
 * Properties of a `PrometheusStack`.
 */
export interface PrometheusStackProps {
  /**
   * The labels the Prometheus looks for on ServiceMonitors and PodMonitors (its `serviceMonitorSelector` and
   * `podMonitorSelector`); `{}` for a Prometheus whose selectors are empty (it selects every monitor).
   *
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly monitorLabels?: { [key: string]: string };

  /**
   * The labels the Prometheus looks for on PrometheusRules (its `ruleSelector`).
   *
   * @default - the monitor labels
   */
  readonly ruleLabels?: { [key: string]: string };

  /**
   * The labels Grafana's dashboard sidecar looks for on ConfigMaps.
   *
   * @default { grafana_dashboard: '1' }
   */
  readonly dashboardLabels?: { [key: string]: string };
}

/**
 * The Prometheus Operator stack the cluster runs, described by the labels its Prometheus and Grafana select
 * objects by. kube-prometheus-stack's defaults (`*SelectorNilUsesHelmValues: true`, so
 * `matchLabels: { release: <release name> }`; the Grafana sidecar's `grafana_dashboard: "1"`) are
 * `PrometheusStack.kubePrometheusStack()`.
 */
export class PrometheusStack {
  /** kube-prometheus-stack installed as release `releaseName`, with its default selectors. */
  public static kubePrometheusStack(releaseName: string = 'kube-prometheus-stack'): PrometheusStack {
    checkArgs('PrometheusStack.kubePrometheusStack', 'PrometheusStack', 'kubePrometheusStack', [releaseName]);
    return new PrometheusStack({ monitorLabels: { release: releaseName } });
  }

  /** The labels every ServiceMonitor and PodMonitor carries. */
  public readonly monitorLabels: { [key: string]: string };
  /** The labels every PrometheusRule carries. */
  public readonly ruleLabels: { [key: string]: string };
  /** The labels every dashboard ConfigMap carries. */
  public readonly dashboardLabels: { [key: string]: string };

  public constructor(props: PrometheusStackProps = {}) {
    checkShape('PrometheusStack', 'PrometheusStackProps', props, 'props', true);
    this.monitorLabels = { ...(props.monitorLabels ?? { release: 'kube-prometheus-stack' }) };
    this.ruleLabels = { ...(props.ruleLabels ?? this.monitorLabels) };
    this.dashboardLabels = { ...(props.dashboardLabels ?? { grafana_dashboard: '1' }) };
    for (const [prop, labels] of [['monitorLabels', this.monitorLabels], ['ruleLabels', this.ruleLabels], ['dashboardLabels', this.dashboardLabels]] as const) {
      checkLabels('PrometheusStack', prop, labels);
    }
  }
}
