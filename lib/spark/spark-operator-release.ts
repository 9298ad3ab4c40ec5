import { PlatformPriority } from './platform-priority';
import { ChartComponent, HelmRelease, chartPort, helmNames } from '../delivery';
import { ComponentReleaseProps, componentRelease } from '../delivery/internal';
import { Placement } from '../scheduling';

/** What `SparkOperator` gives its release (internal: the release is built by the operator only). */
interface SparkOperatorReleaseProps extends ComponentReleaseProps {
  /** Where the operator's controller and webhook run. */
  readonly placement: Placement;
  /** The names of the job namespaces the operator watches, read when the values are. */
  readonly jobNamespaces: () => string[];
  /** Controller replicas. */
  readonly controllerReplicas: number;
  /** Webhook replicas. */
  readonly webhookReplicas: number;
}

/**
 * The Spark Operator's pinned upstream chart (`spark-operator` from https://kubeflow.github.io/spark-operator)
 * with values derived from a `SparkOperator`, computed when they are read: job namespaces added after the
 * release was created are included. Only a `SparkOperator` makes one (`operator.release`).
 */
export class SparkOperatorRelease extends HelmRelease {
  /** The chart repository. */
  public static readonly REPOSITORY = 'https://kubeflow.github.io/spark-operator';
  /** The chart name. */
  public static readonly CHART = 'spark-operator';
  /**
   * The labels the operator puts on its metrics (`--metrics-labels`): `app_type` (the chart's default) and
   * `namespace`, the application's namespace, which is the team's.
   */
  public static readonly METRICS_LABELS = ['app_type', 'namespace'];

  /**
   * The release of a `SparkOperator`.
   *
   * @internal
   */
  public static _of(props: SparkOperatorReleaseProps): SparkOperatorRelease {
    return new SparkOperatorRelease(props);
  }

  private readonly placement: Placement;
  private readonly jobNamespaces: () => string[];
  private readonly controllerReplicas: number;
  private readonly webhookReplicas: number;

  private constructor(props: SparkOperatorReleaseProps) {
    super({
      ...componentRelease(props, { repository: SparkOperatorRelease.REPOSITORY, chartName: SparkOperatorRelease.CHART }),
      // The operator generates its webhook certificate and writes the CA bundle into the webhook
      // configurations at run time.
      ownedElsewhere: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map(kind => ({
        group: 'admissionregistration.k8s.io',
        kind,
        jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
      })),
      // kubeflow/spark-operator v2.5.2 charts/spark-operator-chart: crds/, controller/rbac.yaml and
      // webhook/rbac.yaml (ClusterRole, ClusterRoleBinding), webhook/*webhookconfiguration.yaml.
      clusterScopedKinds: [
        ...HelmRelease.CRDS_AND_CLUSTER_RBAC,
        { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
        { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
      ],
    });
    this.placement = props.placement;
    this.jobNamespaces = props.jobNamespaces;
    this.controllerReplicas = props.controllerReplicas;
    this.webhookReplicas = props.webhookReplicas;
  }

  /**
   * The controller, as the chart renders it (kubeflow/spark-operator v2.5.2 charts/spark-operator-chart
   * templates/controller/deployment.yaml, `spark-operator.controller.selectorLabels`): its metrics port when
   * `prometheus.metrics.enable`.
   */
  public get controller(): ChartComponent {
    const values = this.values;
    return {
      deploymentName: `${helmNames(this.chartName, this.releaseName, values).fullname}-controller`,
      namespace: this.namespace,
      podLabels: this.componentLabels(values, 'controller'),
      ports: values.prometheus?.metrics?.enable ? [this.metricsPort(values)] : [],
    };
  }

  /**
   * The webhook, as the chart renders it (templates/webhook/deployment.yaml and service.yaml: the Service
   * `<fullname>-webhook-svc` the API server calls, on `webhook.port`).
   */
  public get webhook(): ChartComponent {
    const values = this.values;
    const labels = this.componentLabels(values, 'webhook');
    const webhook = chartPort(values.webhook?.port ?? 9443, values.webhook?.portName ?? 'webhook');
    const { fullname } = helmNames(this.chartName, this.releaseName, values);
    return {
      deploymentName: `${fullname}-webhook`,
      namespace: this.namespace,
      podLabels: labels,
      ports: [webhook, ...values.prometheus?.metrics?.enable ? [this.metricsPort(values)] : []],
      service: { name: `${fullname}-webhook-svc`, labels, ports: [webhook] },
    };
  }

  // templates/_helpers.tpl spark-operator.selectorLabels and templates/{controller,webhook}/_helpers.tpl.
  private componentLabels(values: { [key: string]: any }, component: string): { [key: string]: string } {
    return {
      'app.kubernetes.io/name': helmNames(this.chartName, this.releaseName, values).name,
      'app.kubernetes.io/instance': this.releaseName,
      'app.kubernetes.io/component': component,
    };
  }

  private metricsPort(values: { [key: string]: any }) {
    return chartPort(values.prometheus?.metrics?.port ?? 8080, values.prometheus?.metrics?.portName ?? 'metrics');
  }

  // The chart renders the controller's and the webhook's Role and RoleBinding into every job namespace
  // (controller/rbac.yaml, webhook/rbac.yaml): read from the values actually delivered, extraValues included.
  protected renderOtherNamespaces(): string[] {
    const jobNamespaces = this.values.spark?.jobNamespaces;
    return Array.isArray(jobNamespaces) ? jobNamespaces.filter((ns: unknown) => typeof ns === 'string' && ns !== '') : [];
  }

  protected renderValues(): { [key: string]: any } {
    const placement = this.placement;
    const scheduling = placement.schedulingValues;
    return {
      controller: {
        replicas: this.controllerReplicas,
        ...scheduling,
        priorityClassName: PlatformPriority.COMPONENTS,
        podDisruptionBudget: { enable: this.controllerReplicas > 1, minAvailable: 1 },
        // The chart sets none (values.yaml `resources: {}`): without them the controller is BestEffort, the first
        // pod evicted under memory pressure. Its informers cache the jobs' pods, so memory grows with them.
        resources: { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '1Gi' } },
      },
      webhook: {
        enable: true,
        replicas: this.webhookReplicas,
        ...scheduling,
        priorityClassName: PlatformPriority.COMPONENTS,
        podDisruptionBudget: { enable: this.webhookReplicas > 1, minAvailable: 1 },
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      },
      spark: {
        // The job namespaces are the JobNamespace objects added to the operator, never retyped.
        jobNamespaces: this.jobNamespaces(),
        // Each JobNamespace renders its own service account (with its IAM role) and driver RBAC.
        serviceAccount: { create: false },
        rbac: { create: false },
      },
      // The operator labels its metrics with the application's namespace only when `namespace` is among
      // --metrics-labels (kubeflow/spark-operator v2.5.2 internal/metrics/sparkapplication_metrics.go
      // getMetricLabels; the chart's default is app_type alone): the alerts and the team panels group by it.
      prometheus: { metrics: { enable: true, labels: SparkOperatorRelease.METRICS_LABELS.join(',') } },
    };
  }
}
