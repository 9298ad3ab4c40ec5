// TEMPORARY STUB (not committed): the delivery branch provides the real HelmRelease.
export interface HelmReleaseProps { readonly releaseName: string; readonly namespace: string; readonly chartName: string; readonly repository: string; readonly version: string; readonly values?: { [key: string]: any }; readonly extraValues?: { [key: string]: any } }
export class HelmRelease {
  public readonly releaseName: string; public readonly namespace: string; public readonly chartName: string; public readonly repository: string; public readonly version: string;
  public constructor(private readonly props: HelmReleaseProps) { this.releaseName = props.releaseName; this.namespace = props.namespace; this.chartName = props.chartName; this.repository = props.repository; this.version = props.version; }
  public get values(): { [key: string]: any } { return { ...this.renderValues(), ...this.props.extraValues }; }
  protected renderValues(): { [key: string]: any } { return this.props.values ?? {}; }
}
