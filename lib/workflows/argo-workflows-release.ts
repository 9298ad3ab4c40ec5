import { ChartComponent, ChartPort, HelmRelease, chartPort, helmNames } from '../delivery';
import { ComponentReleaseProps, componentRelease } from '../delivery/internal';

// The Argo Server listens on 2746 (argo-workflows cmd/argo/commands/server.go `--port` default; the chart's
// containerPort is fixed).
const ARGO_SERVER_PORT = 2746;

/** What `ArgoWorkflows` gives its release (internal: the release is built by `ArgoWorkflows` only). */
interface ArgoWorkflowsReleaseProps extends ComponentReleaseProps {
  /** The chart values, derived when read (by `ArgoWorkflows`). */
  readonly values: () => { [key: string]: any };
}

/**
 * Argo Workflows' pinned upstream chart (`argo-workflows` from https://argoproj.github.io/argo-helm) with values
 * derived from an `ArgoWorkflows`, computed when they are read. Only an `ArgoWorkflows` makes one
 * (`workflows.release`).
 */
export class ArgoWorkflowsRelease extends HelmRelease {
  /** The chart repository. */
  public static readonly REPOSITORY = 'https://argoproj.github.io/argo-helm';
  /** The chart name. */
  public static readonly CHART = 'argo-workflows';

  /**
   * The release of an `ArgoWorkflows`.
   *
   * @internal
   */
  public static _of(props: ArgoWorkflowsReleaseProps): ArgoWorkflowsRelease {
    return new ArgoWorkflowsRelease(props);
  }

  private readonly derivedValues: () => { [key: string]: any };

  private constructor(props: ArgoWorkflowsReleaseProps) {
    super({
      ...componentRelease(props, { repository: ArgoWorkflowsRelease.REPOSITORY, chartName: ArgoWorkflowsRelease.CHART }),
      // argo-helm argo-workflows-1.0.18 templates: the controller's, the server's and the aggregated
      // ClusterRoles and their bindings, the CRD job's; CRDs (crds.full=false renders them as templates).
      clusterScopedKinds: HelmRelease.CRDS_AND_CLUSTER_RBAC,
    });
    this.derivedValues = props.values;
  }

  // The chart renders a ServiceAccount and Role into each controller.workflowNamespaces entry only when
  // workflow.serviceAccount.create or workflow.rbac.create is on (templates/controller/workflow-*.yaml).
  protected renderOtherNamespaces(): string[] {
    const values = this.values;
    const renders = values.workflow?.rbac?.create || values.workflow?.serviceAccount?.create;
    const namespaces = values.controller?.workflowNamespaces;
    return renders && Array.isArray(namespaces) ? namespaces.filter((ns: unknown) => typeof ns === 'string' && ns !== '') : [];
  }

  protected renderValues(): { [key: string]: any } {
    return this.derivedValues();
  }

  /**
   * The workflow controller, as the chart renders it (argo-helm argo-workflows-1.0.18
   * templates/controller/workflow-controller-deployment.yaml and -service.yaml, `argo-workflows.selectorLabels`):
   * its metrics port and the Service a ServiceMonitor scrapes when `controller.metricsConfig.enabled`.
   */
  public get controller(): ChartComponent {
    const metrics = this.values.controller?.metricsConfig ?? {};
    return this.component(this.values.controller?.name ?? 'workflow-controller',
      metrics.enabled ? [chartPort(metrics.port ?? 9090, metrics.portName ?? 'metrics')] : [],
      metrics.enabled ? [chartPort(metrics.servicePort ?? 8080, metrics.servicePortName ?? 'metrics')] : undefined);
  }

  /**
   * The Argo Server, as the chart renders it (templates/server/server-deployment.yaml: container port 2746, named
   * `web`; server-service.yaml on `server.servicePort`).
   */
  public get server(): ChartComponent {
    const server = this.values.server ?? {};
    return this.component(server.name ?? 'server', [chartPort(ARGO_SERVER_PORT, 'web')],
      [chartPort(server.servicePort ?? ARGO_SERVER_PORT, server.servicePortName || undefined)]);
  }

  // A component as the chart's templates name it: `<fullname>-<component>` for the Deployment and the Service,
  // `argo-workflows.selectorLabels` (`<name>-<component>`, the release) on the pods, the component on the Service.
  private component(component: string, ports: ChartPort[], servicePorts?: ChartPort[]): ChartComponent {
    const { name, fullname } = helmNames(this.chartName, this.releaseName, this.values);
    const podLabels = { 'app.kubernetes.io/name': `${name}-${component}`, 'app.kubernetes.io/instance': this.releaseName };
    return {
      deploymentName: `${fullname}-${component}`,
      namespace: this.namespace,
      podLabels,
      ports,
      service: servicePorts ? { name: `${fullname}-${component}`, labels: { ...podLabels, 'app.kubernetes.io/component': component }, ports: servicePorts } : undefined,
    };
  }
}
