import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IJobNamespace } from './interfaces';
import { SparkApplicationSpec } from './private/spark-application-spec';
import { SparkApplicationOptions } from './spark-application-options';
import { RunOnce } from '../delivery';
import { checkShape } from '../validation';

/**
 * Options for `JobNamespace.addJob()`: a Spark application run once.
 */
export interface SparkJobOptions extends SparkApplicationOptions {
  /**
   * Identifies one run of the job. A SparkApplication runs once: the operator re-submits it whenever its spec
   * changes, so GitOps creates it once and never patches its spec. To run the job again, change `runId`: the
   * SparkApplication is named `<name>-<runId>`, a new object, and the previous run's object is pruned.
   *
   * @default - none: the SparkApplication is named `<name>`
   */
  readonly runId?: string;
}

/**
 * Properties of a `SparkJob`.
 */
export interface SparkJobProps extends SparkJobOptions {
  /**
   * The job namespace the job runs in (its service account, cost labels and operator).
   */
  readonly namespace: IJobNamespace;
}

/**
 * A Spark job, rendered as a Spark Operator `SparkApplication` (sparkoperator.k8s.io/v1beta2).
 *
 * Everything cross-cutting is derived, never retyped: tolerations and node selection from the `NodePool`s,
 * `spark.eventLog.dir` from the operator's event-log location, the service account and cost labels from the
 * job namespace, the S3A credential provider from the Spark version.
 */
export class SparkJob extends Construct {
  /** The job's name (the `SparkLabels.JOB` label of its pods). */
  public readonly name: string;
  /** The job's namespace. */
  public readonly namespace: IJobNamespace;
  /** The SparkApplication. */
  public readonly apiObject: ApiObject;
  private readonly spec: SparkApplicationSpec;

  public constructor(scope: Construct, id: string, props: SparkJobProps) {
    super(scope, id);
    checkShape(this, 'SparkJobProps', props, 'props');
    this.namespace = props.namespace;
    this.spec = new SparkApplicationSpec(this, props, props.name ?? id, SparkApplicationSpec.SPARK_APPLICATION_NAME_MAX, props.runId);
    this.name = this.spec.name;
    props.namespace._registerJob(this.name, this);

    this.apiObject = this.spec.renderApiObject('SparkApplication', () => this.spec.render());
    // The operator re-submits a SparkApplication whenever its spec changes, even after it completed
    // (kubeflow/spark-operator v2.5.2 internal/controller/sparkapplication/event_filter.go): GitOps creates it
    // once, in the last wave, and never patches its spec.
    RunOnce.mark(this.apiObject, { deletedBy: props.timeToLive ? 'timeToLive (spec.timeToLiveSeconds)' : undefined });
  }
}
