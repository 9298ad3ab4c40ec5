import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ScheduledSparkJob, ScheduledSparkJobOptions } from './scheduled-spark-job';
import { SparkJob, SparkJobOptions } from './spark-job';
import { SparkLabels } from './spark-labels';
import type { SparkOperator } from './spark-operator';
import { SyncWave } from '../delivery';
import { checkDns1123Label, checkDns1123Subdomain, checkInteger, checkLabels, checkRoleArn, invalidProp, labelValueProblem } from '../validation';

/**
 * A ResourceQuota for a job namespace: the most its jobs may request together.
 */
export interface JobNamespaceQuota {
  /**
   * The total CPU the namespace's pods may request (`requests.cpu`).
   *
   * @default - no limit
   */
  readonly cpu?: kplus.Cpu;

  /**
   * The total memory the namespace's pods may request and be limited to (`requests.memory`, `limits.memory`).
   *
   * @default - no limit
   */
  readonly memory?: Size;

  /**
   * The most pods the namespace may hold at once (drivers and executors together).
   *
   * @default - no limit
   */
  readonly pods?: number;
}

/**
 * A LimitRange for a job namespace: defaults for containers that set no resources of their own (sidecars,
 * init containers; Spark sets its driver's and executors' own) and a ceiling for any one container.
 */
export interface JobNamespaceLimits {
  /**
   * The CPU request of a container that sets none.
   *
   * @default Cpu.millis(100)
   */
  readonly defaultCpuRequest?: kplus.Cpu;

  /**
   * The memory request and limit of a container that sets none.
   *
   * @default Size.mebibytes(256)
   */
  readonly defaultMemory?: Size;

  /**
   * The largest memory limit one container may have.
   *
   * @default - no ceiling
   */
  readonly maxMemory?: Size;
}

/**
 * Options for `SparkOperator.addJobNamespace()`.
 */
export interface JobNamespaceOptions {
  /**
   * The namespace's name: a DNS-1123 label.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The team that owns the namespace: the `spark-platform.io/team` label on the namespace and on every job pod
   * in it (cost allocation).
   *
   * @default - no team label
   */
  readonly team?: string;

  /**
   * The cost centre the namespace's jobs are charged to: the `spark-platform.io/cost-center` label on the
   * namespace and on every job pod in it.
   *
   * @default - no cost-centre label
   */
  readonly costCenter?: string;

  /**
   * Other labels for the namespace and every job pod in it.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * The name of the service account the jobs' drivers and executors run as.
   *
   * @default 'spark'
   */
  readonly serviceAccountName?: string;

  /**
   * The IAM role the jobs' pods assume through IRSA (the `eks.amazonaws.com/role-arn` annotation), for S3
   * (event logs, data). Required while the operator writes event logs to S3, since every job then needs S3
   * credentials.
   *
   * @default - the operator's `bindings.serviceAccountRoleArns["<namespace>/<service account>"]`
   */
  readonly serviceAccountRoleArn?: string;

  /**
   * A ResourceQuota capping what the namespace's jobs request together.
   *
   * @default - no quota
   */
  readonly quota?: JobNamespaceQuota;

  /**
   * A LimitRange with resource defaults for containers that set none.
   *
   * @default - with a quota, a LimitRange with the default values (a quota on requests and limits rejects
   * containers that set none); without a quota, none
   */
  readonly limits?: JobNamespaceLimits;
}

/**
 * Properties of a `JobNamespace`.
 */
export interface JobNamespaceProps extends JobNamespaceOptions {
  /**
   * The Spark Operator that runs the namespace's jobs: it watches the namespace (`spark.jobNamespaces`).
   */
  readonly operator: SparkOperator;
}


/**
 * A namespace where Spark jobs run: the Namespace, the jobs' ServiceAccount (with its IAM role), the Role and
 * RoleBinding the driver needs to create its executors (pods, configmaps, services, PVCs in this namespace
 * only), an optional ResourceQuota and LimitRange, and cost-allocation labels that every job pod carries.
 */
export class JobNamespace extends Construct {
  /** The namespace's name. */
  public readonly name: string;
  /** The operator that runs the namespace's jobs. */
  public readonly operator: SparkOperator;
  /** The service account the jobs run as. */
  public readonly serviceAccountName: string;
  /** The IAM role the jobs assume, if any. */
  public readonly serviceAccountRoleArn?: string;
  /** The labels every job pod in the namespace carries (team, cost centre, others). */
  public readonly podLabels: { [key: string]: string };
  private readonly jobs = new Map<string, Construct>();

  public constructor(scope: Construct, id: string, props: JobNamespaceProps) {
    super(scope, id);
    this.operator = props.operator;
    this.name = checkDns1123Label(this, 'name', props.name ?? id);
    this.serviceAccountName = checkDns1123Subdomain(this, 'serviceAccountName', props.serviceAccountName ?? 'spark');
    const roleArn = props.serviceAccountRoleArn ?? props.operator.bindings?.serviceAccountRoleArns?.[`${this.name}/${this.serviceAccountName}`];
    this.serviceAccountRoleArn = roleArn === undefined ? undefined : checkRoleArn(this, 'serviceAccountRoleArn', roleArn);

    for (const [prop, value] of [['team', props.team], ['costCenter', props.costCenter]] as const) {
      const problem = value === undefined ? undefined : labelValueProblem(value);
      if (problem) throw invalidProp(this, prop, value, problem);
    }
    checkLabels(this, 'labels', props.labels);
    this.podLabels = {
      ...props.labels,
      ...(props.team !== undefined ? { [SparkLabels.TEAM]: props.team } : {}),
      ...(props.costCenter !== undefined ? { [SparkLabels.COST_CENTER]: props.costCenter } : {}),
    };

    this.renderNamespace();
    this.renderServiceAccount();
    if (props.quota) this.renderQuota(props.quota);
    if (props.limits || props.quota) this.renderLimits(props.limits ?? {});
    props.operator._registerJobNamespace(this);

    this.node.addValidation({
      validate: () => !this.serviceAccountRoleArn && this.operator.eventLogs
        ? [`${this.node.path}: invalid prop "serviceAccountRoleArn" undefined: the operator writes event logs to ${this.operator.eventLogs.s3aUri}, `
          + 'so the jobs need S3 credentials: give the IAM role ARN of the namespace\'s service account (IRSA), '
          + `or operator bindings with a role for "${this.name}/${this.serviceAccountName}"`]
        : [],
    });
  }

  /** Adds a Spark job to the namespace. */
  public addJob(id: string, options: SparkJobOptions): SparkJob {
    return new SparkJob(this, id, { ...options, namespace: this });
  }

  /** Adds a scheduled Spark job to the namespace. */
  public addScheduledJob(id: string, options: ScheduledSparkJobOptions): ScheduledSparkJob {
    return new ScheduledSparkJob(this, id, { ...options, namespace: this });
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
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        ...metadata,
        annotations: this.serviceAccountRoleArn ? { 'eks.amazonaws.com/role-arn': this.serviceAccountRoleArn } : undefined,
      },
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

  private renderQuota(quota: JobNamespaceQuota): void {
    const hard: { [key: string]: k8s.Quantity } = {};
    if (quota.cpu) hard['requests.cpu'] = k8s.Quantity.fromString(quota.cpu.amount);
    if (quota.memory) {
      hard['requests.memory'] = k8s.Quantity.fromString(`${quota.memory.toMebibytes()}Mi`);
      hard['limits.memory'] = k8s.Quantity.fromString(`${quota.memory.toMebibytes()}Mi`);
    }
    if (quota.pods !== undefined) hard.pods = k8s.Quantity.fromNumber(checkInteger(this, 'quota.pods', quota.pods, 1));
    if (Object.keys(hard).length === 0) throw invalidProp(this, 'quota', quota, 'must set at least one of cpu, memory, pods');
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
