import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusStack } from './prometheus-stack';
import { SyncWave } from '../delivery';
import { checkDns1123Subdomain, checkInteger, checkLabels, checkShape, invalidProp, isDns1123Label } from '../validation';

/**
 * What Prometheus selects a monitor's targets by: pods (a `PodMonitor`) or Services (a `ServiceMonitor`).
 */
export enum MonitorTarget {
  /** Pods selected by label, scraped on a named container port (`PodMonitor`). */
  PODS = 'PodMonitor',
  /** Services selected by label, scraped on a named Service port (`ServiceMonitor`). */
  SERVICES = 'ServiceMonitor',
}

/**
 * One endpoint Prometheus scrapes on each target.
 */
export interface MonitorEndpoint {
  /** The port's name: a container port of the pods, or a port of the Services. */
  readonly port: string;

  /**
   * The HTTP path.
   *
   * @default '/metrics'
   */
  readonly path?: string;

  /**
   * Keep the labels of the scraped series over the target's (`honorLabels`): for a Pushgateway, whose series
   * carry the job and instance of whoever pushed them, and for exporters that label series by namespace.
   *
   * @default false
   */
  readonly honorLabels?: boolean;

  /**
   * How often to scrape.
   *
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;

  /**
   * Labels to drop from every scraped series (a `labeldrop` metric relabeling): target labels that are not the
   * series' own.
   *
   * @default - none
   */
  readonly dropLabels?: string[];
}

/**
 * Options of a monitor.
 */
export interface MetricsMonitorOptions {
  /** The monitor's name. */
  readonly name: string;

  /** Pods or Services. */
  readonly target: MonitorTarget;

  /** The labels the targets carry (the monitor's `selector.matchLabels`): at least one. */
  readonly selector: { [key: string]: string };

  /** The namespaces the targets live in. */
  readonly namespaces: string[];

  /** The endpoints scraped on each target: at least one. */
  readonly endpoints: MonitorEndpoint[];
}

/**
 * Properties of a `MetricsMonitor`.
 */
export interface MetricsMonitorProps extends MetricsMonitorOptions {
  /** The namespace of the monitor itself. */
  readonly namespace: string;

  /** The Prometheus stack: its monitor labels go on the monitor. */
  readonly stack: PrometheusStack;
}

/**
 * A Prometheus Operator `PodMonitor` or `ServiceMonitor` (`monitoring.coreos.com/v1`): which pods or Services
 * Prometheus scrapes, on which named ports and paths, labelled so the stack's Prometheus selects it.
 */
export class MetricsMonitor extends Construct {
  /** The monitor's name. */
  public readonly name: string;
  /** Pods or Services. */
  public readonly target: MonitorTarget;
  /** The labels its targets carry. */
  public readonly selector: { [key: string]: string };
  /** Its endpoints. */
  public readonly endpoints: MonitorEndpoint[];
  /** The PodMonitor or ServiceMonitor. */
  public readonly apiObject: ApiObject;
  private namespacesOf: () => string[];

  public constructor(scope: Construct, id: string, props: MetricsMonitorProps) {
    super(scope, id);
    checkShape(this, 'MetricsMonitorProps', props, 'props');
    this.name = checkDns1123Subdomain(this, 'name', props.name);
    this.target = props.target;
    if (!Object.values(MonitorTarget).includes(props.target)) {
      throw invalidProp(this, 'target', props.target, `allowed: ${Object.values(MonitorTarget).join(', ')}`);
    }
    if (!props.selector || Object.keys(props.selector).length === 0) {
      throw invalidProp(this, 'selector', props.selector, 'must name at least one label: an empty selector would scrape every pod or Service of the namespaces');
    }
    checkLabels(this, 'selector', props.selector);
    this.selector = { ...props.selector };
    if (!Array.isArray(props.namespaces) || props.namespaces.length === 0) {
      throw invalidProp(this, 'namespaces', props.namespaces, 'must list the namespaces of the targets: a monitor without them selects nothing');
    }
    const namespaces = [...new Set(props.namespaces)].sort();
    this.namespacesOf = () => namespaces;
    if (!Array.isArray(props.endpoints) || props.endpoints.length === 0) {
      throw invalidProp(this, 'endpoints', props.endpoints, 'must list at least one endpoint (a named port and a path)');
    }
    this.endpoints = props.endpoints.map((endpoint, i) => this.checkEndpoint(endpoint, i));
    const endpoints = this.endpoints.map(e => ({
      port: e.port,
      path: e.path ?? '/metrics',
      scheme: 'http',
      interval: `${checkInteger(this, 'endpoints.interval', (e.interval ?? Duration.seconds(30)).toSeconds(), 5)}s`,
      ...(e.honorLabels ? { honorLabels: true } : {}),
      ...(e.dropLabels?.length ? { metricRelabelings: [{ action: 'labeldrop', regex: e.dropLabels.join('|') }] } : {}),
    }));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: props.target,
      metadata: { name: this.name, namespace: props.namespace, labels: { ...props.stack.monitorLabels } },
      spec: {
        selector: { matchLabels: this.selector },
        namespaceSelector: { matchNames: Lazy.any({ produce: () => this.namespaces }) },
        [props.target === MonitorTarget.PODS ? 'podMetricsEndpoints' : 'endpoints']: endpoints,
      },
    });
    SyncWave.markCustomResource(this.apiObject);
  }

  /** The namespaces of its targets. */
  public get namespaces(): string[] {
    return this.namespacesOf();
  }

  /**
   * Takes the target namespaces from `producer` at synth (the job namespaces, added after the monitor).
   *
   * @internal
   */
  public _namespacesFrom(producer: () => string[]): void {
    this.namespacesOf = () => [...new Set(producer())].sort();
  }

  private checkEndpoint(endpoint: MonitorEndpoint, i: number): MonitorEndpoint {
    // Container and Service port names are IANA service names: at most 15 characters, a DNS-1123 label.
    if (typeof endpoint.port !== 'string' || !isDns1123Label(endpoint.port, 15)) {
      throw invalidProp(this, `endpoints[${i}].port`, endpoint.port, 'must be the name of a port (at most 15 lower-case letters, digits and \'-\'): monitors scrape named ports');
    }
    if (endpoint.path !== undefined && !/^\/[\x21-\x7e]*$/.test(endpoint.path)) {
      throw invalidProp(this, `endpoints[${i}].path`, endpoint.path, 'must be an absolute HTTP path such as "/metrics"');
    }
    return endpoint;
  }
}
