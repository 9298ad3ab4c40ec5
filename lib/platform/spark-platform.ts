import { App, Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterAutoscaler, Karpenter, KarpenterOptions } from '../autoscaling';
import { PlatformBindings } from '../bindings';
import { GitDirectoryOptions, GitOps } from '../delivery';
import { SparkHistoryServer } from '../history';
import { FluentdOptions, LogFlow, LogOutput, LogOutputOptions, Logging, LoggingOperator, TeamLogFlowOptions } from '../logging';
import { AlertRule, PlatformMonitoring, PrometheusStack } from '../monitoring';
import { PlatformNetwork, PlatformNetworkOptions } from '../network';
import { NodePool, Placement } from '../scheduling';
import { JobNamespace, SparkOperator, SparkTeam } from '../spark';
import { EbsStorageClass } from '../storage';
import { KUBERNETES_NAMESPACES, checkArgs, checkList, checkShape, invalidProp, synthWarning } from '../validation';
import { ArgoWorkflows, PipelineSubmitter, SparkPipeline, SparkPipelineOptions } from '../workflows';
import { CheckedPlatform, checkPlatform } from './private/platform-checks';
import { DrawnPlatform, platformDiagram } from './private/platform-diagram';

/**
 * How the platform is delivered with Argo CD.
 */
export interface SparkPlatformGitOps extends GitDirectoryOptions {
}

/**
 * Where the platform's logs go.
 */
export interface SparkPlatformLogging {
  /**
   * The platform-wide log store (a `ClusterOutput`): every team's Spark logs go there unless the team has its
   * own output (`addTeam(team, { logOutput })`), and so do the platform components' logs.
   */
  readonly output: LogOutputOptions;

  /**
   * fluentd's replicas, resources and buffer volume. Each flow that references an output runs its own copy of the
   * output's buffer (every team flow to `output` included), so a platform of many teams needs a larger
   * `bufferVolumeSize`: synth fails, naming the total, when the buffers can outgrow the volume.
   *
   * @default - the `Logging` defaults (2 replicas, a 20 GiB buffer volume each), on the platform's StorageClass
   */
  readonly fluentd?: FluentdOptions;
}

/**
 * Properties of a `SparkPlatform`.
 */
export interface SparkPlatformProps extends ChartProps {
  /**
   * Every node pool: spot pools (tainted) for executors, on-demand pools for drivers and the platform's
   * components. The same objects the AWS side builds the node groups from.
   */
  readonly nodePools: NodePool[];

  /** What the AWS side made (`aws.SparkEksCluster.bindings`, or `PlatformBindings.fromStackOutputs()`). */
  readonly bindings: PlatformBindings;

  /**
   * Deliver the platform with Argo CD: a `GitOps` chart (`gitops.k8s.yaml`: the AppProject, the root
   * Application and one Application per operator) next to the platform's. The platform must then be created
   * directly in the `App`.
   *
   * @default - no Argo CD objects (deliver `dist/` your way, or with `aws.DirectDelivery`)
   */
  readonly gitOps?: SparkPlatformGitOps;

  /**
   * Logging: the logging-operator, fluentd and fluent-bit, team flows and a platform flow to this log store.
   *
   * @default - no logging
   */
  readonly logging?: SparkPlatformLogging;

  /**
   * Where Spark drivers run.
   *
   * @default - the on-demand pools (not the spot pools' fallbacks)
   */
  readonly driverPlacement?: Placement;

  /**
   * Where Spark executors run.
   *
   * @default - the spot pools, with their on-demand fallbacks (spot preferred)
   */
  readonly executorPlacement?: Placement;

  /**
   * The cluster-autoscaler (native manifests). Switch it off to run your own; `karpenter` switches it off.
   *
   * @default - true, unless `karpenter` is given
   */
  readonly clusterAutoscaler?: boolean;

  /**
   * Karpenter instead of the cluster-autoscaler, from the same pools: each pool's `minSize` nodes stay a managed
   * node group (the AWS side's), Karpenter launches the rest (a NodePool and an EC2NodeClass per pool). The AWS
   * side must make its roles, queue and tags (`aws.SparkEksCluster`'s `karpenter`). docs/autoscaling.md compares
   * both.
   *
   * @default - no Karpenter: the cluster-autoscaler
   */
  readonly karpenter?: KarpenterOptions;

  /**
   * Argo Workflows, for pipelines. Switch it off to run jobs only.
   *
   * @default true
   */
  readonly pipelines?: boolean;

  /**
   * The Spark History Server.
   *
   * @default true
   */
  readonly historyServer?: boolean;

  /**
   * Monitoring, for a cluster that runs the Prometheus Operator (kube-prometheus-stack): the stack's
   * selectors, or `false` for none.
   *
   * @default - kube-prometheus-stack's defaults (`PrometheusStack.kubePrometheusStack()`)
   */
  readonly monitoring?: PrometheusStack | boolean;

  /**
   * An `EbsStorageClass` (encrypted gp3) for the platform's volumes (fluentd's buffers).
   *
   * @default true
   */
  readonly storageClass?: boolean;

  /**
   * Network isolation: a default-deny NetworkPolicy (ingress and egress, DNS allowed) in every namespace the
   * platform renders or installs an operator into, and an allow for each flow a component needs
   * (docs/network.md). The cluster's CNI must enforce NetworkPolicies (on EKS: the VPC CNI with
   * `enableNetworkPolicy`).
   *
   * @default true
   */
  readonly networkPolicies?: boolean;

  /**
   * What the NetworkPolicies allow from outside the platform: the cluster's CIDRs, the Prometheus, the UIs' clients.
   *
   * @default - Prometheus in namespace `monitoring`, no UI clients, 0.0.0.0/0 as "outside the cluster"
   */
  readonly network?: PlatformNetworkOptions;
}

/**
 * Options of a team added to the platform.
 */
export interface SparkPlatformTeamOptions {
  /**
   * The team's own log store (an `Output` in its namespace). Its password Secret must be in that namespace.
   *
   * @default - the platform's log store
   */
  readonly logOutput?: LogOutputOptions;
}

/**
 * The whole Spark platform from one construct, with production defaults: the Spark Operator, Argo Workflows,
 * the history server on S3, the cluster-autoscaler, logging, monitoring and Argo CD delivery, all derived from
 * the pools and the bindings. Add teams, jobs, pipelines, schedules, flows and alerts; everything is checked
 * as a whole at synth, and `toMermaid()` draws it.
 *
 * @example
 *
 * const platform = new SparkPlatform(app, 'spark-platform', { nodePools: [systemPool, spotPool], bindings });
 * const jobs = platform.addTeam(dataEngineering);
 * jobs.addJob('daily-sessions', { type: SparkJobType.SCALA, image, mainApplicationFile, mainClass, sparkVersion: '3.5.5' });
 */
export class SparkPlatform extends Chart implements CheckedPlatform, DrawnPlatform {
  /** The node pools. */
  public readonly nodePools: NodePool[];
  /** The bindings from the AWS side. */
  public readonly bindings: PlatformBindings;
  /** The Spark Operator. */
  public readonly sparkOperator: SparkOperator;
  /** Argo Workflows, unless switched off. */
  public readonly workflows?: ArgoWorkflows;
  /** The history server, unless switched off. */
  public readonly historyServer?: SparkHistoryServer;
  /** The cluster-autoscaler, unless switched off. */
  public readonly clusterAutoscaler?: ClusterAutoscaler;
  /** Karpenter, when `karpenter` is given. */
  public readonly karpenter?: Karpenter;
  /** The StorageClass of the platform's volumes, unless switched off. */
  public readonly storageClass?: EbsStorageClass;
  /** The logging-operator, when logging is on. */
  public readonly loggingOperator?: LoggingOperator;
  /** The Logging, when logging is on. */
  public readonly logging?: Logging;
  /** The platform-wide log output, when logging is on. */
  public readonly platformLogOutput?: LogOutput;
  /** The monitoring, unless switched off. */
  public readonly monitoring?: PlatformMonitoring;
  /** The Argo CD delivery, when `gitOps` is given. */
  public readonly gitOps?: GitOps;
  /** The NetworkPolicies, unless switched off. */
  public readonly network?: PlatformNetwork;
  /** The ClusterFlow of the components' own logs to `platformLogOutput`, with `logging`. */
  public readonly platformLogFlow?: LogFlow;

  public constructor(scope: Construct, id: string, props: SparkPlatformProps) {
    super(scope, id, props);
    checkShape(this, 'SparkPlatformProps', props, 'props');
    if (!Array.isArray(props.nodePools) || props.nodePools.length === 0) throw invalidProp(this, 'nodePools', props.nodePools, 'must list the platform\'s node pools');
    checkList<NodePool>(this, 'nodePools', props.nodePools, p => p instanceof NodePool, 'NodePools');
    if (!(props.bindings instanceof PlatformBindings)) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings');
    this.nodePools = [...props.nodePools];
    this.bindings = props.bindings;
    const common = { nodePools: this.nodePools, bindings: this.bindings };

    if (props.storageClass ?? true) this.storageClass = new EbsStorageClass(this, 'storage');
    if (props.karpenter && props.clusterAutoscaler) {
      throw invalidProp(this, 'clusterAutoscaler', true, 'cannot run beside karpenter: both would add nodes for the same pending pods and remove each other\'s; '
        + 'leave clusterAutoscaler out (karpenter switches it off)');
    }
    if (props.karpenter) this.karpenter = new Karpenter(this, 'karpenter', { ...props.karpenter, ...common });
    else if (props.clusterAutoscaler ?? true) this.clusterAutoscaler = new ClusterAutoscaler(this, 'cluster-autoscaler', common);
    this.sparkOperator = new SparkOperator(this, 'spark-operator', { ...common, driverPlacement: props.driverPlacement, executorPlacement: props.executorPlacement });
    if (props.pipelines ?? true) this.workflows = new ArgoWorkflows(this, 'argo-workflows', common);
    if (props.historyServer ?? true) this.historyServer = new SparkHistoryServer(this, 'spark-history', common);
    if (props.logging) {
      this.loggingOperator = new LoggingOperator(this, 'logging-operator', { nodePools: this.nodePools });
      const fluentd = { ...props.logging.fluentd, bufferStorageClassName: props.logging.fluentd?.bufferStorageClassName ?? this.storageClass?.name };
      this.logging = new Logging(this, 'logging', { operator: this.loggingOperator, fluentd });
      this.platformLogOutput = this.logging.addClusterOutput('platform-logs', props.logging.output);
    }
    if (props.monitoring !== false) {
      this.monitoring = new PlatformMonitoring(this, 'monitoring', {
        nodePools: this.nodePools,
        stack: props.monitoring instanceof PrometheusStack ? props.monitoring : undefined,
        sparkOperator: this.sparkOperator,
        workflows: this.workflows,
        clusterAutoscaler: this.clusterAutoscaler,
        karpenter: this.karpenter,
        historyServer: this.historyServer,
        // The pipelines' alerts read what the Pushgateway keeps: on the platform's EBS StorageClass.
        pushgatewayPersistence: this.storageClass ? { storageClassName: this.storageClass.name } : undefined,
      });
    }
    if (props.networkPolicies ?? true) this.network = this.isolateNetwork(props.network ?? {});
    if (props.gitOps) this.gitOps = this.deliverWithArgoCd(scope, props.gitOps);
    // The components' own logs (operators, servers, Argo CD) to the platform's output: the ClusterFlow docs/platform.md
    // promises. kube-system is not the platform's: its logs are the cluster's to route.
    if (this.logging) {
      const namespaces = [...new Set(this.componentNamespaces().map(([ns]) => ns))].filter(ns => !KUBERNETES_NAMESPACES.includes(ns));
      this.platformLogFlow = this.logging.addPlatformFlow({ namespaces, outputs: [this.platformLogOutput!] });
    }
  }

  /**
   * Renders the platform's objects and checks them as a whole (tolerations, references, uniqueness, sync waves,
   * identities): on the documents just rendered, so a synth renders each object once.
   */
  public toJson(): any[] {
    const documents = super.toJson();
    const { errors, warnings } = checkPlatform(this, documents);
    for (const warning of warnings) synthWarning(this, warning);
    if (errors.length > 0) {
      // The shape of cdk8s' own validation errors.
      throw new Error(`Validation failed with the following errors:\n  ${errors.map(e => `[${this.node.path}] ${e}`).join('\n  ')}`);
    }
    return documents;
  }

  /**
   * Adds a team: its job namespace (service account with the IAM role the AWS side made for the same object,
   * driver RBAC, quota, labels), and with logging a flow of its Spark logs to its own output or the platform's.
   */
  public addTeam(team: SparkTeam, options: SparkPlatformTeamOptions = {}): JobNamespace {
    checkArgs(this, 'SparkPlatform', 'addTeam', [team, options]);
    checkShape(this, 'SparkPlatformTeamOptions', options, 'options', true);
    const owner = this.componentNamespaces().find(([ns]) => ns === team?.namespace);
    if (owner) {
      throw invalidProp(this, 'team', team.name, `uses namespace "${team.namespace}", which is ${owner[1]}'s: the team's Namespace, quota and NetworkPolicies would be applied to it; give the team a namespace of its own`);
    }
    const namespace = this.sparkOperator.addTeam(team);
    if (this.logging) {
      const own = options.logOutput ? this.logging.addTeamOutput(namespace, 'logs', options.logOutput) : undefined;
      this.logging.addTeamFlow(namespace, { outputs: [own ?? this.platformLogOutput!] });
    } else if (options.logOutput) {
      throw invalidProp(this, 'logOutput', options.logOutput.host, 'needs the platform\'s logging (give logging: { output })');
    }
    this.network?.addJobNamespace(namespace);
    return namespace;
  }

  /** Adds another flow of a team's logs (other pods, more filters, other outputs). */
  public addTeamFlow(namespace: JobNamespace, options: TeamLogFlowOptions): void {
    checkArgs(this, 'SparkPlatform', 'addTeamFlow', [namespace, options]);
    checkShape(this, 'TeamLogFlowOptions', options, 'options');
    if (!this.logging) throw invalidProp(this, 'logging', undefined, 'is off: give logging: { output } to add flows');
    this.logging.addTeamFlow(namespace, options);
  }

  /** Adds a pipeline of Spark jobs (sequence or DAG) to a team's namespace. */
  public addPipeline(namespace: JobNamespace, id: string, options: SparkPipelineOptions = {}): SparkPipeline {
    checkArgs(this, 'SparkPlatform', 'addPipeline', [namespace, id, options]);
    checkShape(`${namespace?.node?.path}/${id}`, 'SparkPipelineOptions', options, 'options', true);
    return this.requireWorkflows('addPipeline').addPipeline(namespace, id, options);
  }

  /** Lets CI or a person start a team's pipelines on demand through the Argo Server's API. */
  public addSubmitter(namespace: JobNamespace): PipelineSubmitter {
    checkArgs(this, 'SparkPlatform', 'addSubmitter', [namespace]);
    return this.requireWorkflows('addSubmitter').addSubmitter(namespace);
  }

  /** Adds an alert to a rule group of yours. */
  public addAlert(rule: AlertRule, group?: string): void {
    checkArgs(this, 'SparkPlatform', 'addAlert', [rule, group]);
    if (!this.monitoring) throw invalidProp(this, 'monitoring', false, 'is off: alerts need it');
    this.monitoring.addAlert(rule, group);
  }

  /** The teams' job namespaces. */
  public get jobNamespaces(): JobNamespace[] {
    return this.sparkOperator.jobNamespaces;
  }

  /** The platform as a Mermaid flowchart: components, pools, teams, jobs and pipelines with their steps. */
  public toMermaid(): string {
    return platformDiagram(this);
  }

  // The namespaces of the components the platform installs or renders, with their owners.
  private componentNamespaces(): Array<[string, string]> {
    return [
      [this.sparkOperator.release.namespace, 'the Spark Operator'],
      ...this.workflows ? [[this.workflows.release.namespace, 'Argo Workflows'] as [string, string]] : [],
      ...this.loggingOperator ? [[this.loggingOperator.namespace, 'the logging-operator'] as [string, string]] : [],
      ...this.historyServer ? [[this.historyServer.namespace, 'the Spark History Server'] as [string, string]] : [],
      ...this.monitoring ? [[this.monitoring.namespace, 'the monitoring'] as [string, string]] : [],
      ...this.gitOps ? [[this.gitOps.argoCdNamespace, 'Argo CD'] as [string, string]] : [],
      ...this.clusterAutoscaler ? [[this.clusterAutoscaler.namespace, 'the cluster-autoscaler'] as [string, string]] : [],
      ...this.karpenter ? [[this.karpenter.namespace, 'Karpenter'] as [string, string]] : [],
    ];
  }

  private requireWorkflows(method: string): ArgoWorkflows {
    if (!this.workflows) throw invalidProp(this, 'pipelines', false, `is off: ${method}() needs Argo Workflows`);
    return this.workflows;
  }

  private isolateNetwork(options: PlatformNetworkOptions): PlatformNetwork {
    return new PlatformNetwork(this, 'network', {
      ...options,
      sparkOperator: this.sparkOperator,
      workflows: this.workflows,
      historyServer: this.historyServer,
      clusterAutoscaler: this.clusterAutoscaler,
      karpenter: this.karpenter,
      loggingOperator: this.loggingOperator,
      logging: this.logging,
      monitoring: this.monitoring,
    });
  }

  private deliverWithArgoCd(scope: Construct, options: SparkPlatformGitOps): GitOps {
    if (!(scope instanceof App)) throw invalidProp(this, 'gitOps', options.repoUrl, 'needs the platform created directly in the App (its GitOps chart is a sibling)');
    const gitOps = new GitOps(scope, 'gitops', { repoUrl: options.repoUrl, path: options.path, revision: options.revision });
    gitOps.addHelmRelease(this.sparkOperator.release);
    if (this.workflows) gitOps.addHelmRelease(this.workflows.release);
    if (this.loggingOperator) gitOps.addHelmRelease(this.loggingOperator.release);
    if (this.karpenter) gitOps.addHelmRelease(this.karpenter.release);
    return gitOps;
  }

}
