import { Duration, Lazy } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { HelmRelease } from '../delivery';

/**
 * Properties of a `HelmReleaseChart`.
 */
export interface HelmReleaseChartProps {
  /** The cluster to install the release on. */
  readonly cluster: eks.ICluster;

  /** The pinned chart and its values (the same object the Kubernetes side delivers with Argo CD). */
  readonly release: HelmRelease;

  /**
   * How long to wait for the release's resources to be ready.
   *
   * @default Duration.minutes(10)
   */
  readonly timeout?: Duration;
}

/**
 * Installs a `HelmRelease` with aws-eks-v2's `HelmChart`, for teams that deploy without Argo CD (and for Argo
 * CD itself): the chart, repository, version, namespace, release name and values arrive unchanged.
 */
export class HelmReleaseChart extends Construct {
  /** The aws-eks-v2 Helm chart. */
  public readonly helmChart: eks.HelmChart;
  /** The release it installs. */
  public readonly release: HelmRelease;

  public constructor(scope: Construct, id: string, props: HelmReleaseChartProps) {
    super(scope, id);
    const release = props.release;
    this.release = release;
    this.helmChart = new eks.HelmChart(this, 'Resource', {
      cluster: props.cluster,
      chart: release.chartName,
      // aws-eks-v2 pulls OCI charts by their full reference (`helm pull oci://registry/path/chart`).
      repository: release.ociChartReference ?? release.repository,
      version: release.chartVersion,
      release: release.releaseName,
      namespace: release.namespace,
      createNamespace: true,
      // Read when the stack is synthesized, so objects added to the release's construct later still count.
      values: Lazy.any({ produce: () => release.values }) as unknown as { [key: string]: any },
      wait: true,
      atomic: true,
      timeout: props.timeout ?? Duration.minutes(10),
    });
  }
}
