import { checkDns1123Label, checkShape, invalidProp } from '../validation';
import { deepMerge } from './private/deep-merge';

/**
 * A kind of Kubernetes object: its API group and kind.
 */
export interface GroupKind {
  /** The API group ('' for the core group). */
  readonly group: string;
  /** The kind. */
  readonly kind: string;
}

/**
 * A field of a released object that something other than the chart owns at run time (an operator writing
 * its webhook's CA bundle, an autoscaler writing replicas): GitOps must neither report it as drift nor revert it.
 */
export interface OwnedElsewhere extends GroupKind {
  /** jq path expressions of the fields, e.g. `.webhooks[]?.clientConfig.caBundle`. */
  readonly jqPathExpressions: string[];
}

/**
 * Properties of a `HelmRelease`.
 */
export interface HelmReleaseProps {
  /**
   * The Helm release name: lower-case alphanumerics, '-' and '.', at most 53 characters (Helm's rule).
   */
  readonly releaseName: string;

  /**
   * The namespace the release is installed in: a DNS-1123 label.
   */
  readonly namespace: string;

  /**
   * The chart's name in its repository, e.g. `spark-operator`.
   */
  readonly chartName: string;

  /**
   * The chart repository: an https Helm repository (`https://kubeflow.github.io/spark-operator`) or an OCI
   * registry path without the chart name (`oci://ghcr.io/kube-logging/helm-charts`).
   */
  readonly repository: string;

  /**
   * The exact chart version (SemVer, e.g. `2.5.2`). Ranges, `latest` and empty are rejected: a platform is
   * reproducible only with pinned charts.
   */
  readonly chartVersion: string;

  /**
   * The values the library sets (typed by the construct that creates the release).
   *
   * @default - none
   */
  readonly values?: { [key: string]: any };

  /**
   * Your values, merged deeply over the library's (yours win; lists are replaced; `null` removes a key).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };

  /**
   * Fields of the release's objects that are written at run time by something other than the chart.
   *
   * @default - none
   */
  readonly ownedElsewhere?: OwnedElsewhere[];

  /**
   * The namespaces, besides `namespace`, that the chart renders objects into (the Spark Operator's chart
   * renders Roles into every job namespace). They must exist before the release is applied: `GitOps` checks
   * that a Namespace of the app creates each of them in an earlier sync wave.
   *
   * @default - none
   */
  readonly otherNamespaces?: string[];

  /**
   * The cluster-scoped kinds the chart renders (CRDs, ClusterRoles, webhook configurations): `GitOps` allows
   * exactly these in the platform's AppProject.
   *
   * @default - none
   */
  readonly clusterScopedKinds?: GroupKind[];
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CHART_NAME = /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const HTTPS_REPOSITORY = /^https:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+(:[0-9]+)?(\/[A-Za-z0-9._~%-]+)*\/?$/;
const OCI_REPOSITORY = /^oci:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+(:[0-9]+)?(\/[a-z0-9._-]+)+$/;

/**
 * A pinned upstream Helm chart with typed values: how the platform installs the operators that own CRDs
 * (Spark Operator, Argo Workflows, logging-operator, Argo CD itself).
 *
 * A `HelmRelease` is a plain value object, not a construct: the Kubernetes side renders it as an Argo CD
 * `Application` (`GitOps.addHelmRelease()`), and the AWS side can install the same object with aws-eks-v2's
 * `HelmChart`. Its `values` are computed when read, so constructs can derive them from objects added later.
 */
export class HelmRelease {
  /**
   * The cluster-scoped kinds an operator's chart renders at least: its CustomResourceDefinitions, and the
   * ClusterRoles and ClusterRoleBindings of its controller (for `clusterScopedKinds`).
   */
  public static readonly CRDS_AND_CLUSTER_RBAC: GroupKind[] = [
    { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  ];

  /** The Helm release name. */
  public readonly releaseName: string;
  /** The namespace the release is installed in. */
  public readonly namespace: string;
  /** The chart's name. */
  public readonly chartName: string;
  /** The chart repository (https URL, or `oci://` registry path without the chart name). */
  public readonly repository: string;
  /** The exact chart version. */
  public readonly chartVersion: string;
  /** Fields of the release's objects written at run time by something other than the chart. */
  public readonly ownedElsewhere: OwnedElsewhere[];
  /** The cluster-scoped kinds the chart renders. */
  public readonly clusterScopedKinds: GroupKind[];
  private readonly libraryValues: { [key: string]: any };
  private readonly libraryOtherNamespaces: string[];
  private readonly extraValues: { [key: string]: any };

  public constructor(props: HelmReleaseProps) {
    const where = `HelmRelease ${JSON.stringify(props?.releaseName)}`;
    checkShape(where, 'HelmReleaseProps', props, 'props');
    if (typeof props.releaseName !== 'string' || props.releaseName.length > 53 || !RELEASE_NAME.test(props.releaseName)) {
      throw invalidProp(where, 'releaseName', props.releaseName,
        'must be a Helm release name: lower-case alphanumerics, \'-\' and \'.\', starting and ending alphanumeric, at most 53 characters');
    }
    this.releaseName = props.releaseName;
    this.namespace = checkDns1123Label(where, 'namespace', props.namespace);
    if (typeof props.chartName !== 'string' || !CHART_NAME.test(props.chartName)) {
      throw invalidProp(where, 'chartName', props.chartName, 'must be a chart name: lower-case alphanumerics, \'-\', \'_\' and \'.\'');
    }
    this.chartName = props.chartName;
    if (typeof props.repository !== 'string' || !(HTTPS_REPOSITORY.test(props.repository) || OCI_REPOSITORY.test(props.repository))) {
      throw invalidProp(where, 'repository', props.repository,
        'must be an https Helm repository URL (e.g. "https://kubeflow.github.io/spark-operator") or an OCI registry path without the chart name (e.g. "oci://ghcr.io/kube-logging/helm-charts")');
    }
    // "oci://<host>/<path>/<chart>" given whole. A path that is the chart's name alone is a registry namespace
    // (oci://public.ecr.aws/karpenter holds the chart karpenter): refusing it would refuse upstream's own reference.
    const ociPath = props.repository.startsWith('oci://') ? props.repository.slice('oci://'.length).split('/').slice(1) : [];
    if (ociPath.length > 1 && ociPath[ociPath.length - 1] === props.chartName) {
      throw invalidProp(where, 'repository', props.repository, `must not end with the chart name: give "${props.repository.slice(0, -props.chartName.length - 1)}" and chartName "${props.chartName}"`);
    }
    this.repository = props.repository.replace(/\/$/, '');
    if (typeof props.chartVersion !== 'string' || !SEMVER.test(props.chartVersion)) {
      throw invalidProp(where, 'chartVersion', props.chartVersion,
        'must be an exact chart version such as "2.5.2" (no ranges, "v" prefixes, "latest" or empty): pinned charts keep the platform reproducible');
    }
    this.chartVersion = props.chartVersion;
    this.ownedElsewhere = [...(props.ownedElsewhere ?? [])];
    this.clusterScopedKinds = (props.clusterScopedKinds ?? []).map(k => ({ group: k.group, kind: k.kind }));
    this.libraryOtherNamespaces = (props.otherNamespaces ?? []).map((ns, i) => checkDns1123Label(where, `otherNamespaces[${i}]`, ns));
    this.libraryValues = props.values ?? {};
    this.extraValues = props.extraValues ?? {};
  }

  /** True when the chart comes from an OCI registry. */
  public get isOci(): boolean {
    return this.repository.startsWith('oci://');
  }

  /** The full OCI chart reference (`oci://registry/path/chart`), or undefined for an https repository. */
  public get ociChartReference(): string | undefined {
    return this.isOci ? `${this.repository}/${this.chartName}` : undefined;
  }

  /**
   * The release's values: the library's typed values (`renderValues()`), with `extraValues` merged deeply over
   * them. Computed on every read.
   */
  public get values(): { [key: string]: any } {
    return deepMerge(this.renderValues(), this.extraValues);
  }

  /**
   * The namespaces, besides `namespace`, the chart renders objects into. Computed on every read.
   */
  public get otherNamespaces(): string[] {
    return this.renderOtherNamespaces().filter(ns => ns !== this.namespace);
  }

  /**
   * The namespaces, besides `namespace`, the chart renders objects into. Subclasses override it to derive them
   * from their values.
   */
  protected renderOtherNamespaces(): string[] {
    return [...this.libraryOtherNamespaces];
  }

  /**
   * The values the library sets. Subclasses override it to derive values from other objects when read.
   */
  protected renderValues(): { [key: string]: any } {
    return deepMerge({}, this.libraryValues);
  }
}
