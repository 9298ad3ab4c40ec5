/**
 * A port a chart's pods serve, or a port of the Service in front of them.
 */
export interface ChartPort {
  /**
   * The port's name (what monitors and named target ports refer to).
   *
   * @default - the port has no name
   */
  readonly name?: string;
  /** The port number. */
  readonly port: number;
}

/**
 * A Service a chart renders in front of a component.
 */
export interface ChartService {
  /** The Service's name. */
  readonly name: string;
  /** Labels the Service carries, by which a ServiceMonitor selects it. */
  readonly labels: { [key: string]: string };
  /** The Service's ports. */
  readonly ports: ChartPort[];
}

/**
 * A workload a pinned chart renders, as the chart's templates make it from the release's values: what the
 * NetworkPolicies, the monitors and the checks of the platform read instead of retyping labels and ports. Each
 * release's components are checked against the real `helm template` output by the test suite.
 */
export interface ChartComponent {
  /** The Deployment's name. */
  readonly deploymentName: string;
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The labels that select exactly its pods (the Deployment's selector). */
  readonly podLabels: { [key: string]: string };
  /** The container ports its pods serve. */
  readonly ports: ChartPort[];
  /**
   * The Service in front of it.
   *
   * @default - none
   */
  readonly service?: ChartService;
}

/** Helm's usual `<chart>.name` and `<chart>.fullname` helpers (`nameOverride`, `fullnameOverride`, 63 characters). */
export function helmNames(chartName: string, releaseName: string, values: { [key: string]: any }): { name: string; fullname: string } {
  const trim = (s: string) => s.slice(0, 63).replace(/-+$/, '');
  const name = trim(values.nameOverride || chartName);
  const base = values.nameOverride || chartName;
  const fullname = values.fullnameOverride ? trim(values.fullnameOverride)
    : releaseName.includes(base) ? trim(releaseName) : trim(`${releaseName}-${base}`);
  return { name, fullname };
}

/** A chart port with its name when the chart gives one. */
export function chartPort(port: number, name?: string): ChartPort {
  return name ? { name, port } : { port };
}
