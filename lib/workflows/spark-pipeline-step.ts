import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ISparkPipeline } from './interfaces';
import { PipelineRetry } from './pipeline-retry';
import { RestartPolicy, SparkApplicationOptions, SparkLabels } from '../spark';
import { manifestYaml } from './private/manifest-yaml';
import { SparkApplicationSpec } from '../spark/internal';
import { checkArgs, checkDns1123Label, checkInteger, checkShape, invalidProp } from '../validation';

/**
 * Options of `SparkPipeline.addSparkStep()`.
 */
export interface SparkPipelineStepOptions {
  /**
   * The step's name (its template's, and the prefix of its SparkApplications' names): a DNS-1123 label of at
   * most 50 characters (each try's SparkApplication is `<name>-<5 random characters>`, whose UI service
   * `<...>-ui-svc` must stay within 63).
   *
   * @default - the job's `name`, else the construct id
   */
  readonly name?: string;

  /**
   * The steps that must succeed before this one starts. With dependencies anywhere, the pipeline is a DAG
   * (steps without dependencies start at once); without any, steps run one after another in the order added.
   *
   * @default - none
   */
  readonly dependsOn?: SparkPipelineStep[];

  /**
   * How the step is retried.
   *
   * @default - the pipeline's retry
   */
  readonly retry?: PipelineRetry;

  /**
   * How long the step may run (`activeDeadlineSeconds`, whole seconds). When it passes, the step fails; the
   * SparkApplication it created is deleted with the workflow (it is owned by it).
   *
   * @default - the pipeline's deadline only
   */
  readonly deadline?: Duration;
}

/**
 * Properties of a `SparkPipelineStep`.
 */
export interface SparkPipelineStepProps extends SparkPipelineStepOptions {
  /** The pipeline. */
  readonly pipeline: ISparkPipeline;
  /** The job the step runs: the same definition a standalone or scheduled job takes. */
  readonly job: SparkApplicationOptions;
}

/** The operator's name limit, less `-` and the 5 characters the API server appends to `generateName`. */
const STEP_NAME_MAX = SparkApplicationSpec.SPARK_APPLICATION_NAME_MAX - 6;

/**
 * A Spark job run as one step of a pipeline: a `resource` template that creates the job's SparkApplication
 * (owned by the workflow, a new name per try) and waits for the Spark Operator to finish it.
 *
 * The job is rendered only inside the pipeline's WorkflowTemplate, never as a standalone SparkApplication
 * that Argo CD would apply (and the operator run) on every sync.
 */
export class SparkPipelineStep extends Construct {
  /** The step's name. */
  public readonly name: string;
  /** The pipeline. */
  public readonly pipeline: ISparkPipeline;
  /** The job it runs (the definition, as given). */
  public readonly job: SparkApplicationOptions;
  private readonly dependencies: SparkPipelineStep[];
  private readonly spec: SparkApplicationSpec;
  private readonly retry?: PipelineRetry;
  private readonly deadline?: Duration;
  private renderedJson?: string;
  private renderedYaml?: string;

  public constructor(scope: Construct, id: string, props: SparkPipelineStepProps) {
    super(scope, id);
    checkShape(this, 'SparkPipelineStepProps', props, 'props');
    this.pipeline = props.pipeline;
    this.job = props.job;
    const namespace = props.pipeline.namespace;
    // The job's name names the step when the step has none: blamed as spelled.
    if (props.name === undefined && props.job.name !== undefined) {
      checkDns1123Label(this, 'job.name', props.job.name, STEP_NAME_MAX);
    }
    // Retries are the pipeline's: the SparkApplication of a try does not restart itself unless the job says so.
    const stepName = props.name ?? props.job.name ?? id;
    this.spec = new SparkApplicationSpec(this, { ...props.job, namespace }, stepName, STEP_NAME_MAX, undefined, RestartPolicy.never());
    this.name = this.spec.name;
    if (['main', 'exit-handler'].includes(this.name)) {
      throw invalidProp(this, 'name', this.name, 'is a name the pipeline uses for its own templates ("main", "exit-handler")');
    }
    this.dependencies = [...(props.dependsOn ?? [])];
    this.retry = props.retry;
    props.retry?._render(this, 'retry');
    if (props.deadline) checkInteger(this, 'deadline', props.deadline.toSeconds(), 1);
    this.deadline = props.deadline;
    namespace._useDefinition(props.job, this, false);
  }

  /** The steps that must succeed before this one starts. */
  public get dependsOn(): SparkPipelineStep[] {
    return [...this.dependencies];
  }

  /** Adds a step that must succeed before this one starts. */
  public addDependency(step: SparkPipelineStep): void {
    checkArgs(this, 'SparkPipelineStep', 'addDependency', [step]);
    this.dependencies.push(step);
  }

  /**
   * The SparkApplication spec (for the pipeline's parameter checks).
   *
   * @internal
   */
  public _renderSpec(): { [key: string]: any } {
    return this.spec.render();
  }

  /**
   * The step's template.
   *
   * @internal
   */
  public _renderTemplate(pipelineRetry: PipelineRetry): { [key: string]: any } {
    const manifest = this.spec.manifest(`${this.name}-`, {
      [SparkLabels.PIPELINE]: this.pipeline.name,
      // The run it belongs to (workflow names are at most 63 characters: a valid label value).
      'workflows.argoproj.io/workflow': '{{workflow.name}}',
    });
    return {
      name: this.name,
      retryStrategy: (this.retry ?? pipelineRetry)._render(this, this.retry ? 'retry' : `${this.pipeline.node.id}.retry`),
      activeDeadlineSeconds: this.deadline?.toSeconds(),
      resource: {
        action: 'create',
        setOwnerReference: true,
        // spark-operator v2.5.2 api/v1beta2: COMPLETED and FAILED are the terminal states; SUBMISSION_FAILED
        // ends the application too once it is not retried.
        successCondition: 'status.applicationState.state == COMPLETED',
        failureCondition: 'status.applicationState.state in (FAILED, SUBMISSION_FAILED)',
        manifest: this.manifestText(manifest),
      },
    };
  }

  // The YAML of an unchanged manifest is written once (a synth may render an object more than once). JSON is the
  // key, and gives plain data (no unset fields, no shared objects).
  private manifestText(manifest: { [key: string]: any }): string {
    const json = JSON.stringify(manifest);
    if (json !== this.renderedJson) {
      this.renderedJson = json;
      this.renderedYaml = manifestYaml(JSON.parse(json));
    }
    return this.renderedYaml!;
  }
}
