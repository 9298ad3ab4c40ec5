import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoServerAuthMode } from './argo-server-auth-mode';
import { ArgoWorkflowsRelease } from './argo-workflows-release';
import { IArgoWorkflows } from './interfaces';
import { IPipelineExitStep } from './pipeline-container-step';
import { PipelineServiceAccount } from './pipeline-service-account';
import { PipelineSubmitter, PipelineSubmitterOptions } from './pipeline-submitter';
import { SparkPipeline, SparkPipelineOptions } from './spark-pipeline';
import { PlatformBindings, PlatformServiceAccounts, ServiceAccountIdentity } from '../bindings';
import { requireLiteralBindings } from '../bindings/internal';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { JobNamespace, PlatformPriority } from '../spark';
import { checkArgs, checkInteger, checkOneOf, checkPlatformNamespace, checkShape, invalidProp } from '../validation';

/**
 * How long finished workflows (and, through their owner references, their SparkApplications and pods) are
 * kept.
 */
export interface WorkflowRetention {
  /**
   * After a workflow succeeded.
   *
   * @default Duration.days(2)
   */
  readonly afterSuccess?: Duration;

  /**
   * After a workflow failed or errored (long enough to investigate).
   *
   * @default Duration.days(7)
   */
  readonly afterFailure?: Duration;
}

/**
 * Properties of `ArgoWorkflows`.
 */
export interface ArgoWorkflowsProps {
  /** Every node pool of the platform: the controller, the server and the pipelines' own pods run on the on-demand ones. */
  readonly nodePools: NodePool[];

  /** The values from the AWS side: the bucket and prefix of the artifact repository, the region, the roles. */
  readonly bindings: PlatformBindings;

  /**
   * Where the controller, the server and the pipelines' executor pods run. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * The server's service account: it reads the artifact repository. Its namespace is the release's.
   *
   * @default PlatformServiceAccounts.ARGO_WORKFLOWS_SERVER (argo/argo-workflows-server)
   */
  readonly serverServiceAccount?: ServiceAccountIdentity;

  /**
   * The Helm release name.
   *
   * @default 'argo-workflows'
   */
  readonly releaseName?: string;

  /**
   * The exact version of the `argo-workflows` chart (https://argoproj.github.io/argo-helm).
   *
   * @default ArgoWorkflows.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * How the server authenticates callers. `ArgoServerAuthMode.SERVER` (no authentication) is only used when
   * listed here.
   *
   * @default [ArgoServerAuthMode.CLIENT]
   */
  readonly authModes?: ArgoServerAuthMode[];

  /**
   * Whether the logs of every workflow pod are archived to the artifact repository (the pipelines' service
   * accounts then get their IAM role, to write below `<artifacts>/<namespace>/`).
   *
   * @default false
   */
  readonly archiveLogs?: boolean;

  /**
   * How long finished workflows are kept.
   *
   * @default - 2 days after success, 7 days after failure
   */
  readonly retention?: WorkflowRetention;

  /**
   * Controller replicas (they elect a leader).
   *
   * @default 1
   */
  readonly controllerReplicas?: number;

  /**
   * Server replicas.
   *
   * @default 2
   */
  readonly serverReplicas?: number;

  /**
   * Where the chart's CRD job downloads the full CRDs from (a mirror of
   * `https://raw.githubusercontent.com/argoproj/argo-helm/argo-workflows-<version>/charts/argo-workflows/files/crds/full`),
   * for clusters without egress to GitHub.
   *
   * @default - the chart's: its release tag on GitHub
   */
  readonly crdBaseUrl?: string;

  /**
   * Chart values merged over the library's typed values (yours win).
   *
   * @default - none
   */
  readonly extraValues?: { [key: string]: any };
}

// The argoexec image's user (argo-workflows Dockerfile, argoexec-nonroot: USER 8737; docs/workflow-pod-security-context.md).
const EXECUTOR_UID = 8737;

/**
 * Argo Workflows, which runs the platform's Spark pipelines: installed from its pinned upstream chart
 * (`release`, delivered like every operator) with values derived from the platform: controller and server on
 * on-demand capacity, the server authenticating callers with their own tokens, an S3 artifact repository on the
 * platform bucket, metrics on, finished workflows and their pods cleaned up.
 *
 * Pipelines (`addPipeline`) are WorkflowTemplates in the job namespaces; the controller watches every namespace.
 */
export class ArgoWorkflows extends Construct implements IArgoWorkflows {
  /** The chart version the library is tested with. */
  public static readonly DEFAULT_CHART_VERSION = '1.0.18';

  /** The release (the pinned chart with the derived values). */
  public readonly release: ArgoWorkflowsRelease;
  /** Where the controller, the server and the pipelines' executor pods run. */
  public readonly placement: Placement;
  /** The values from the AWS side. */
  public readonly bindings: PlatformBindings;
  /** The server's service account. */
  public readonly serverServiceAccount: ServiceAccountIdentity;
  /** Whether workflow pods archive their logs to the artifact repository. */
  public readonly archiveLogs: boolean;
  private readonly props: ArgoWorkflowsProps;
  private readonly pipelineAccounts = new Map<JobNamespace, PipelineServiceAccount>();
  private readonly pipelineList: SparkPipeline[] = [];
  private readonly submitterList: PipelineSubmitter[] = [];
  private readonly everyPipelineExitSteps: IPipelineExitStep[] = [];

  public constructor(scope: Construct, id: string, props: ArgoWorkflowsProps) {
    super(scope, id);
    checkShape(this, 'ArgoWorkflowsProps', props, 'props');
    if (!props.bindings) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings (artifact repository, region, roles)');
    this.props = props;
    this.bindings = props.bindings;
    requireLiteralBindings(this, props.bindings);
    this.placement = componentPlacement(this, props.nodePools, props.placement, 'the workflow controller, the server and the pipelines\' own pods');
    PlatformPriority._ensure(this);
    this.serverServiceAccount = props.serverServiceAccount ?? PlatformServiceAccounts.ARGO_WORKFLOWS_SERVER;
    this.archiveLogs = props.archiveLogs ?? false;
    for (const mode of props.authModes ?? []) checkOneOf(this, 'authModes', mode, Object.values(ArgoServerAuthMode));
    if (props.authModes && props.authModes.length === 0) throw invalidProp(this, 'authModes', [], 'must list at least one mode (client is the safe one)');
    checkInteger(this, 'controllerReplicas', props.controllerReplicas ?? 1, 1);
    checkInteger(this, 'serverReplicas', props.serverReplicas ?? 2, 1);
    for (const [prop, duration] of [['retention.afterSuccess', props.retention?.afterSuccess], ['retention.afterFailure', props.retention?.afterFailure]] as const) {
      if (duration) checkInteger(this, prop, duration.toSeconds(), 1);
    }
    if (props.crdBaseUrl !== undefined && !/^https:\/\/\S+$/.test(props.crdBaseUrl)) {
      throw invalidProp(this, 'crdBaseUrl', props.crdBaseUrl, 'must be an https URL of a folder holding the full CRD files');
    }
    this.release = ArgoWorkflowsRelease._of({
      values: () => this._renderValues(),
      releaseName: props.releaseName ?? 'argo-workflows',
      namespace: checkPlatformNamespace(this, 'serverServiceAccount.namespace', this.serverServiceAccount.namespace),
      chartVersion: props.chartVersion ?? ArgoWorkflows.DEFAULT_CHART_VERSION,
      extraValues: props.extraValues,
    });
  }

  /** The namespaces that hold pipelines, in the order their first pipeline was added. */
  public get pipelineNamespaces(): JobNamespace[] {
    return [...this.pipelineAccounts.keys()];
  }

  /**
   * Adds a pipeline of Spark jobs to a job namespace: a WorkflowTemplate run by the namespace's pipeline
   * service account (created with the first pipeline of the namespace).
   */
  public addPipeline(namespace: JobNamespace, id: string, options: SparkPipelineOptions = {}): SparkPipeline {
    checkArgs(this, 'ArgoWorkflows', 'addPipeline', [namespace, id, options]);
    checkShape(`${namespace?.node?.path}/${id}`, 'SparkPipelineOptions', options, 'options', true);
    const pipeline = new SparkPipeline(namespace, id, { ...options, namespace, workflows: this });
    this.pipelineList.push(pipeline);
    for (const step of this.everyPipelineExitSteps) pipeline.addExitStep(step.id, step.exitStepFor(pipeline));
    return pipeline;
  }

  /** Every pipeline, in the order added. */
  public get pipelines(): SparkPipeline[] {
    return [...this.pipelineList];
  }

  /**
   * Adds an exit step to every pipeline, those added already and those added later (e.g. `Pushgateway`
   * pushing each run's outcome).
   */
  public addExitStepToEveryPipeline(step: IPipelineExitStep): void {
    checkArgs(this, 'ArgoWorkflows', 'addExitStepToEveryPipeline', [step]);
    if (this.everyPipelineExitSteps.some(s => s.id === step.id)) throw invalidProp(this, 'step.id', step.id, 'is already an exit step of every pipeline');
    this.everyPipelineExitSteps.push(step);
    for (const pipeline of this.pipelineList) pipeline.addExitStep(step.id, step.exitStepFor(pipeline));
  }

  /**
   * Lets a CI job or a person start the namespace's pipelines on demand through the Argo Server's API: a
   * service account with a long-lived token, allowed to create workflows in the namespace and follow them.
   */
  public addSubmitter(namespace: JobNamespace, options: PipelineSubmitterOptions = {}): PipelineSubmitter {
    checkArgs(this, 'ArgoWorkflows', 'addSubmitter', [namespace, options]);
    checkShape(this, 'PipelineSubmitterOptions', options, 'options', true);
    const submitter = new PipelineSubmitter(namespace, `Submitter-${options.name ?? PipelineSubmitter.DEFAULT_NAME}`, { ...options, namespace });
    this.submitterList.push(submitter);
    return submitter;
  }

  /** The submitters added with `addSubmitter()`, in the order added. */
  public get submitters(): PipelineSubmitter[] {
    return [...this.submitterList];
  }

  /**
   * The pipeline service account of a namespace, created with its first pipeline.
   *
   * @internal
   */
  public _pipelineServiceAccount(namespace: JobNamespace): PipelineServiceAccount {
    let account = this.pipelineAccounts.get(namespace);
    if (!account) {
      account = new PipelineServiceAccount(namespace, 'PipelineServiceAccount', { namespace, workflows: this });
      this.pipelineAccounts.set(namespace, account);
    }
    return account;
  }

  /**
   * The security context of every workflow pod: the argoexec image's non-root user.
   *
   * @internal
   */
  public get _podSecurityContext(): { [key: string]: any } {
    return { runAsNonRoot: true, runAsUser: EXECUTOR_UID, runAsGroup: EXECUTOR_UID, seccompProfile: { type: 'RuntimeDefault' } };
  }

  /**
   * The chart values, derived when read.
   *
   * @internal
   */
  public _renderValues(): { [key: string]: any } {
    const props = this.props;
    const scheduling = this.placement.schedulingValues;
    const retention = props.retention ?? {};
    const annotations = this.bindings.serviceAccountAnnotations(this.serverServiceAccount);
    const artifacts = this.bindings.artifacts;
    const containerDefaults = {
      securityContext: restrictedContainer({ seccompProfile: true }),
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
    };
    return {
      singleNamespace: false,
      crds: {
        install: true,
        keep: true,
        full: true,
        upgradeJob: {
          ...scheduling,
          ...(props.crdBaseUrl ? { crdBaseURL: props.crdBaseUrl } : {}),
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
        },
      },
      // Each pipeline namespace gets its own service account and Role from the library.
      workflow: { serviceAccount: { create: false }, rbac: { create: false } },
      controller: {
        replicas: props.controllerReplicas ?? 1,
        workflowNamespaces: this.pipelineNamespaces.map(ns => ns.name),
        metricsConfig: { enabled: true },
        workflowDefaults: {
          spec: {
            ttlStrategy: {
              secondsAfterSuccess: (retention.afterSuccess ?? Duration.days(2)).toSeconds(),
              secondsAfterFailure: (retention.afterFailure ?? Duration.days(7)).toSeconds(),
            },
            // Pods of succeeded steps go at once; failed ones stay for their logs until the workflow goes.
            podGC: { strategy: 'OnPodSuccess' },
            securityContext: this._podSecurityContext,
          },
        },
        resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
        // The chart sets no pod security context for the controller (values.yaml controller.podSecurityContext {}).
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        ...scheduling,
        priorityClassName: PlatformPriority.COMPONENTS,
      },
      server: {
        replicas: props.serverReplicas ?? 2,
        authModes: props.authModes ?? [ArgoServerAuthMode.CLIENT],
        serviceAccount: { create: true, name: this.serverServiceAccount.name, annotations },
        resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '512Mi' } },
        // The chart leaves the server's root filesystem writable; upstream's own manifests
        // (manifests/base/argo-server/argo-server-deployment.yaml) make it read-only. The chart already mounts
        // an emptyDir named `tmp` at /tmp (argo-helm argo-workflows-1.0.18, templates/server/server-deployment.yaml,
        // `server.tmpVolume`) and appends `server.volumes`: a second one would be a duplicate the API server rejects.
        // The chart's values.yaml lists the server's container security context field by field (no seccompProfile:
        // it goes on the pod).
        securityContext: restrictedContainer(),
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        // The chart renders a readiness probe always, a liveness probe only on request (server.livenessProbe).
        livenessProbe: { enabled: true },
        // The platform uses namespaced WorkflowTemplates only: the server reads ClusterWorkflowTemplates, never edits them.
        clusterWorkflowTemplates: { enableEditing: false },
        ...scheduling,
        priorityClassName: PlatformPriority.COMPONENTS,
      },
      executor: containerDefaults,
      mainContainer: containerDefaults,
      useStaticCredentials: false,
      artifactRepository: {
        archiveLogs: this.archiveLogs,
        s3: {
          bucket: artifacts.bucketName,
          endpoint: 's3.amazonaws.com',
          region: this.bindings.region,
          insecure: false,
          // Each namespace writes below its own prefix, which its pipeline role is scoped to.
          keyFormat: `${artifacts.prefix}/{{workflow.namespace}}/{{workflow.name}}/{{pod.name}}`,
          useSDKCreds: true,
        },
      },
    };
  }
}
