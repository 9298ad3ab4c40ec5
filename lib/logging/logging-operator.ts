import { Construct } from 'constructs';
import { ChartComponent, HelmRelease, chartPort, helmNames } from '../delivery';
import { ComponentReleaseProps, componentRelease } from '../delivery/internal';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { PlatformPriority } from '../spark';
import { checkPlatformNamespace, checkShape } from '../validation';

// distroless' "nonroot" user (GoogleContainerTools/distroless common/variables.bzl: NONROOT = 65532).
const DISTROLESS_NONROOT = 65532;

/**
 * Properties of a `LoggingOperator`.
 */
export interface LoggingOperatorProps {
  /** Every node pool of the platform: the operator runs on the on-demand ones. */
  readonly nodePools: NodePool[];

  /**
   * Where the operator runs. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * The namespace the operator is installed in; it is also the control namespace of the `Logging` (where
   * fluentd runs and ClusterOutputs live).
   *
   * @default 'logging'
   */
  readonly namespace?: string;

  /**
   * The Helm release name.
   *
   * @default 'logging-operator'
   */
  readonly releaseName?: string;

  /**
   * The exact version of the `logging-operator` chart (OCI, `oci://ghcr.io/kube-logging/helm-charts`).
   *
   * @default LoggingOperator.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Chart values merged over the library's typed values (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}

/** What `LoggingOperator` gives its release (internal: the release is built by `LoggingOperator` only). */
interface LoggingOperatorReleaseProps extends ComponentReleaseProps {
  readonly placement: Placement;
}

/**
 * The logging-operator's pinned upstream chart (`logging-operator` from the OCI registry
 * `oci://ghcr.io/kube-logging/helm-charts`) with values derived from a `LoggingOperator`. Only a
 * `LoggingOperator` makes one (`operator.release`).
 */
export class LoggingOperatorRelease extends HelmRelease {
  /** The OCI registry path of the chart (without the chart name). */
  public static readonly REPOSITORY = 'oci://ghcr.io/kube-logging/helm-charts';
  /** The chart name. */
  public static readonly CHART = 'logging-operator';

  /**
   * The release of a `LoggingOperator`.
   *
   * @internal
   */
  public static _of(props: LoggingOperatorReleaseProps): LoggingOperatorRelease {
    return new LoggingOperatorRelease(props);
  }

  private readonly placement: Placement;

  private constructor(props: LoggingOperatorReleaseProps) {
    super({
      ...componentRelease(props, { repository: LoggingOperatorRelease.REPOSITORY, chartName: LoggingOperatorRelease.CHART }),
      // kube-logging/logging-operator 6.7.0 charts/logging-operator: crds/ (16 CRDs), templates/clusterrole.yaml,
      // clusterrolebinding.yaml and the aggregated edit/admin ClusterRoles.
      clusterScopedKinds: HelmRelease.CRDS_AND_CLUSTER_RBAC,
    });
    this.placement = props.placement;
  }

  /**
   * The operator, as the chart renders it (kube-logging/logging-operator 6.7.0 charts/logging-operator
   * templates/deployment.yaml and service.yaml: port `http` on `http.port`).
   */
  public get operator(): ChartComponent {
    const values = this.values;
    const { name, fullname } = helmNames(this.chartName, this.releaseName, values);
    const podLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': this.releaseName };
    const http = chartPort(values.http?.port ?? 8080, 'http');
    return {
      deploymentName: fullname,
      namespace: this.namespace,
      podLabels,
      ports: [http],
      service: { name: fullname, labels: podLabels, ports: [http] },
    };
  }

  protected renderValues(): { [key: string]: any } {
    return {
      // The chart file says appVersion "latest"; the published 6.7.0 runs the 6.7.0 operator: pin it.
      image: { tag: this.chartVersion },
      ...this.placement.schedulingValues,
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
      // The image has no USER (kube-logging/logging-operator 6.7.0, Dockerfile: FROM gcr.io/distroless/static:latest),
      // so it would run as root and the kubelet would refuse it under runAsNonRoot: run it as distroless' nonroot.
      podSecurityContext: { runAsNonRoot: true, runAsUser: DISTROLESS_NONROOT, runAsGroup: DISTROLESS_NONROOT, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: restrictedContainer({ runAsNonRoot: false }),
      // The library renders the Logging, the FluentbitAgent, the flows and the outputs itself.
      logging: { enabled: false },
      rbac: { enabled: true },
      priorityClassName: PlatformPriority.COMPONENTS,
    };
  }
}

/**
 * The logging-operator (kube-logging, formerly Banzai Cloud): installed from its pinned upstream chart (OCI
 * only; `release`, delivered like every operator), on on-demand capacity. The `Logging` made from it runs
 * fluentd in the operator's namespace (the control namespace) and fluent-bit on every node.
 */
export class LoggingOperator extends Construct {
  /** The chart version the library is tested with. */
  public static readonly DEFAULT_CHART_VERSION = '6.7.0';

  /** The release (the pinned chart with the derived values). */
  public readonly release: LoggingOperatorRelease;
  /** The operator's namespace: the control namespace of its `Logging`. */
  public readonly namespace: string;
  /** Every node pool of the platform. */
  public readonly nodePools: NodePool[];
  /** Where the operator runs. */
  public readonly placement: Placement;

  public constructor(scope: Construct, id: string, props: LoggingOperatorProps) {
    super(scope, id);
    checkShape(this, 'LoggingOperatorProps', props, 'props');
    this.nodePools = [...(props.nodePools ?? [])];
    this.placement = componentPlacement(this, props.nodePools, props.placement, 'the logging-operator');
    PlatformPriority._ensure(this);
    this.namespace = checkPlatformNamespace(this, 'namespace', props.namespace ?? 'logging');
    this.release = LoggingOperatorRelease._of({
      releaseName: props.releaseName ?? 'logging-operator',
      namespace: this.namespace,
      chartVersion: props.chartVersion ?? LoggingOperator.DEFAULT_CHART_VERSION,
      placement: this.placement,
      extraValues: props.extraValues,
    });
  }
}
