import { Construct } from 'constructs';
import { ISparkPipeline } from './interfaces';
import { restrictedContainer } from '../policy/internal';
import { checkDns1123Label, checkPinnedImage, checkShape } from '../validation';

/**
 * A container a pipeline runs (in its exit handler, for example to push the run's outcome to a Pushgateway).
 */
export interface PipelineContainerOptions {
  /**
   * The step's name (its template's): a DNS-1123 label.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /** The image, pinned to a tag or digest. */
  readonly image: string;

  /**
   * The command.
   *
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * The arguments: they may use `{{workflow.status}}`, `{{workflow.duration}}`, `{{workflow.failures}}` in an
   * exit handler, and the pipeline's parameters.
   *
   * @default - none
   */
  readonly args?: string[];

  /**
   * Environment variables.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };
}

/**
 * An exit step every pipeline gets (`ArgoWorkflows.addExitStepToEveryPipeline`), made for each pipeline.
 */
export interface IPipelineExitStep {
  /** The step's id in every pipeline. */
  readonly id: string;

  /** The container the step runs in `pipeline`. */
  exitStepFor(pipeline: ISparkPipeline): PipelineContainerOptions;
}

/**
 * A container step of a pipeline, hardened like every pod of the platform: non-root (the pipeline pods'
 * uid), no privilege escalation, no capabilities, a read-only root filesystem, small requests and a memory
 * limit.
 */
export class PipelineContainerStep extends Construct {
  /** The step's name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, private readonly options: PipelineContainerOptions) {
    super(scope, id);
    checkShape(this, 'PipelineContainerOptions', options, 'options');
    this.name = checkDns1123Label(this, 'name', options.name ?? id);
    checkPinnedImage(this, 'image', options.image);
  }

  /** @internal */
  public _renderTemplate(): { [key: string]: any } {
    const env = Object.entries(this.options.env ?? {}).map(([name, value]) => ({ name, value }));
    return {
      name: this.name,
      container: {
        image: this.options.image,
        command: this.options.command,
        args: this.options.args,
        env: env.length ? env : undefined,
        resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
        securityContext: restrictedContainer({ seccompProfile: true }),
      },
    };
  }

  /** @internal */
  public _renderArguments(): { [key: string]: any } {
    return { command: this.options.command, args: this.options.args, env: this.options.env };
  }
}
