import { HelmRelease } from './helm-release';
import { Placement } from '../scheduling';
import { requireOnDemand } from '../scheduling/internal';
import { checkDns1123Subdomain, checkPlatformNamespace, checkShape, invalidProp } from '../validation';

/**
 * Single sign-on for Argo CD through an OIDC provider (Okta, Entra ID, Google, Cognito...). With SSO the
 * local `admin` user is switched off: every person signs in through the provider and gets the role of
 * their groups.
 */
export interface ArgoCdSso {
  /** The external URL of Argo CD (the provider redirects back to `<url>/auth/callback`). */
  readonly url: string;
  /** The OIDC issuer URL. */
  readonly issuer: string;
  /** The client ID registered with the provider. */
  readonly clientId: string;
  /**
   * The Kubernetes Secret in Argo CD's namespace holding the client secret (never in the manifest). It must
   * carry the label `app.kubernetes.io/part-of: argocd` for Argo CD to read it.
   */
  readonly clientSecretName: string;
  /**
   * The key of the client secret in that Secret.
   *
   * @default 'clientSecret'
   */
  readonly clientSecretKey?: string;
  /** The provider groups whose members administer Argo CD (role:admin). At least one. */
  readonly adminGroups: string[];
  /**
   * The provider groups whose members may read everything (role:readonly).
   *
   * @default - none: members of no listed group get no rights
   */
  readonly readOnlyGroups?: string[];
}

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
   * Single sign-on through OIDC; with it, the local `admin` user is off (`admin.enabled: false`).
   *
   * @default - no SSO: the local `admin` user, whose initial password is in the `argocd-initial-admin-secret` Secret
   */
  readonly sso?: ArgoCdSso;

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
  private readonly sso?: ArgoCdSso;

  public constructor(props: ArgoCdReleaseProps = {}) {
    checkShape('ArgoCdRelease', 'ArgoCdReleaseProps', props, 'props', true);
    super({
      releaseName: 'argocd',
      namespace: checkPlatformNamespace('ArgoCdRelease', 'namespace', props.namespace ?? 'argocd'),
      chartName: 'argo-cd',
      repository: ArgoCdRelease.REPOSITORY,
      chartVersion: props.chartVersion ?? ArgoCdRelease.DEFAULT_CHART_VERSION,
      extraValues: props.extraValues,
      // argo-helm argo-cd chart: its CRDs (templates/crds) and the controller's and server's cluster roles.
      clusterScopedKinds: HelmRelease.CRDS_AND_CLUSTER_RBAC,
    });
    if (props.placement) requireOnDemand('ArgoCdRelease', 'placement', props.placement, 'Argo CD delivers the platform and must run on on-demand capacity');
    this.placement = props.placement;
    this.highAvailability = props.highAvailability ?? false;
    this.sso = props.sso === undefined ? undefined : checkSso(props.sso);
  }

  protected renderValues(): { [key: string]: any } {
    const replicas = this.highAvailability ? 2 : 1;
    return {
      'global': this.placement ? {
        ...(this.placement.nodeSelector ? { nodeSelector: this.placement.nodeSelector } : {}),
        ...(this.placement.nodeSelector ? {} : { affinity: { nodeAffinity: { type: 'hard', matchExpressions: [this.placement.nodeSelectorRequirement] } } }),
        tolerations: this.placement.tolerations,
      } : {},
      'configs': {
        cm: { 'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH, ...this.ssoSettings() },
        ...(this.sso ? { rbac: this.ssoPolicy(this.sso) } : {}),
      },
      'dex': { enabled: false },
      // The chart sets no resources (values.yaml `resources: {}`); its container security contexts already
      // meet the restricted profile.
      'controller': { resources: resources('250m', '512Mi', '2Gi') },
      'server': { replicas, service: { type: 'ClusterIP' }, resources: resources('50m', '128Mi', '512Mi') },
      'repoServer': { replicas, resources: resources('100m', '256Mi', '1Gi') },
      'applicationSet': { replicas, resources: resources('50m', '64Mi', '256Mi') },
      'notifications': { resources: resources('50m', '64Mi', '128Mi') },
      'redis': { resources: resources('50m', '64Mi', '256Mi') },
      'redisSecretInit': { resources: resources('50m', '64Mi', '128Mi') },
      'redis-ha': { enabled: this.highAvailability },
    };
  }

  // argo-cd docs/operator-manual/user-management: `oidc.config` with `$<secret>:<key>` references a key of a
  // Secret labelled part-of argocd; `admin.enabled: "false"` removes the local admin.
  private ssoSettings(): { [key: string]: string } {
    const sso = this.sso;
    if (!sso) return {};
    const config = [
      'name: SSO',
      `issuer: ${sso.issuer}`,
      `clientID: ${sso.clientId}`,
      `clientSecret: $${sso.clientSecretName}:${sso.clientSecretKey ?? 'clientSecret'}`,
      'requestedScopes: ["openid", "profile", "email", "groups"]',
      '',
    ].join('\n');
    return { 'url': sso.url, 'oidc.config': config, 'admin.enabled': 'false' };
  }

  private ssoPolicy(sso: ArgoCdSso): { [key: string]: string } {
    const lines = [
      ...sso.adminGroups.map(group => `g, ${group}, role:admin`),
      ...(sso.readOnlyGroups ?? []).map(group => `g, ${group}, role:readonly`),
    ];
    return { 'policy.default': '', 'policy.csv': `${lines.join('\n')}\n`, 'scopes': '[groups]' };
  }
}

function resources(cpu: string, memory: string, memoryLimit: string): { [key: string]: any } {
  return { requests: { cpu, memory }, limits: { memory: memoryLimit } };
}

function checkSso(sso: ArgoCdSso): ArgoCdSso {
  const where = 'ArgoCdRelease';
  for (const [prop, value] of [['sso.url', sso.url], ['sso.issuer', sso.issuer]] as const) {
    if (typeof value !== 'string' || !/^https:\/\/[^\s/]+/.test(value)) throw invalidProp(where, prop, value, 'must be an https:// URL');
  }
  if (typeof sso.clientId !== 'string' || sso.clientId.trim() === '' || /\s/.test(sso.clientId)) {
    throw invalidProp(where, 'sso.clientId', sso.clientId, 'must be the client ID registered with the provider (no spaces)');
  }
  checkDns1123Subdomain(where, 'sso.clientSecretName', sso.clientSecretName);
  if (!Array.isArray(sso.adminGroups) || sso.adminGroups.length === 0) {
    throw invalidProp(where, 'sso.adminGroups', sso.adminGroups, 'must name at least one group: with SSO the local admin is off, someone must administer Argo CD');
  }
  for (const [prop, groups] of [['sso.adminGroups', sso.adminGroups], ['sso.readOnlyGroups', sso.readOnlyGroups ?? []]] as const) {
    groups.forEach((group, i) => {
      if (typeof group !== 'string' || group.trim() === '' || /[,\n]/.test(group)) {
        throw invalidProp(where, `${prop}[${i}]`, group, 'must be a group name without commas or line breaks (it is written into policy.csv)');
      }
    });
  }
  return sso;
}
