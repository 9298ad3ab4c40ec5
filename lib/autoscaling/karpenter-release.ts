import { PlatformBindings, ServiceAccountIdentity } from '../bindings';
import { ChartComponent, HelmRelease, chartPort, helmNames } from '../delivery';
import { ComponentReleaseProps, componentRelease } from '../delivery/internal';
import { NodeCapacity, Placement } from '../scheduling';

/**
 * The label Karpenter puts on every node it launches (the NodePool's name): its controller's pods must not
 * run on such nodes (kubernetes-sigs/karpenter `pkg/apis/v1/labels.go` NodePoolLabelKey).
 */
export const KARPENTER_NODEPOOL_LABEL = 'karpenter.sh/nodepool';

/** What `Karpenter` gives its release (internal: the release is built by `Karpenter` only). */
interface KarpenterReleaseProps extends ComponentReleaseProps {
  readonly bindings: PlatformBindings;
  readonly serviceAccount: ServiceAccountIdentity;
  readonly placement: Placement;
  readonly replicas: number;
}

/**
 * Karpenter's pinned upstream chart (`karpenter` from the OCI registry `oci://public.ecr.aws/karpenter`), with
 * values derived from a `Karpenter`: the cluster's name, the interruption queue and the controller's role from the
 * bindings, the controller on nodes Karpenter did not launch. Only a `Karpenter` makes one (`karpenter.release`).
 */
export class KarpenterRelease extends HelmRelease {
  /** The OCI registry path of the chart (without the chart name). */
  public static readonly REPOSITORY = 'oci://public.ecr.aws/karpenter';
  /** The chart name. */
  public static readonly CHART = 'karpenter';
  /** The controller's image repository. */
  public static readonly IMAGE_REPOSITORY = 'public.ecr.aws/karpenter/controller';

  /**
   * The release of a `Karpenter`.
   *
   * @internal
   */
  public static _of(props: KarpenterReleaseProps): KarpenterRelease {
    return new KarpenterRelease(props);
  }

  private readonly props: KarpenterReleaseProps;

  private constructor(props: KarpenterReleaseProps) {
    super({
      ...componentRelease(props, { repository: KarpenterRelease.REPOSITORY, chartName: KarpenterRelease.CHART }),
      // aws/karpenter-provider-aws v1.14.1 charts/karpenter: crds/ (NodePool, NodeClaim, EC2NodeClass, NodeOverlay,
      // CapacityBuffer), templates/clusterrole-core.yaml, clusterrole.yaml and aggregate-clusterrole.yaml.
      clusterScopedKinds: HelmRelease.CRDS_AND_CLUSTER_RBAC,
    });
    this.props = props;
  }

  /**
   * The controller, as the chart renders it (aws/karpenter-provider-aws v1.14.1 charts/karpenter
   * templates/deployment.yaml: container ports `http-metrics` on `controller.metrics.port` and `http` on
   * `controller.healthProbe.port`; templates/service.yaml: port `http-metrics`).
   */
  public get controller(): ChartComponent {
    const values = this.values;
    const { name, fullname } = helmNames(this.chartName, this.releaseName, values);
    const podLabels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': this.releaseName };
    const metrics = chartPort(values.controller?.metrics?.port ?? 8080, 'http-metrics');
    const health = chartPort(values.controller?.healthProbe?.port ?? 8081, 'http');
    return {
      deploymentName: fullname,
      namespace: this.namespace,
      podLabels,
      ports: [metrics, health],
      service: { name: fullname, labels: podLabels, ports: [metrics] },
    };
  }

  protected renderValues(): { [key: string]: any } {
    const { bindings, serviceAccount, placement, replicas } = this.props;
    const annotations = bindings.serviceAccountAnnotations(serviceAccount);
    const scheduling = placement.schedulingValues;
    return {
      replicas,
      serviceAccount: { create: true, name: serviceAccount.name, ...(Object.keys(annotations).length ? { annotations } : {}) },
      settings: {
        clusterName: bindings.clusterName,
        interruptionQueue: bindings.karpenterInterruptionQueueName,
        // The overhead the platform's capacity checks subtract too: stated, so the two cannot drift apart.
        vmMemoryOverheadPercent: NodeCapacity.VM_MEMORY_OVERHEAD_PERCENT / 100,
      },
      controller: {
        // The digest the release pipeline wrote for 1.14.1 (branch release-v1.14.1, commit c88abbbad, "Stable Release
        // updates Release v1.14.1"); main's docs commit kept 1.14.0's digest beside the 1.14.1 tag. Another version: by tag
        // alone (an empty digest), never the chart file's digest of another version.
        image: { repository: KarpenterRelease.IMAGE_REPOSITORY, tag: this.chartVersion, digest: KARPENTER_IMAGE_DIGESTS[this.chartVersion] ?? '' },
        // Without a region the controller asks IMDS (aws/karpenter-provider-aws v1.14.1 pkg/operator/operator.go) and exits
        // when it cannot: the nodes' hop limit of 1 keeps pods from IMDS. The cluster-autoscaler gets AWS_REGION too.
        env: [{ name: 'AWS_REGION', value: bindings.region }],
        // Upstream's getting-started install (website/content/en/docs/getting-started/.../step08-apply-helm-chart.sh).
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
      },
      ...(scheduling.nodeSelector ? { nodeSelector: scheduling.nodeSelector } : {}),
      // The placement's pools, and never a node Karpenter launched: it would drain the node it runs on. The chart's
      // default holds the second term alone; its required pod anti-affinity (one replica per node) stays.
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{
              matchExpressions: [
                ...(scheduling.nodeSelector ? [] : [placement.nodeSelectorRequirement]),
                { key: KARPENTER_NODEPOOL_LABEL, operator: 'DoesNotExist' },
              ],
            }],
          },
        },
      },
      tolerations: scheduling.tolerations,
    };
  }
}

/** The controller image's digest of each chart version the library knows (the chart pins tag and digest). */
const KARPENTER_IMAGE_DIGESTS: { [chartVersion: string]: string } = {
  '1.14.1': 'sha256:445baefaaa689029cc12ac1f659b916b0b82fb14308ce536f8521fcf079116fa',
};
