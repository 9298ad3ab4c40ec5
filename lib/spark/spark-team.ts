import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { SparkLabels } from './spark-labels';
import { ServiceAccountIdentity, WorkloadIdentity } from '../bindings';
import { S3Location } from '../storage';
import { checkDns1123Subdomain, checkInteger, checkLabels, checkList, checkPlatformNamespace, checkShape, cpuMillisOf, invalidProp, labelValueProblem } from '../validation';

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
 * Properties of a `SparkTeam`.
 */
export interface SparkTeamProps {
  /**
   * The team's name: the `spark-platform.io/team` label of its namespace and job pods, and its namespace's name
   * unless `namespace` is given.
   */
  readonly name: string;

  /**
   * The team's job namespace.
   *
   * @default - the team's name
   */
  readonly namespace?: string;

  /**
   * The service account the team's drivers and executors run as.
   *
   * @default 'spark'
   */
  readonly serviceAccountName?: string;

  /**
   * How the team's service account gets its IAM role. EKS Pod Identity needs the AWS SDK v2 of Hadoop 3.4
   * (Spark 4): Spark 3.5 jobs of the team are refused.
   *
   * @default WorkloadIdentity.IRSA
   */
  readonly identity?: WorkloadIdentity;

  /**
   * The cost centre the team's jobs are charged to: the `spark-platform.io/cost-center` label of its namespace
   * and job pods.
   *
   * @default - no cost-centre label
   */
  readonly costCenter?: string;

  /**
   * Other labels of the team's namespace and job pods.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Key prefixes of the platform bucket the team's jobs read (e.g. `raw/events`).
   *
   * @default - none
   */
  readonly readPrefixes?: string[];

  /**
   * Key prefixes of the platform bucket the team's jobs read and write (e.g. `curated/sessions`).
   *
   * @default - none
   */
  readonly readWritePrefixes?: string[];

  /**
   * A ResourceQuota capping what the team's jobs request together.
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
 * A team that runs Spark jobs: its namespace, its service account and how that gets its IAM role, the data it
 * reads and writes, its quota and its cost labels.
 *
 * A plain value object, like `NodePool`: define it once and give the same object to both sides. The AWS side
 * derives the team's IAM role and its policy (the event logs, `readPrefixes`, `readWritePrefixes`); the
 * Kubernetes side (`SparkOperator.addTeam()`) derives the namespace, the service account with its role, the
 * driver's RBAC, the quota and the labels. Nothing about a team is typed twice.
 *
 * @example
 *
 * export const dataEngineering = new SparkTeam({
 *   name: 'data-engineering',
 *   costCenter: 'cc-1001',
 *   readPrefixes: ['raw'],
 *   readWritePrefixes: ['curated'],
 * });
 */
export class SparkTeam {
  /** The team's name. */
  public readonly name: string;
  /** The team's job namespace. */
  public readonly namespace: string;
  /** The service account the team's jobs run as, and how it gets its IAM role. */
  public readonly serviceAccount: ServiceAccountIdentity;
  /**
   * The service account the team's pipelines run as (Argo Workflows' executor: it creates the pipelines'
   * SparkApplications and writes the team's artifacts), with the same identity as the jobs'.
   */
  public readonly pipelineServiceAccount: ServiceAccountIdentity;
  /** The labels of the team's namespace and of every job pod (team, cost centre, others). */
  public readonly labels: { [key: string]: string };
  /** Key prefixes of the platform bucket the team's jobs read. */
  public readonly readPrefixes: string[];
  /** Key prefixes of the platform bucket the team's jobs read and write. */
  public readonly readWritePrefixes: string[];
  /** The quota, if any. */
  public readonly quota?: JobNamespaceQuota;
  /** The limit range, if any (always with a quota). */
  public readonly limits?: JobNamespaceLimits;

  public constructor(props: SparkTeamProps) {
    const where = `SparkTeam ${JSON.stringify(props?.name)}`;
    checkShape(where, 'SparkTeamProps', props, 'props');
    const nameProblem = labelValueProblem(props.name);
    if (nameProblem || !props.name) throw invalidProp(where, 'name', props.name, nameProblem ?? 'must not be empty');
    this.name = props.name;
    const namespace = checkPlatformNamespace(where, props.namespace === undefined ? 'name' : 'namespace', props.namespace ?? props.name);
    this.serviceAccount = new ServiceAccountIdentity({
      namespace,
      name: checkDns1123Subdomain(where, 'serviceAccountName', props.serviceAccountName ?? 'spark'),
      identity: props.identity,
    });
    this.namespace = namespace;
    this.pipelineServiceAccount = new ServiceAccountIdentity({ namespace, name: `${this.serviceAccount.name}-pipeline`, identity: props.identity });

    const costProblem = props.costCenter === undefined ? undefined : labelValueProblem(props.costCenter);
    if (costProblem) throw invalidProp(where, 'costCenter', props.costCenter, costProblem);
    checkLabels(where, 'labels', props.labels);
    this.labels = {
      ...props.labels,
      [SparkLabels.TEAM]: this.name,
      ...(props.costCenter !== undefined ? { [SparkLabels.COST_CENTER]: props.costCenter } : {}),
    };

    this.readPrefixes = checkPrefixes(where, 'readPrefixes', props.readPrefixes ?? []);
    this.readWritePrefixes = checkPrefixes(where, 'readWritePrefixes', props.readWritePrefixes ?? []);
    if (props.quota) checkQuota(where, props.quota);
    this.quota = props.quota;
    if (props.limits) checkLimits(where, props.limits);
    this.limits = props.limits ?? (props.quota ? {} : undefined);
  }
}

function checkPrefixes(where: string, prop: string, prefixes: string[]): string[] {
  checkList<string>(where, prop, prefixes, p => typeof p === 'string', 'key prefixes (strings such as "curated/sessions")').forEach((prefix, i) => {
    const problem = S3Location.prefixProblem(prefix);
    if (problem) throw invalidProp(where, `${prop}[${i}]`, prefix, problem);
    if (prefix === '') throw invalidProp(where, `${prop}[${i}]`, prefix, 'must not be empty: a team never gets the whole bucket');
  });
  return [...prefixes];
}

function checkQuota(where: string, quota: JobNamespaceQuota): void {
  if (quota.pods !== undefined) checkInteger(where, 'quota.pods', quota.pods, 1);
  // A zero quota admits no pod at all: every job of the team would fail at submission.
  if (quota.cpu !== undefined && !(cpuMillisOf(quota.cpu.amount) > 0)) {
    throw invalidProp(where, 'quota.cpu', quota.cpu.amount, 'must be more than zero: a namespace with no CPU runs no job (leave it unset for no limit)');
  }
  if (quota.memory !== undefined && !(quota.memory.toMebibytes() > 0)) {
    throw invalidProp(where, 'quota.memory', `${quota.memory.toMebibytes()}Mi`, 'must be more than zero: a namespace with no memory runs no job (leave it unset for no limit)');
  }
  if (quota.cpu === undefined && quota.memory === undefined && quota.pods === undefined) {
    throw invalidProp(where, 'quota', quota, 'must set at least one of cpu, memory, pods');
  }
}

// The API server rejects a LimitRange whose default limit exceeds its max (pkg/apis/core/validation
// ValidateLimitRange: "default value ... must be less than or equal to max value").
function checkLimits(where: string, limits: JobNamespaceLimits): void {
  const mib = (size: Size | undefined) => (size === undefined ? undefined : size.toMebibytes());
  for (const [prop, value] of [['limits.defaultMemory', mib(limits.defaultMemory)], ['limits.maxMemory', mib(limits.maxMemory)]] as const) {
    if (value !== undefined && !(value > 0)) throw invalidProp(where, prop, `${value}Mi`, 'must be more than zero');
  }
  if (limits.defaultCpuRequest !== undefined && !(cpuMillisOf(limits.defaultCpuRequest.amount) > 0)) {
    throw invalidProp(where, 'limits.defaultCpuRequest', limits.defaultCpuRequest.amount, 'must be more than zero');
  }
  const max = mib(limits.maxMemory);
  const defaultMemory = mib(limits.defaultMemory) ?? 256;
  if (max !== undefined && defaultMemory > max) {
    throw invalidProp(where, 'limits.defaultMemory', `${defaultMemory}Mi`, `must be at most limits.maxMemory (${max}Mi): the API server rejects a LimitRange whose default exceeds its max`);
  }
}
