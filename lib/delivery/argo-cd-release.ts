import { HelmRelease } from './helm-release';
import { Placement } from '../scheduling';

/**
 * Properties of an `ArgoCdRelease`.
 */
export interface ArgoCdReleaseProps {
  /**
   * The nodes Argo CD runs on (on-demand capacity: it must not disappear with a spot reclaim).
   *
   * @default - no placement: the chart's defaults
   */
  readonly placement?: Placement;

  /**
   * Run Argo CD highly available: two replicas of the API server, repo server and ApplicationSet controller,
   * and Redis HA (needs at least three nodes).
   *
   * @default false
   */
  readonly highAvailability?: boolean;

  /**
   * The namespace Argo CD is installed in.
   *
   * @default 'argocd'
   */
  readonly namespace?: string;

  /**
   * The exact version of the `argo-cd` chart (https://argoproj.github.io/argo-helm).
   *
   * @default ArgoCdRelease.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Chart values merged over the library's (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}

// Argo CD stopped assessing the health of Applications in 1.8; without it, an app of apps applies its sync
// waves without waiting for the operators' Applications (and their CRDs) to be healthy.
const APPLICATION_HEALTH = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil and obj.status.health ~= nil then',
  '  hs.status = obj.status.health.status',
  '  if obj.status.health.message ~= nil then',
  '    hs.message = obj.status.health.message',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');

/**
 * Argo CD itself, from its pinned upstream chart (`argo-cd` from https://argoproj.github.io/argo-helm), with
 * what an app of apps needs: Application health assessment (so sync waves wait for operators), no Dex by
 * default, the API server not exposed outside the cluster. The AWS side installs it on the cluster.
 */
export class ArgoCdRelease extends HelmRelease {
  /** The chart version the library is tested with. */
  public static readonly DEFAULT_CHART_VERSION = '10.1.1';
  /** The chart repository. */
  public static readonly REPOSITORY = 'https://argoproj.github.io/argo-helm';

  private readonly placement?: Placement;
  private readonly highAvailability: boolean;

  public constructor(props: ArgoCdReleaseProps = {}) {
    super({
      releaseName: 'argocd',
      namespace: props.namespace ?? 'argocd',
      chartName: 'argo-cd',
      repository: ArgoCdRelease.REPOSITORY,
      chartVersion: props.chartVersion ?? ArgoCdRelease.DEFAULT_CHART_VERSION,
      extraValues: props.extraValues,
      // argo-helm argo-cd chart: its CRDs (templates/crds) and the controller's and server's cluster roles.
      clusterScopedKinds: [
        { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
        { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      ],
    });
    this.placement = props.placement;
    this.highAvailability = props.highAvailability ?? false;
  }

  protected renderValues(): { [key: string]: any } {
    const replicas = this.highAvailability ? 2 : 1;
    return {
      'global': this.placement ? {
        ...(this.placement.nodeSelector ? { nodeSelector: this.placement.nodeSelector } : {}),
        ...(this.placement.nodeSelector ? {} : { affinity: { nodeAffinity: { type: 'hard', matchExpressions: [this.placement.nodeSelectorRequirement] } } }),
        tolerations: this.placement.tolerations,
      } : {},
      'configs': { cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH } },
      'dex': { enabled: false },
      'server': { replicas, service: { type: 'ClusterIP' } },
      'repoServer': { replicas },
      'applicationSet': { replicas },
      'redis-ha': { enabled: this.highAvailability },
    };
  }
}
