import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { IArgoWorkflows, ISparkPipeline } from './interfaces';
import { PipelineContainerOptions, PipelineContainerStep } from './pipeline-container-step';
import { PipelineRetry } from './pipeline-retry';
import { PipelineSchedule, PipelineScheduleOptions } from './pipeline-schedule';
import { stringsIn, variableProblem, variablesIn } from './private/workflow-variables';
import { SparkPipelineStep, SparkPipelineStepOptions } from './spark-pipeline-step';
import { SyncWave } from '../delivery';
import { JobNamespace, PlatformPriority, SparkApplicationOptions, SparkLabels } from '../spark';
import { checkArgs, checkDns1123Subdomain, checkInteger, checkLabels, checkShape, invalidProp, wiringProblem } from '../validation';

/**
 * Options of `ArgoWorkflows.addPipeline()`.
 */
export interface SparkPipelineOptions {
  /**
   * The pipeline's name (its WorkflowTemplate's): a DNS-1123 label of at most 57 characters (a run is named
   * `<name>-<5 characters>`, and Argo allows 63).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The pipeline's parameters and their defaults. Steps use them as `{{workflow.parameters.<name>}}` in job
   * arguments, Spark and Hadoop settings and environment; a run (scheduled, or on demand) may set them.
   *
   * @default - none
   */
  readonly parameters?: { [name: string]: string };

  /**
   * How failed steps are retried.
   *
   * @default PipelineRetry.withBackoff() (2 retries, 1 minute backoff doubling up to 10 minutes)
   */
  readonly retry?: PipelineRetry;

  /**
   * How long a run may take (`activeDeadlineSeconds`), after which Argo stops it and it fails.
   *
   * @default Duration.hours(24)
   */
  readonly deadline?: Duration;

  /**
   * Labels of the WorkflowTemplate, its runs and all their pods, besides the team's and
   * `spark-platform.io/pipeline`.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * Properties of a `SparkPipeline`.
 */
export interface SparkPipelineProps extends SparkPipelineOptions {
  /** The job namespace the pipeline and its jobs run in. */
  readonly namespace: JobNamespace;
  /** The Argo Workflows that runs it. */
  readonly workflows: IArgoWorkflows;
}

/**
 * A call to the Argo Server's API that starts a run of a pipeline.
 */
export interface PipelineSubmitRequest {
  /** The path to POST to on the Argo Server (port 2746), e.g. `/api/v1/workflows/data-engineering/submit`. */
  readonly path: string;
  /** The JSON body. */
  readonly body: { [key: string]: any };
}

/** Argo allows workflow names of 63 characters; a run from a template is `<template>-<5 random characters>`. */
const PIPELINE_NAME_MAX = 63 - 6;
const PARAMETER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * A pipeline of Spark jobs (what a Step Functions flow of EMR steps did), rendered as an Argo Workflows
 * `WorkflowTemplate` in a job namespace: each step creates its job's SparkApplication and waits until the Spark
 * Operator has finished it; steps run one after another, or as a DAG when they declare dependencies. Runs start
 * on a schedule (`addSchedule`, a CronWorkflow) or on demand (the Argo Server's submit API).
 *
 * A job used here is rendered only inside the pipeline: never also as a standalone SparkApplication.
 */
export class SparkPipeline extends Construct implements ISparkPipeline {
  /** The pipeline's name (the WorkflowTemplate's). */
  public readonly name: string;
  /** The job namespace. */
  public readonly namespace: JobNamespace;
  /** The parameters and their defaults. */
  public readonly parameters: { [name: string]: string };
  /** The WorkflowTemplate. */
  public readonly apiObject: ApiObject;
  /** The labels of the template, its runs and their pods. */
  public readonly labels: { [key: string]: string };
  /** The longest a run may take (`activeDeadlineSeconds`). */
  public readonly deadline: Duration;
  private readonly scheduleList: PipelineSchedule[] = [];
  private readonly steps: SparkPipelineStep[] = [];
  private readonly exitSteps: PipelineContainerStep[] = [];
  private readonly stepTexts = new Map<SparkPipelineStep, Array<[string, string]>>();
  private readonly retry: PipelineRetry;

  public constructor(scope: Construct, id: string, props: SparkPipelineProps) {
    super(scope, id);
    checkShape(this, 'SparkPipelineProps', props, 'props');
    this.namespace = props.namespace;
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? id);
    if (this.name.length > PIPELINE_NAME_MAX || this.name.includes('.')) {
      throw invalidProp(this, 'name', this.name, `must be a DNS-1123 label of at most ${PIPELINE_NAME_MAX} characters: each run is named "<name>-<5 characters>", at most 63`);
    }
    this.parameters = { ...props.parameters };
    for (const name of Object.keys(this.parameters)) {
      if (!PARAMETER_NAME.test(name)) throw invalidProp(this, 'parameters key', name, 'must be letters, digits, \'-\' and \'_\'');
    }
    this.retry = props.retry ?? PipelineRetry.withBackoff();
    this.retry._render(this, 'retry');
    this.deadline = props.deadline ?? Duration.hours(24);
    checkInteger(this, 'deadline', this.deadline.toSeconds(), 1);
    checkLabels(this, 'labels', props.labels);
    this.labels = { ...this.namespace.podLabels, ...props.labels, [SparkLabels.PIPELINE]: this.name };
    const serviceAccount = props.workflows._pipelineServiceAccount(this.namespace);

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: this.name, namespace: this.namespace.name, labels: this.labels },
      spec: Lazy.any({ produce: () => this.renderSpec(props.workflows, serviceAccount.name) }),
    });
    SyncWave.markCustomResource(this.apiObject);
    this.node.addValidation({ validate: () => this.checkWiring() });
  }

  /** The Spark steps, in the order they were added. */
  public get sparkSteps(): SparkPipelineStep[] {
    return [...this.steps];
  }

  /** Whether the steps run as a DAG (some step declares dependencies) rather than one after another. */
  public get isDag(): boolean {
    return this.steps.some(step => step.dependsOn.length > 0);
  }

  /**
   * Adds a Spark job as a step. The job is the same definition `JobNamespace.addJob()` or `addScheduledJob()`
   * take; used here, it is rendered inside the pipeline only.
   */
  public addSparkStep(id: string, job: SparkApplicationOptions, options: SparkPipelineStepOptions = {}): SparkPipelineStep {
    checkArgs(this, 'SparkPipeline', 'addSparkStep', [id, job, options]);
    checkShape(`${this.node.path}/${id}`, 'SparkApplicationOptions', job, 'job');
    checkShape(`${this.node.path}/${id}`, 'SparkPipelineStepOptions', options, 'options', true);
    const stepName = options.name ?? job.name ?? id;
    if (this.steps.some(step => step.node.id === id) || this.steps.some(step => step.name === stepName)) {
      throw invalidProp(this, 'step', stepName, 'is the name of another step of this pipeline: step names must be unique');
    }
    const twin = this.steps.find(step => step.job === job);
    if (twin) {
      throw invalidProp(`${this.node.path}/${id}`, 'job', twin.name, `is already step "${twin.name}" of this pipeline: add a job once (a second run of it needs its own definition)`);
    }
    const step = new SparkPipelineStep(this, id, { ...options, job, pipeline: this });
    this.steps.push(step);
    return step;
  }

  /**
   * Adds a container to the pipeline's exit handler (`spec.onExit`), which runs once every run ends, whatever
   * its outcome (`{{workflow.status}}`). Other constructs add theirs too (the outcome pushed to a Pushgateway).
   */
  public addExitStep(id: string, options: PipelineContainerOptions): PipelineContainerStep {
    checkArgs(this, 'SparkPipeline', 'addExitStep', [id, options]);
    checkShape(`${this.node.path}/Exit-${id}`, 'PipelineContainerOptions', options, 'options');
    const step = new PipelineContainerStep(this, `Exit-${id}`, { ...options, name: options.name ?? id });
    if (this.exitSteps.some(s => s.name === step.name)) throw invalidProp(this, 'exitStep', step.name, 'is the name of another exit step');
    this.exitSteps.push(step);
    return step;
  }

  /**
   * The Argo Server API call that starts a run now, with parameter values (others keep their defaults): a
   * `POST` of `body` to `path` with `Authorization: Bearer <token>` (a submitter's, see
   * `ArgoWorkflows.addSubmitter()`). argo-workflows v4 `SubmitWorkflow`: the template is named by
   * `resourceKind` and `resourceName`, parameters are `name=value` strings.
   */
  public submitRequest(parameters: { [name: string]: string } = {}): PipelineSubmitRequest {
    checkArgs(this, 'SparkPipeline', 'submitRequest', [parameters]);
    for (const name of Object.keys(parameters)) {
      if (!(name in this.parameters)) {
        throw invalidProp(this, 'parameters key', name, `is not a parameter of pipeline "${this.name}" (declared: ${Object.keys(this.parameters).join(', ') || 'none'})`);
      }
    }
    const values = Object.entries(parameters).map(([name, value]) => `${name}=${value}`);
    return {
      path: `/api/v1/workflows/${this.namespace.name}/submit`,
      body: {
        namespace: this.namespace.name,
        resourceKind: 'WorkflowTemplate',
        resourceName: this.name,
        submitOptions: values.length ? { parameters: values } : {},
      },
    };
  }

  /** Runs the pipeline on a schedule (a CronWorkflow referring to the template). */
  public addSchedule(id: string, options: PipelineScheduleOptions): PipelineSchedule {
    checkArgs(this, 'SparkPipeline', 'addSchedule', [id, options]);
    checkShape(`${this.node.path}/${id}`, 'PipelineScheduleOptions', options, 'options');
    const schedule = new PipelineSchedule(this, id, { ...options, pipeline: this });
    this.scheduleList.push(schedule);
    return schedule;
  }

  /** The pipeline's steps, in the order added. */
  public get allSteps(): SparkPipelineStep[] {
    return [...this.steps];
  }

  /** The pipeline's schedules. */
  public get schedules(): PipelineSchedule[] {
    return [...this.scheduleList];
  }

  private renderSpec(workflows: IArgoWorkflows, serviceAccountName: string): { [key: string]: any } {
    const placement = workflows.placement;
    const tolerations = placement.tolerations;
    const parameters = Object.entries(this.parameters).map(([name, value]) => ({ name, value }));
    return {
      entrypoint: 'main',
      serviceAccountName,
      arguments: parameters.length ? { parameters } : undefined,
      activeDeadlineSeconds: this.deadline.toSeconds(),
      workflowMetadata: { labels: this.labels },
      podMetadata: { labels: this.labels },
      // The pods that create and watch each SparkApplication: as important as a driver.
      podPriorityClassName: PlatformPriority.DRIVERS,
      // The pipeline's own pods (the executor that creates and watches each SparkApplication) run on on-demand
      // capacity, non-root.
      nodeSelector: placement.nodeSelector,
      affinity: placement.affinity,
      tolerations: tolerations.length ? tolerations : undefined,
      securityContext: workflows._podSecurityContext,
      onExit: this.exitSteps.length ? 'exit-handler' : undefined,
      templates: [
        this.renderMain(),
        ...this.steps.map(step => step._renderTemplate(this.retry)),
        ...(this.exitSteps.length ? [{ name: 'exit-handler', steps: [this.exitSteps.map(s => ({ name: s.name, template: s.name }))] }] : []),
        ...this.exitSteps.map(step => step._renderTemplate()),
      ],
    };
  }

  // Steps in the order added, one after another; or a DAG when any step declares dependencies.
  private renderMain(): { [key: string]: any } {
    if (!this.isDag) return { name: 'main', steps: this.steps.map(step => [{ name: step.name, template: step.name }]) };
    return {
      name: 'main',
      dag: {
        tasks: this.steps.map(step => ({
          name: step.name,
          template: step.name,
          dependencies: step.dependsOn.length ? step.dependsOn.map(d => d.name) : undefined,
        })),
      },
    };
  }

  private checkWiring(): string[] {
    const errors: string[] = [];
    if (this.steps.length === 0) errors.push(wiringProblem(this, 'the pipeline has no step: add one with addSparkStep()'));
    // Steps and exit steps are templates of one WorkflowTemplate, where Argo requires unique names.
    for (const exit of this.exitSteps) {
      const step = this.steps.find(s => s.name === exit.name);
      if (step) {
        errors.push(wiringProblem(exit, `exit step "${exit.name}" has the name of step ${step.node.path}: both are templates of the pipeline's WorkflowTemplate, `
          + 'whose names must be unique; rename one'));
      }
    }
    for (const step of this.steps) {
      for (const dependency of step.dependsOn) {
        if (!this.steps.includes(dependency)) {
          errors.push(wiringProblem(step, `depends on step "${dependency.name}" (${dependency.node.path}), which is not a step of pipeline "${this.name}"`));
        }
      }
    }
    const cycle = findCycle(this.steps);
    if (cycle) errors.push(wiringProblem(this, `the steps' dependencies form a cycle: ${cycle.map(s => s.name).join(' -> ')}`));
    const declared = Object.keys(this.parameters);
    const check = (where: Construct, texts: Array<[string, string]>, exitHandler: boolean) => {
      for (const [at, text] of texts) {
        for (const variable of variablesIn(text)) {
          const problem = variableProblem(variable, declared, exitHandler);
          if (problem) errors.push(wiringProblem(where, `${at} ${problem}`));
        }
      }
    };
    for (const step of this.steps) {
      // A step's spec is fixed once built: its strings with variables are collected once, not on every check.
      let texts = this.stepTexts.get(step);
      if (!texts) {
        texts = stringsIn(step._renderSpec());
        this.stepTexts.set(step, texts);
      }
      check(step, texts, false);
    }
    for (const step of this.exitSteps) check(step, stringsIn(step._renderArguments()), true);
    return errors;
  }
}

// A cycle of the dependency graph, as the steps along it (first step repeated at the end), or undefined.
function findCycle(steps: SparkPipelineStep[]): SparkPipelineStep[] | undefined {
  const state = new Map<SparkPipelineStep, 'visiting' | 'done'>();
  const visit = (step: SparkPipelineStep, trail: SparkPipelineStep[]): SparkPipelineStep[] | undefined => {
    if (state.get(step) === 'done') return undefined;
    if (state.get(step) === 'visiting') return [...trail.slice(trail.indexOf(step)), step];
    state.set(step, 'visiting');
    for (const dependency of step.dependsOn) {
      const cycle = visit(dependency, [...trail, step]);
      if (cycle) return cycle;
    }
    state.set(step, 'done');
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step, []);
    if (cycle) return cycle;
  }
  return undefined;
}
