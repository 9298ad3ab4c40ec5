import { HelmReleaseProps } from '../helm-release';

/**
 * What a component gives the release of its pinned chart (`SparkOperatorRelease`, `ArgoWorkflowsRelease`,
 * `LoggingOperatorRelease`: each made by its component only), besides what its values are derived from.
 */
export interface ComponentReleaseProps {
  /** The Helm release name. */
  readonly releaseName: string;
  /** The namespace the chart is installed in. */
  readonly namespace: string;
  /** The exact chart version. */
  readonly chartVersion: string;
  /**
   * Chart values merged over the derived ones (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}

/** A component release's `HelmRelease` props: its name, namespace, version and extra values, and the chart. */
export function componentRelease(props: ComponentReleaseProps, chart: { repository: string; chartName: string }): HelmReleaseProps {
  return {
    releaseName: props.releaseName,
    namespace: props.namespace,
    chartName: chart.chartName,
    repository: chart.repository,
    chartVersion: props.chartVersion,
    extraValues: props.extraValues,
  };
}
