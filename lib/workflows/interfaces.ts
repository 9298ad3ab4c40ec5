import { IConstruct } from 'constructs';
import { PlatformBindings } from '../bindings';
import { Placement } from '../scheduling';
import { JobNamespace } from '../spark';

// What the lower files of lib/workflows/ know of the classes above them: steps and schedules know their
// pipeline, pipelines and their service accounts know Argo Workflows, through these interfaces only
// (`SparkPipeline` and `ArgoWorkflows` implement them), so imports run one way.

/**
 * A pipeline as its steps, schedules and exit steps see it. `SparkPipeline` is the implementation.
 */
export interface ISparkPipeline extends IConstruct {
  /** The pipeline's name (the WorkflowTemplate's). */
  readonly name: string;
  /** The job namespace. */
  readonly namespace: JobNamespace;
  /** The parameters and their defaults. */
  readonly parameters: { [name: string]: string };
  /** The labels of the template, its runs and their pods. */
  readonly labels: { [key: string]: string };
}

/**
 * Argo Workflows as the pipelines it runs see it. `ArgoWorkflows` is the implementation.
 */
export interface IArgoWorkflows extends IConstruct {
  /** Where the controller, the server and the pipelines' executor pods run. */
  readonly placement: Placement;
  /** The values from the AWS side. */
  readonly bindings: PlatformBindings;
  /** Whether workflow pods archive their logs to the artifact repository. */
  readonly archiveLogs: boolean;

  /**
   * The security context of every workflow pod.
   *
   * @internal
   */
  readonly _podSecurityContext: { [key: string]: any };

  /**
   * The pipeline service account of a namespace, created with its first pipeline.
   *
   * @internal
   */
  _pipelineServiceAccount(namespace: JobNamespace): { readonly name: string };
}
