import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, IConstruct } from 'constructs';
import { HelmReleaseChart } from './helm-release-chart';
import { SparkEksCluster } from './spark-eks-cluster';
import { _markResolvedByAwsCdk } from '../bindings/internal';
import { HelmRelease, SyncWave } from '../delivery';
import { wiringProblem } from '../validation';

/**
 * Properties of a `DirectDelivery`.
 */
export interface DirectDeliveryProps {
  /**
   * The platform to deliver to: its cluster, and its workload roles, which every manifest waits for (the
   * service accounts name them).
   */
  readonly platform: SparkEksCluster;
}

/** Anything with cdk8s' `Chart.toJson()`: the Kubernetes side's charts. */
interface Cdk8sChart extends IConstruct {
  toJson(): any[];
}

/**
 * Delivers the Kubernetes side straight from the AWS CDK app, for teams without Argo CD, in the order `GitOps`
 * applies it: the objects of the waves before the operators (the Namespaces operator charts render Roles into),
 * then every operator release (aws-eks-v2 `HelmChart`, waiting until ready), then everything else in wave order
 * (native objects, custom resources, runs) once the operators' CRDs exist.
 *
 * Values made by the AWS side arrive as CDK tokens (`SparkEksCluster.bindings`) and are resolved at deploy time.
 * Each group is one aws-eks-v2 `KubernetesManifest` (`kubectl apply`): unlike GitOps, a changed SparkApplication
 * spec is applied, and the operator runs the job again; give a job a new `runId` to run it again on purpose.
 *
 * @example
 *
 * const delivery = new aws.DirectDelivery(stack, 'Delivery', { platform });
 * const kubernetesSide = new MyPlatformChart(new cdk8s.App(), 'platform', { bindings: platform.bindings });
 * delivery.addChart(kubernetesSide);
 * delivery.addHelmRelease(kubernetesSide.spark.release);
 */
export class DirectDelivery extends Construct {
  private readonly platform: SparkEksCluster;
  private readonly cluster: eks.ICluster;
  private readonly before: eks.KubernetesManifest[] = [];
  private readonly after: eks.KubernetesManifest[] = [];
  private readonly releases: HelmReleaseChart[] = [];
  private readonly namespacesBefore = new Set<string>();

  public constructor(scope: Construct, id: string, props: DirectDeliveryProps) {
    super(scope, id);
    this.platform = props.platform;
    this.cluster = props.platform.cluster;
    this.node.addValidation({ validate: () => this.checkReleaseNamespaces() });
  }

  /**
   * Delivers every object of a cdk8s chart, rendered now (add everything to the chart first): the objects of
   * waves before `SyncWave.OPERATORS` before the operator releases, the rest after them, in wave order.
   */
  public addChart(chart: Construct): void {
    // This app deploys the chart: tokens in its bindings resolve when the AWS CDK app synthesizes.
    _markResolvedByAwsCdk(chart.node.root);
    const documents = (chart as Cdk8sChart).toJson().map((doc, index) => ({ doc, index }));
    const wave = (doc: any) => Number(doc.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? SyncWave.NATIVE);
    const ordered = documents.sort((a, b) => wave(a.doc) - wave(b.doc) || a.index - b.index).map(d => d.doc);
    const early = ordered.filter(doc => wave(doc) < SyncWave.OPERATORS);
    const late = ordered.filter(doc => wave(doc) >= SyncWave.OPERATORS);
    for (const doc of early) if (doc.kind === 'Namespace') this.namespacesBefore.add(doc.metadata.name);
    const id = chart.node.id;
    if (early.length > 0) {
      const manifest = new eks.KubernetesManifest(this, `${id}-BeforeOperators`, { cluster: this.cluster, manifest: early });
      for (const role of this.platform.serviceAccountRoles) manifest.node.addDependency(role);
      for (const release of this.releases) release.node.addDependency(manifest);
      this.before.push(manifest);
    }
    if (late.length > 0) {
      const manifest = new eks.KubernetesManifest(this, `${id}-AfterOperators`, { cluster: this.cluster, manifest: late });
      for (const dependency of [...this.platform.serviceAccountRoles, ...this.before, ...this.releases]) manifest.node.addDependency(dependency);
      this.after.push(manifest);
    }
  }

  /** Installs an operator's release after the namespaces it renders into, and before the objects that need its CRDs. */
  public addHelmRelease(release: HelmRelease): HelmReleaseChart {
    const chart = new HelmReleaseChart(this, `Release-${release.releaseName}`, { cluster: this.cluster, release });
    for (const manifest of this.before) chart.node.addDependency(manifest);
    for (const manifest of this.after) manifest.node.addDependency(chart);
    this.releases.push(chart);
    return chart;
  }

  private checkReleaseNamespaces(): string[] {
    return this.releases.flatMap(chart => chart.release.otherNamespaces
      .filter(ns => !this.namespacesBefore.has(ns))
      .map(ns => wiringProblem(chart, `the chart "${chart.release.chartName}" renders objects into namespace "${ns}", which no chart added to `
        + `${this.node.path} creates before the operators (a JobNamespace does, in SyncWave.NAMESPACES): helm would fail on the missing namespace`)));
  }
}
