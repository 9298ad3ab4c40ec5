import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { PrometheusStack } from './prometheus-stack';
import { checkDns1123Subdomain, checkPromql, checkShape, invalidProp } from '../validation';

/**
 * How a panel draws its queries.
 */
export enum PanelKind {
  /** Lines over time. */
  TIME_SERIES = 'timeseries',
  /** One big number per series (the last value). */
  STAT = 'stat',
  /** A table of the last values. */
  TABLE = 'table',
}

/**
 * One PromQL query of a panel.
 */
export interface PanelQuery {
  /** The PromQL expression (no Grafana macros: it is checked as PromQL). */
  readonly expr: string;

  /**
   * The legend, e.g. `{{namespace}}/{{pipeline}}`.
   *
   * @default - Grafana's (the series' labels)
   */
  readonly legend?: string;
}

/**
 * A dashboard panel.
 */
export interface DashboardPanel {
  /** The panel's title. */
  readonly title: string;

  /** The queries: at least one. */
  readonly queries: PanelQuery[];

  /**
   * How it draws them.
   *
   * @default PanelKind.TIME_SERIES
   */
  readonly kind?: PanelKind;

  /**
   * The unit of the values (a Grafana unit id: `s`, `bytes`, `percentunit`, `short`, `dateTimeFromNow`, ...).
   *
   * @default 'short'
   */
  readonly unit?: string;

  /**
   * What the panel shows (its tooltip).
   *
   * @default - none
   */
  readonly description?: string;
}

/**
 * Options of a dashboard.
 */
export interface GrafanaDashboardOptions {
  /** The dashboard's title. */
  readonly title: string;

  /**
   * The dashboard's uid in Grafana (and the ConfigMap's name): lower-case letters, digits and `-`, at most 40.
   *
   * @default - the construct id
   */
  readonly uid?: string;

  /**
   * The panels, laid out two per row in this order.
   *
   * @default - none (add them with `addPanel`)
   */
  readonly panels?: DashboardPanel[];

  /**
   * Tags.
   *
   * @default ['spark-platform']
   */
  readonly tags?: string[];
}

/**
 * Properties of a `GrafanaDashboard`.
 */
export interface GrafanaDashboardProps extends GrafanaDashboardOptions {
  /** The ConfigMap's namespace (the sidecar of kube-prometheus-stack searches every namespace). */
  readonly namespace: string;
  /** The Prometheus stack: its dashboard labels go on the ConfigMap. */
  readonly stack: PrometheusStack;
}

const WIDTH = 12;
const HEIGHT = 8;

/**
 * A Grafana dashboard as a ConfigMap for Grafana's dashboard sidecar: the JSON model built by the library,
 * every query checked as PromQL when the panel is added, a `datasource` variable so it works with any
 * Prometheus data source, and a key ending in `.json` (Grafana's file provider reads only those).
 */
export class GrafanaDashboard extends Construct {
  /** The dashboard's uid (and the ConfigMap's name). */
  public readonly uid: string;
  /** The title. */
  public readonly title: string;
  private readonly panels: DashboardPanel[] = [];
  private readonly tags: string[];

  public constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    checkShape(this, 'GrafanaDashboardProps', props, 'props');
    this.uid = checkDns1123Subdomain(this, 'uid', props.uid ?? id);
    if (this.uid.length > 40) throw invalidProp(this, 'uid', this.uid, 'must be at most 40 characters (Grafana\'s limit on dashboard uids)');
    if (typeof props.title !== 'string' || props.title.trim() === '') throw invalidProp(this, 'title', props.title, 'is required');
    this.title = props.title;
    this.tags = [...(props.tags ?? ['spark-platform'])];
    for (const panel of props.panels ?? []) this.addPanel(panel);
    new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: `dashboard-${this.uid}`, namespace: props.namespace, labels: { ...props.stack.dashboardLabels } },
      // Rendered at synth, so panels added after the construct are in it.
      data: { [`${this.uid}.json`]: Lazy.any({ produce: () => JSON.stringify(this.model(), undefined, 2) }) },
    });
  }

  /** Adds a panel after the others; its queries must parse as PromQL. */
  public addPanel(panel: DashboardPanel): void {
    checkShape(this, 'DashboardPanel', panel, 'panel');
    const where = `${this.node.path} panel "${panel?.title}"`;
    if (typeof panel.title !== 'string' || panel.title.trim() === '') throw invalidProp(this, 'panel.title', panel.title, 'is required');
    if (!Array.isArray(panel.queries) || panel.queries.length === 0) throw invalidProp(where, 'queries', panel.queries, 'must list at least one query');
    panel.queries.forEach((q, i) => checkPromql(where, `queries[${i}].expr`, q.expr));
    if (panel.kind !== undefined && !Object.values(PanelKind).includes(panel.kind)) {
      throw invalidProp(where, 'kind', panel.kind, `allowed: ${Object.values(PanelKind).join(', ')}`);
    }
    this.panels.push(panel);
  }

  /** Every query of the dashboard's panels. */
  public get queries(): string[] {
    return this.panels.flatMap(p => p.queries.map(q => q.expr));
  }

  private model(): { [key: string]: any } {
    const datasource = { type: 'prometheus', uid: '${datasource}' };
    return {
      uid: this.uid,
      title: this.title,
      tags: this.tags,
      editable: false,
      schemaVersion: 39,
      version: 1,
      time: { from: 'now-24h', to: 'now' },
      refresh: '1m',
      templating: {
        list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
      },
      panels: this.panels.map((panel, i) => ({
        id: i + 1,
        type: panel.kind ?? PanelKind.TIME_SERIES,
        title: panel.title,
        ...(panel.description ? { description: panel.description } : {}),
        datasource,
        gridPos: { x: (i % 2) * WIDTH, y: Math.floor(i / 2) * HEIGHT, w: WIDTH, h: HEIGHT },
        fieldConfig: { defaults: { unit: panel.unit ?? 'short' }, overrides: [] },
        targets: panel.queries.map((q, j) => ({
          refId: String.fromCharCode(65 + j),
          datasource,
          expr: q.expr,
          ...(q.legend ? { legendFormat: q.legend } : {}),
          ...(panel.kind === PanelKind.TABLE ? { format: 'table', instant: true } : {}),
        })),
      })),
    };
  }
}
