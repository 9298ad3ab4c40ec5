import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IJobNamespace, ISparkOperator } from './interfaces';
import { ScheduledSparkJob, ScheduledSparkJobOptions } from './scheduled-spark-job';
import { SparkJob, SparkJobOptions } from './spark-job';
import { SparkLogLayout } from './spark-log-layout';
import { JobNamespaceLimits, JobNamespaceQuota, SparkTeam } from './spark-team';
import { SyncWave } from '../delivery';
import { AppFacts } from '../facts';
import { checkArgs, checkShape, invalidProp } from '../validation';

/**
 * Properties of a `JobNamespace`.
 */
export interface JobNamespaceProps {
  /** The team whose namespace it is: its name, service account, identity, quota and labels. */
  readonly team: SparkTeam;

  /**
   * The Spark Operator that runs the namespace's jobs: it watches the namespace (`spark.jobNamespaces`).
   */
  readonly operator: ISparkOperator;
}

/**
 * A namespace where Spark jobs run: the Namespace, the jobs' ServiceAccount (with its IAM role), the Role and
 * RoleBinding the driver needs to create its executors (pods, configmaps, services, PVCs in this namespace
 * only), the jobs' log4j2 configuration (`SparkLogLayout`), an optional ResourceQuota and LimitRange, and
 * cost-allocation labels that every job pod carries.
 */
export class JobNamespace extends Construct implements IJobNamespace {
  /** The namespace's name. */
  public readonly name: string;
  /** The team whose namespace it is. */
  public readonly team: SparkTeam;
  /** The operator that runs the namespace's jobs. */
  public readonly operator: ISparkOperator;
  /** The service account the jobs run as. */
  public readonly serviceAccountName: string;
  /** The labels every job pod in the namespace carries (team, cost centre, others). */
  public readonly podLabels: { [key: string]: string };
  private readonly jobs = new Map<string, Construct>();

  public constructor(scope: Construct, id: string, props: JobNamespaceProps) {
    super(scope, id);
    checkShape(this, 'JobNamespaceProps', props, 'props');
    this.operator = props.operator;
    this.team = props.team;
    this.name = props.team.namespace;
    this.serviceAccountName = props.team.serviceAccount.name;
    this.podLabels = { ...props.team.labels };

    this.renderNamespace();
    this.renderServiceAccount();
    this.renderLogLayout();
    if (props.team.quota) this.renderQuota(props.team.quota);
    if (props.team.limits) this.renderLimits(props.team.limits);
    props.operator._registerJobNamespace(this);
  }

  /**
   * Adds a Spark job to the namespace, run once as a standalone SparkApplication. A job definition (the options
   * object) used here must not also be a pipeline step: it would run on its own too.
   */
  public addJob(id: string, options: SparkJobOptions): SparkJob {
    checkArgs(this, 'JobNamespace', 'addJob', [id, options]);
    checkShape(`${this.node.path}/${id}`, 'SparkJobOptions', options, 'options');
    const job = new SparkJob(this, id, { ...options, namespace: this });
    this._useDefinition(options, job, true);
    return job;
  }

  /** Adds a scheduled Spark job to the namespace. */
  public addScheduledJob(id: string, options: ScheduledSparkJobOptions): ScheduledSparkJob {
    checkArgs(this, 'JobNamespace', 'addScheduledJob', [id, options]);
    checkShape(`${this.node.path}/${id}`, 'ScheduledSparkJobOptions', options, 'options');
    return new ScheduledSparkJob(this, id, { ...options, namespace: this });
  }

  /**
   * Records where a job definition (an options object) is used in this app: a definition run as pipeline steps
   * belongs to one namespace and is never also a standalone job (it would run on its own too).
   *
   * @internal
   */
  public _useDefinition(definition: object, user: Construct, standalone: boolean): void {
    const uses = AppFacts.of(this).jobDefinitions;
    const use = uses.get(definition) ?? { standalone: [], steps: [] };
    uses.set(definition, use);
    const [firstStep, firstStandalone] = [use.steps[0], use.standalone[0]];
    if (standalone && firstStep) {
      throw invalidProp(user, 'job', firstStep.node.id,
        `is already a pipeline step (${firstStep.node.path}): a standalone SparkApplication of it would run on its own too, and again on every sync`);
    }
    if (!standalone && firstStandalone) {
      throw invalidProp(user, 'job', firstStandalone.node.id, `is already a standalone job (${firstStandalone.node.path}): it would run on its own too; define it once, as a step`);
    }
    const stepNamespace = firstStep ? (firstStep.node.scopes.find(s => s instanceof JobNamespace) as JobNamespace | undefined) : undefined;
    if (!standalone && stepNamespace && stepNamespace !== this) {
      throw invalidProp(user, 'job', firstStep!.node.id,
        `is a job of namespace "${stepNamespace.name}" (${firstStep!.node.path}), not of "${this.name}": its service account, role and labels are that team's`);
    }
    (standalone ? use.standalone : use.steps).push(user);
  }

  /** The names of the namespace's jobs (standalone and scheduled), in the order added. */
  public get jobNames(): string[] {
    return [...this.jobs.keys()];
  }

  /**
   * Registers a job's name; two jobs with one name in one namespace are an error naming both.
   *
   * @internal
   */
  public _registerJob(name: string, job: Construct): void {
    const existing = this.jobs.get(name);
    if (existing) {
      throw invalidProp(job, 'name', name, `a job named "${name}" already exists in namespace "${this.name}" (${existing.node.path}); job names must be unique per namespace`);
    }
    this.jobs.set(name, job);
  }

  private renderNamespace(): void {
    const namespace = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...this.podLabels,
          // Job pods meet the "restricted" Pod Security profile (non-root, no escalation, no capabilities,
          // RuntimeDefault seccomp); "baseline" is enforced so a sidecar an operator adds cannot block a job.
          'pod-security.kubernetes.io/enforce': 'baseline',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    // Before the operator's Application: its chart renders Roles into this namespace (GitOps checks it).
    SyncWave.set(namespace, SyncWave.NAMESPACES);
  }

  private renderServiceAccount(): void {
    const metadata = { name: this.serviceAccountName, namespace: this.name, labels: this.podLabels };
    // Its IAM role, by the team's identity: IRSA annotates the role's ARN, Pod Identity needs nothing here.
    const annotations = this.operator.bindings.serviceAccountAnnotations(this.team.serviceAccount);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata, annotations: Object.keys(annotations).length ? annotations : undefined },
    });
    // What the driver does with the API: create, watch and clean up its executor pods, the config maps that
    // carry its Spark conf, the headless service executors reach it through, and on-demand PVCs.
    new k8s.KubeRole(this, 'DriverRole', {
      metadata: { ...metadata, name: `${this.serviceAccountName}-driver` },
      rules: [{
        apiGroups: [''],
        resources: ['pods', 'configmaps', 'services', 'persistentvolumeclaims'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
      }],
    });
    new k8s.KubeRoleBinding(this, 'DriverRoleBinding', {
      metadata: { ...metadata, name: `${this.serviceAccountName}-driver` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${this.serviceAccountName}-driver` },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccountName, namespace: this.name }],
    });
  }

  // The log4j2 configuration the namespace's jobs mount (SparkLogLayout): one JSON line per log event.
  private renderLogLayout(): void {
    new k8s.KubeConfigMap(this, 'LogLayout', {
      metadata: { name: SparkLogLayout.CONFIG_MAP_NAME, namespace: this.name, labels: this.podLabels },
      data: { [SparkLogLayout.FILE_NAME]: SparkLogLayout.properties() },
    });
  }

  private renderQuota(quota: JobNamespaceQuota): void {
    const hard: { [key: string]: k8s.Quantity } = {};
    if (quota.cpu) hard['requests.cpu'] = k8s.Quantity.fromString(quota.cpu.amount);
    if (quota.memory) {
      hard['requests.memory'] = k8s.Quantity.fromString(`${quota.memory.toMebibytes()}Mi`);
      hard['limits.memory'] = k8s.Quantity.fromString(`${quota.memory.toMebibytes()}Mi`);
    }
    if (quota.pods !== undefined) hard.pods = k8s.Quantity.fromNumber(quota.pods);
    new k8s.KubeResourceQuota(this, 'Quota', { metadata: { name: 'spark-jobs', namespace: this.name, labels: this.podLabels }, spec: { hard } });
  }

  private renderLimits(limits: JobNamespaceLimits): void {
    const memory = `${(limits.defaultMemory ?? Size.mebibytes(256)).toMebibytes()}Mi`;
    new k8s.KubeLimitRange(this, 'Limits', {
      metadata: { name: 'spark-jobs', namespace: this.name, labels: this.podLabels },
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: {
            cpu: k8s.Quantity.fromString((limits.defaultCpuRequest ?? kplus.Cpu.millis(100)).amount),
            memory: k8s.Quantity.fromString(memory),
          },
          default: { memory: k8s.Quantity.fromString(memory) },
          max: limits.maxMemory ? { memory: k8s.Quantity.fromString(`${limits.maxMemory.toMebibytes()}Mi`) } : undefined,
        }],
      },
    });
  }
}
