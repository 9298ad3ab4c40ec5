import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { LogOutput } from './log-output';
import { SyncWave } from '../delivery';
import { checkDns1123Subdomain, invalidProp, wiringProblem } from '../validation';

/**
 * Options of a team's flow (`Logging.addTeamFlow`).
 */
export interface TeamLogFlowOptions {
  /**
   * The Flow's name.
   *
   * @default 'spark-jobs'
   */
  readonly name?: string;

  /**
   * Where the team's logs go: its own outputs (`Logging.addTeamOutput` in the same namespace) and platform-wide
   * ones (`Logging.addClusterOutput`).
   */
  readonly outputs: LogOutput[];

  /**
   * The labels of the pods whose logs the flow takes.
   *
   * @default SparkLogFormat.SPARK_POD_LABELS - every driver and executor the Spark Operator launches in the namespace
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * More logging-operator filters (the escape hatch), applied after the library's (exception detection, the
   * Spark layout parser, the pod fields, dedot), e.g. `{ grep: { exclude: [{ key: 'level', pattern: '/DEBUG/' }] } }`.
   * `tag_normaliser` is not allowed: upstream, it conflicts with the exception detector.
   *
   * @default - none
   */
  readonly extraFilters?: { [key: string]: any }[];
}

/**
 * Options of the platform's flow (`Logging.addPlatformFlow`): the logs of the platform's own components.
 */
export interface PlatformLogFlowOptions {
  /**
   * The ClusterFlow's name.
   *
   * @default 'platform'
   */
  readonly name?: string;

  /** The namespaces of the platform's components (operators, servers), e.g. `[sparkOperator.namespace]`. */
  readonly namespaces: string[];

  /** Where the logs go: platform-wide outputs (`Logging.addClusterOutput`). */
  readonly outputs: LogOutput[];

  /**
   * More logging-operator filters (the escape hatch), e.g. `{ detectExceptions: { languages: ['go'] } }`.
   *
   * @default - none
   */
  readonly extraFilters?: { [key: string]: any }[];
}

/** What a `Logging` gives the flows it makes (internal: flows are made by `Logging` only). */
interface LogFlowProps {
  readonly logging: IConstruct;
  readonly name: string;
  readonly namespace: string;
  readonly cluster: boolean;
  readonly outputs: LogOutput[];
  readonly match: { [key: string]: any }[];
  readonly filters: { [key: string]: any }[];
  readonly extraFilters: { [key: string]: any }[];
}

/**
 * Which logs go where: a logging-operator `Flow` (a team's, in its namespace, selecting its pods) or `ClusterFlow`
 * (platform-wide, in the control namespace), with its filters and the outputs it references. Made by
 * `Logging.addTeamFlow` and `Logging.addPlatformFlow`; the references are checked at synth.
 */
export class LogFlow extends Construct {
  /**
   * A flow of a `Logging`.
   *
   * @internal
   */
  public static _of(scope: Construct, id: string, props: LogFlowProps): LogFlow {
    return new LogFlow(scope, id, props);
  }

  /** The flow's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Whether it is a ClusterFlow. */
  public readonly cluster: boolean;
  /** The outputs it references. */
  public readonly outputs: LogOutput[];
  /** The `Logging` whose fluentd runs the flow. */
  public readonly logging: IConstruct;
  /** The Flow or ClusterFlow. */
  public readonly apiObject: ApiObject;

  private constructor(scope: Construct, id: string, props: LogFlowProps) {
    super(scope, id);
    this.logging = props.logging;
    this.name = checkDns1123Subdomain(this, 'name', props.name);
    this.namespace = props.namespace;
    this.cluster = props.cluster;
    if (!Array.isArray(props.outputs) || props.outputs.length === 0) {
      throw invalidProp(this, 'outputs', props.outputs, 'must list at least one output: a flow without outputs drops the logs it selects');
    }
    this.outputs = [...props.outputs];
    const kind = this.cluster ? 'ClusterFlow' : 'Flow';
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind,
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        match: props.match,
        filters: [...props.filters, ...checkExtraFilters(this, props.extraFilters)],
        ...refs('localOutputRefs', this.outputs.filter(o => !o.cluster)),
        ...refs('globalOutputRefs', this.outputs.filter(o => o.cluster)),
      },
    });
    SyncWave.markCustomResource(this.apiObject);
    this.node.addValidation({ validate: () => this.checkOutputs() });
  }

  private checkOutputs(): string[] {
    const errors: string[] = [];
    const self = `${this.cluster ? 'ClusterFlow' : 'Flow'} "${this.namespace}/${this.name}"`;
    for (const output of this.outputs) {
      const it = `${output.cluster ? 'ClusterOutput' : 'Output'} "${output.namespace}/${output.name}" (${output.node.path})`;
      if (output.node.root !== this.node.root) {
        errors.push(wiringProblem(this, `${self} references ${it}, which does not exist in this app: fluentd would reject the flow; add the output to this app's Logging`));
      } else if (output.logging !== this.logging) {
        errors.push(wiringProblem(this, `${self} references ${it}, which belongs to the Logging ${output.logging.node.path}, not to this flow's Logging `
          + `${this.logging.node.path}: each fluentd sees only its own outputs; add the output to ${this.logging.node.path}`));
      } else if (!output.cluster && this.cluster) {
        errors.push(wiringProblem(this, `${self} references ${it}: a ClusterFlow may reference only ClusterOutputs (globalOutputRefs); use Logging.addClusterOutput`));
      } else if (!output.cluster && output.namespace !== this.namespace) {
        errors.push(wiringProblem(this, `${self} references ${it}, a local output in another namespace: a Flow sees only the Outputs of its own `
          + `namespace (localOutputRefs); add the output to namespace "${this.namespace}", or make it a cluster output`));
      }
    }
    const names = this.outputs.map(o => `${o.cluster}/${o.name}`);
    const twice = this.outputs.find((o, i) => names.indexOf(`${o.cluster}/${o.name}`) !== i);
    if (twice) errors.push(wiringProblem(this, `${self} lists output "${twice.name}" twice: list each output once`));
    return errors;
  }
}

// A flow with only local (or only global) outputs renders no empty list for the other.
function refs(field: string, outputs: LogOutput[]): { [field: string]: string[] } {
  return outputs.length ? { [field]: outputs.map(o => o.name) } : {};
}

function checkExtraFilters(where: IConstruct, filters: { [key: string]: any }[]): { [key: string]: any }[] {
  filters.forEach((filter, i) => {
    const keys = filter && typeof filter === 'object' ? Object.keys(filter) : [];
    if (keys.length !== 1) {
      throw invalidProp(where, `extraFilters[${i}]`, filter, 'must be one logging-operator filter: an object with exactly one key, e.g. { grep: {...} }');
    }
    if (keys[0] === 'tag_normaliser') {
      throw invalidProp(where, `extraFilters[${i}]`, keys[0], 'conflicts with the exception detector the flow runs (upstream: they are mutually exclusive)');
    }
  });
  return filters;
}
