import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { AlertRule, AlertRuleGroup } from './alert-rule';
import { GrafanaDashboard, GrafanaDashboardOptions } from './grafana-dashboard';
import { MetricsMonitor, MetricsMonitorOptions, MonitorTarget } from './metrics-monitor';
import { PipelineGroupCleanup } from './pipeline-group-cleanup';
import { PipelineOutcomePush } from './pipeline-outcome-push';
import { DEFAULT_RUNBOOK_BASE_URL, PlatformAlertRules } from './platform-alert-rules';
import { PlatformDashboards } from './platform-dashboards';
import { PrometheusStack } from './prometheus-stack';
import { Pushgateway, PushgatewayPersistence } from './pushgateway';
import { ClusterAutoscaler, Karpenter } from '../autoscaling';
import { SyncWave } from '../delivery';
import { SparkHistoryServer } from '../history';
import { NodePool, Placement } from '../scheduling';
import { SparkLabels, SparkOperator } from '../spark';
import { checkArgs, checkDns1123Subdomain, checkPinnedImage, checkPlatformNamespace, checkShape, invalidProp, promqlEqualityMatchers, wiringProblem } from '../validation';
import { ArgoWorkflows } from '../workflows';

// The groups of the library's own rules (platformRuleGroups): addAlert refuses their names without building every rule.
const RULE_GROUPS = {
  applications: 'spark-applications',
  pipelines: 'spark-pipelines',
  capacity: 'spark-platform-capacity',
  components: 'spark-platform-components',
};
const SCRAPE_TARGET_KINDS = ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob'];

/**
 * Properties of a `PlatformMonitoring`.
 */
export interface PlatformMonitoringProps {
  /** Every node pool of the platform: the Pushgateway runs on the on-demand ones. */
  readonly nodePools: NodePool[];

  /**
   * The Prometheus Operator stack the cluster runs (the labels its Prometheus and Grafana select by).
   *
   * @default PrometheusStack.kubePrometheusStack()
   */
  readonly stack?: PrometheusStack;

  /**
   * The namespace of the Pushgateway, the monitors, the rules and the dashboards (rendered in sync wave
   * `SyncWave.NAMESPACES`, enforcing the `restricted` profile).
   *
   * @default 'spark-monitoring'
   */
  readonly namespace?: string;

  /** The Spark Operator: its controller and every Spark driver of its job namespaces are scraped. @default - none */
  readonly sparkOperator?: SparkOperator;

  /** Argo Workflows: its controller is scraped and every pipeline pushes its outcome. @default - none */
  readonly workflows?: ArgoWorkflows;

  /** The cluster-autoscaler: scraped, with capacity alerts. @default - none */
  readonly clusterAutoscaler?: ClusterAutoscaler;

  /** Karpenter: scraped, with capacity alerts (failed launches, interruptions, pools at their limit). @default - none */
  readonly karpenter?: Karpenter;

  /** The Spark History Server: an alert when it has no available replica. @default - none */
  readonly historyServer?: SparkHistoryServer;

  /**
   * Where the Pushgateway runs. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * The Pushgateway's volume.
   *
   * @default - a 1 GiB claim of the cluster's default StorageClass
   */
  readonly pushgatewayPersistence?: PushgatewayPersistence;

  /**
   * The image pipelines push their outcome with (curl and a POSIX shell), pinned.
   *
   * @default PipelineOutcomePush.DEFAULT_IMAGE
   */
  readonly pushImage?: string;

  /**
   * The page the alerts' `runbook_url`s point into (`<url>#<alert name in lower case>`).
   *
   * @default - docs/observability.md of this library
   */
  readonly runbookBaseUrl?: string;
}

/** Options of a monitor a user adds. */
export interface PlatformMonitorOptions extends MetricsMonitorOptions {
  /**
   * The targets are installed by something else (a chart), not rendered by this app, so synth cannot check
   * that the monitor selects them.
   *
   * @default false
   */
  readonly targetsRenderedElsewhere?: boolean;
}

const DEFAULT_GROUP = 'spark-platform-custom';

/**
 * What the platform is watched with, on a cluster that runs the Prometheus Operator: a Pushgateway that
 * pipelines push their outcome to, monitors for the Spark Operator, every Spark driver, Argo Workflows'
 * controller, the Pushgateway and the cluster-autoscaler, a PrometheusRule of alerts (failed applications and
 * pipelines, overdue schedules, unschedulable pods, autoscaler errors, components down), and Grafana
 * dashboards (Spark jobs, pipelines, platform health). Teams add their own alerts, panels and monitors.
 */
export class PlatformMonitoring extends Construct {
  /** The namespace. */
  public readonly namespace: string;
  /** The Prometheus stack. */
  public readonly stack: PrometheusStack;
  /** The Pushgateway. */
  public readonly pushgateway: Pushgateway;
  /** The PrometheusRule holding every alert. */
  public readonly rules: ApiObject;
  private readonly props: PlatformMonitoringProps;
  private readonly runbookBaseUrl: string;
  private readonly monitors: Array<{ monitor: MetricsMonitor; checked: boolean }> = [];
  /** The hourly job that deletes the Pushgateway groups of pipelines the platform no longer has, with pipelines. */
  public readonly pipelineGroupCleanup?: PipelineGroupCleanup;
  private readonly customRules = new Map<string, AlertRule[]>();
  private readonly dashboards: GrafanaDashboard[] = [];

  public constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    checkShape(this, 'PlatformMonitoringProps', props, 'props');
    this.props = props;
    this.stack = props.stack ?? PrometheusStack.kubePrometheusStack();
    this.namespace = checkPlatformNamespace(this, 'namespace', props.namespace ?? 'spark-monitoring');
    this.runbookBaseUrl = props.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL;
    const namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    SyncWave.set(namespace, SyncWave.NAMESPACES);
    this.pushgateway = new Pushgateway(this, 'Pushgateway', {
      nodePools: props.nodePools, namespace: this.namespace, stack: this.stack, placement: props.placement, persistence: props.pushgatewayPersistence,
    });
    this.monitors.push({ monitor: this.pushgateway.monitor, checked: true });
    this.monitorComponents();
    if (props.workflows) {
      const image = checkPinnedImage(this, 'pushImage', props.pushImage ?? PipelineOutcomePush.DEFAULT_IMAGE);
      props.workflows.addExitStepToEveryPipeline(new PipelineOutcomePush(this.pushgateway, image));
      // The groups of removed or renamed pipelines go: the Pushgateway keeps them forever otherwise.
      this.pipelineGroupCleanup = new PipelineGroupCleanup(this, 'PipelineGroupCleanup', {
        pushgateway: this.pushgateway, workflows: props.workflows, nodePools: props.nodePools, placement: props.placement, image,
      });
    }
    this.rules = new ApiObject(this, 'Rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'spark-platform', namespace: this.namespace, labels: { ...this.stack.ruleLabels } },
      spec: Lazy.any({ produce: () => ({ groups: this.ruleGroups }) }),
    });
    SyncWave.markCustomResource(this.rules);
    this.addPlatformDashboards();
    this.node.addValidation({ validate: () => this.checkMonitors() });
    this.node.addValidation({ validate: () => this.checkAlertNames() });
  }

  /**
   * The rule groups, as a Prometheus rule file holds them (`promtool check rules` reads this shape): the
   * library's, then yours.
   */
  public get ruleGroups(): AlertRuleGroup[] {
    const groups = [...this.platformRuleGroups(), ...[...this.customRules].map(([name, rules]) => ({ name, rules }))];
    return groups.filter(g => g.rules.length > 0).map(g => ({ name: g.name, rules: g.rules.map(r => r.toRule()) }));
  }

  /** The dashboards. */
  public get allDashboards(): GrafanaDashboard[] {
    return [...this.dashboards];
  }

  /** Adds an alert to a rule group of yours (checked when the rule is made). */
  public addAlert(rule: AlertRule, group: string = DEFAULT_GROUP): void {
    checkArgs(this, 'PlatformMonitoring', 'addAlert', [rule, group]);
    if (!(rule instanceof AlertRule)) throw invalidProp(this, 'rule', rule, 'must be an AlertRule');
    checkDns1123Subdomain(this, 'group', group);
    if (Object.values(RULE_GROUPS).includes(group)) throw invalidProp(this, 'group', group, 'is one of the library\'s groups: use a group of your own');
    const rules = this.customRules.get(group) ?? [];
    rules.push(rule);
    this.customRules.set(group, rules);
  }

  // An alert of yours that selects a namespace, team or pipeline of the platform's series by a name the platform
  // does not have matches nothing and stays silent forever.
  private checkAlertNames(): string[] {
    const { sparkOperator, workflows } = this.props;
    const namespaces = sparkOperator?.jobNamespaces ?? [];
    const pipelines = workflows?.pipelines ?? [];
    const platformSeries = (metric?: string) => metric === undefined || /^spark_(pipeline|application|executor)_/.test(metric);
    const errors: string[] = [];
    for (const [group, rules] of this.customRules) {
      for (const rule of rules) {
        const where = `alert ${rule.name} (group ${group})`;
        const matchers = promqlEqualityMatchers(rule.expr).filter(m => platformSeries(m.metric));
        const namespace = matchers.find(m => m.label === 'namespace')?.value;
        const teams = [...matchers.filter(m => m.label === 'team').map(m => m.value), ...[rule.toRule().labels.team].filter((t): t is string => typeof t === 'string')];
        if (sparkOperator && namespace !== undefined && !namespaces.some(ns => ns.name === namespace)) {
          errors.push(wiringProblem(this, `${where} selects namespace="${namespace}", which is no team's namespace (${namespaces.map(ns => ns.name).join(', ') || 'none'}): it would never fire`));
        }
        for (const team of sparkOperator ? teams : []) {
          if (!namespaces.some(ns => ns.team.name === team)) {
            errors.push(wiringProblem(this, `${where} names team "${team}", which the platform does not have (${namespaces.map(ns => ns.team.name).join(', ') || 'none'})`));
          }
        }
        for (const m of workflows ? matchers.filter(x => x.label === 'pipeline') : []) {
          if (!pipelines.some(p => p.name === m.value && (namespace === undefined || p.namespace.name === namespace))) {
            errors.push(wiringProblem(this, `${where} selects pipeline="${m.value}"${namespace ? ` in ${namespace}` : ''}, which the platform does not have `
              + `(${pipelines.map(p => `${p.namespace.name}/${p.name}`).join(', ') || 'none'}): it would never fire`));
          }
        }
      }
    }
    return errors;
  }

  /** Adds a dashboard (a ConfigMap for Grafana's sidecar in this namespace). */
  public addDashboard(id: string, options: GrafanaDashboardOptions): GrafanaDashboard {
    checkArgs(this, 'PlatformMonitoring', 'addDashboard', [id, options]);
    checkShape(`${this.node.path}/Dashboard-${id}`, 'GrafanaDashboardOptions', options, 'options');
    const dashboard = new GrafanaDashboard(this, `Dashboard-${id}`, { ...options, uid: options.uid ?? id, namespace: this.namespace, stack: this.stack });
    this.dashboards.push(dashboard);
    return dashboard;
  }

  /**
   * Adds a monitor. Unless `targetsRenderedElsewhere`, synth checks that it selects a pod or Service this app
   * renders, with the port it names.
   */
  public addMonitor(id: string, options: PlatformMonitorOptions): MetricsMonitor {
    checkArgs(this, 'PlatformMonitoring', 'addMonitor', [id, options]);
    checkShape(`${this.node.path}/Monitor-${id}`, 'PlatformMonitorOptions', options, 'options');
    const monitor = new MetricsMonitor(this, `Monitor-${id}`, { ...options, namespace: this.namespace, stack: this.stack });
    this.monitors.push({ monitor, checked: !options.targetsRenderedElsewhere });
    return monitor;
  }

  // Targets installed by charts are described by the charts' templates (named where each is made).
  private monitorComponents(): void {
    const { sparkOperator, workflows, clusterAutoscaler, karpenter } = this.props;
    if (sparkOperator) {
      const release = sparkOperator.release;
      // The controller's pods and metrics port as the release describes them (no Service exposes it). honorLabels
      // keeps the metrics' own `namespace` (the application's) over the operator pod's.
      const controller = release.controller;
      if (controller.ports[0]?.name) {
        this.addChartMonitor('spark-operator', MonitorTarget.PODS, controller.podLabels, [release.namespace],
          [{ port: controller.ports[0].name, path: '/metrics', honorLabels: true }]);
      }
      // Spark's Constants.scala UI_PORT_NAME "spark-ui" on the driver (KubernetesConf: spark-role=driver); the
      // PrometheusServlet and PrometheusResource paths the jobs switch on (SparkSettings.prometheusMetrics).
      const drivers = new MetricsMonitor(this, 'Monitor-spark-drivers', {
        name: 'spark-drivers',
        namespace: this.namespace,
        stack: this.stack,
        target: MonitorTarget.PODS,
        selector: { 'spark-role': 'driver', [SparkLabels.METRICS]: 'prometheus' },
        namespaces: [sparkOperator.release.namespace],
        endpoints: [{ port: 'spark-ui', path: '/metrics/prometheus' }, { port: 'spark-ui', path: '/metrics/executors/prometheus' }],
      });
      // The job namespaces, also those added after this construct.
      drivers._namespacesFrom(() => sparkOperator.jobNamespaces.map(ns => ns.name));
      this.monitors.push({ monitor: drivers, checked: false });
    }
    if (workflows) {
      // The controller's metrics Service as the release describes it (metricsConfig on).
      const release = workflows.release;
      const service = release.controller.service;
      if (service?.ports[0]?.name) {
        // honorLabels keeps the metrics' own `namespace` (the workflow's) instead of renaming it exported_namespace
        // under the controller's (Prometheus' honor_labels).
        this.addChartMonitor('argo-workflows-controller', MonitorTarget.SERVICES, service.labels, [release.namespace],
          [{ port: service.ports[0].name, path: '/metrics', honorLabels: true }]);
      }
    }
    if (clusterAutoscaler) {
      // Rendered by ClusterAutoscaler: the metrics Service, port "metrics" (8085; cluster-autoscaler main.go serves /metrics).
      this.monitors.push({
        monitor: new MetricsMonitor(this, 'Monitor-cluster-autoscaler', {
          name: 'cluster-autoscaler',
          namespace: this.namespace,
          stack: this.stack,
          target: MonitorTarget.SERVICES,
          selector: { 'app.kubernetes.io/name': 'cluster-autoscaler', 'app.kubernetes.io/part-of': 'spark-platform' },
          namespaces: [clusterAutoscaler.namespace],
          endpoints: [{ port: 'metrics', path: '/metrics' }],
        }),
        checked: true,
      });
    }
    if (karpenter) {
      // The chart's metrics Service, port "http-metrics" (KarpenterRelease.controller).
      const service = karpenter.release.controller.service!;
      this.addChartMonitor('karpenter', MonitorTarget.SERVICES, service.labels, [karpenter.namespace], [{ port: service.ports[0].name!, path: '/metrics' }]);
    }
  }

  private addChartMonitor(name: string, target: MonitorTarget, selector: { [key: string]: string }, namespaces: string[], endpoints: MetricsMonitorOptions['endpoints']): void {
    const monitor = new MetricsMonitor(this, `Monitor-${name}`, { name, namespace: this.namespace, stack: this.stack, target, selector, namespaces, endpoints });
    this.monitors.push({ monitor, checked: false });
  }

  private platformRuleGroups(): Array<{ name: string; rules: AlertRule[] }> {
    const { sparkOperator, workflows, clusterAutoscaler, karpenter, historyServer } = this.props;
    const base = this.runbookBaseUrl;
    const overdue = (workflows?.pipelines ?? []).flatMap(p => p.schedules.flatMap(s =>
      [PlatformAlertRules.sparkPipelineOverdue(p, s, base), PlatformAlertRules.sparkPipelineNeverSucceeded(p, s, base)]));
    const down = (alert: string, what: string, monitor: string) => {
      const m = this.monitors.find(x => x.monitor.name === monitor)!.monitor;
      // Prometheus Operator: a ServiceMonitor's job is the Service's name; a PodMonitor's "<its namespace>/<its name>".
      const job = m.target === MonitorTarget.SERVICES ? this.jobOfService(monitor) : `${this.namespace}/${m.name}`;
      return PlatformAlertRules.componentDown(alert, what, job, m.namespaces[0], base);
    };
    return [
      { name: RULE_GROUPS.applications, rules: sparkOperator ? [PlatformAlertRules.sparkApplicationFailed(base)] : [] },
      {
        name: RULE_GROUPS.pipelines,
        rules: workflows?.pipelines.length ? [PlatformAlertRules.sparkPipelineFailed(workflows.pipelines, base), ...overdue] : [],
      },
      {
        name: RULE_GROUPS.capacity,
        rules: [
          ...(clusterAutoscaler ? [PlatformAlertRules.podsUnschedulable(base), PlatformAlertRules.clusterAutoscalerErrors(base)] : []),
          ...(karpenter ? [
            PlatformAlertRules.karpenterPodsUnschedulable(base), PlatformAlertRules.karpenterNodesNotLaunching(base),
            PlatformAlertRules.karpenterInsufficientCapacity(base), PlatformAlertRules.karpenterCloudProviderErrors(base),
            PlatformAlertRules.karpenterSpotInterruptions(base), PlatformAlertRules.karpenterNodePoolAtLimit(base),
          ] : []),
        ],
      },
      {
        name: RULE_GROUPS.components,
        rules: [
          down('PushgatewayDown', 'The Pushgateway', 'pushgateway'),
          ...(sparkOperator ? [down('SparkOperatorDown', 'The Spark Operator', 'spark-operator')] : []),
          ...(workflows ? [down('ArgoWorkflowsControllerDown', 'The Argo Workflows controller', 'argo-workflows-controller')] : []),
          ...(clusterAutoscaler ? [down('ClusterAutoscalerDown', 'The cluster-autoscaler', 'cluster-autoscaler')] : []),
          ...(karpenter ? [down('KarpenterDown', 'Karpenter', 'karpenter')] : []),
          ...(historyServer ? [PlatformAlertRules.historyServerDown(historyServer.namespace, historyServer.serviceName, base)] : []),
        ],
      },
    ];
  }

  private jobOfService(monitor: string): string {
    if (monitor === 'pushgateway') return this.pushgateway.serviceName;
    if (monitor === 'argo-workflows-controller') return `${this.props.workflows!.release.releaseName}-workflow-controller`;
    if (monitor === 'karpenter') return this.props.karpenter!.release.controller.service!.name;
    return 'cluster-autoscaler';
  }

  private addPlatformDashboards(): void {
    this.addDashboard('spark-jobs', { title: 'Spark jobs', panels: PlatformDashboards.sparkJobs() });
    this.addDashboard('spark-pipelines', { title: 'Spark pipelines', panels: PlatformDashboards.pipelines() });
    const jobs = this.platformRuleGroups().find(g => g.name === RULE_GROUPS.components)!.rules
      .map(r => /job="([^"]+)"/.exec(r.expr)?.[1]).filter((j): j is string => !!j);
    this.addDashboard('spark-platform-health', {
      title: 'Spark platform health',
      panels: PlatformDashboards.platformHealth(jobs, this.props.historyServer?.serviceName, this.props.karpenter !== undefined),
    });
  }

  // A monitor of rendered targets must select at least one of them, on a port of the name it scrapes.
  private checkMonitors(): string[] {
    // Only Services and workloads can be scrape targets: render those alone (rendering is the cost of a synth).
    const objects = this.node.root.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject && SCRAPE_TARGET_KINDS.includes(c.kind)).map(o => o.toJson());
    const errors: string[] = [];
    for (const { monitor } of this.monitors.filter(m => m.checked)) {
      const candidates = monitor.target === MonitorTarget.SERVICES
        ? objects.filter(o => o.kind === 'Service').map(o => ({ ns: o.metadata.namespace, labels: o.metadata.labels ?? {}, ports: (o.spec.ports ?? []).map((p: any) => p.name) }))
        : objects.filter(o => o.spec?.template?.spec?.containers).map(o => ({
          ns: o.metadata.namespace,
          labels: o.spec.template.metadata?.labels ?? {},
          ports: o.spec.template.spec.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name)),
        }));
      const matches = (labels: { [key: string]: string }) => Object.entries(monitor.selector).every(([k, v]) => labels[k] === v);
      const selected = candidates.filter(c => monitor.namespaces.includes(c.ns) && matches(c.labels));
      const what = monitor.target === MonitorTarget.SERVICES ? 'Service' : 'pod';
      if (selected.length === 0) {
        errors.push(wiringProblem(monitor, `${monitor.target} "${monitor.name}" selects no ${what} of this app (labels ${JSON.stringify(monitor.selector)} in `
          + `${monitor.namespaces.join(', ')}): it would scrape nothing; fix the selector, or say targetsRenderedElsewhere for targets a chart installs`));
        continue;
      }
      for (const endpoint of monitor.endpoints) {
        if (!selected.some(c => c.ports.includes(endpoint.port))) {
          errors.push(wiringProblem(monitor, `${monitor.target} "${monitor.name}" scrapes port "${endpoint.port}", which no selected ${what} names`));
        }
      }
    }
    return errors;
  }
}
