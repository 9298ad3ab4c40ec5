import { Construct, IConstruct } from 'constructs';
import { SparkOperatorRelease } from './spark-operator-release';
import { SparkTeam } from './spark-team';
import { PlatformBindings } from '../bindings';
import { NodePool, Placement } from '../scheduling';
import { EventLogLocation } from '../storage';

// What the lower files of lib/spark/ know of the classes above them: a job knows its namespace, a namespace its
// operator, through these interfaces only (`JobNamespace` and `SparkOperator` implement them), so imports run one
// way: operator -> namespace -> jobs -> these interfaces.

/**
 * A Spark Operator as its job namespaces and their jobs see it: the platform's pools, the default placement of
 * drivers and executors, the event-log location, the bindings and the operator's release (everything of a
 * `SparkOperator` but its job namespaces). `SparkOperator` is the implementation.
 */
export interface ISparkOperator extends IConstruct {
  /** Every node pool of the platform. */
  readonly nodePools: NodePool[];
  /** The event-log location every job writes to. */
  readonly eventLogs: EventLogLocation;
  /** Where drivers run by default. */
  readonly driverPlacement: Placement;
  /** Where executors run by default. */
  readonly executorPlacement: Placement;
  /** Where the operator's own pods run. */
  readonly operatorPlacement: Placement;
  /** The AWS region of the platform's bucket, given to S3A. */
  readonly region: string;
  /** The values from the AWS side. */
  readonly bindings: PlatformBindings;
  /** The operator's Helm release (the pinned chart with the derived values). */
  readonly release: SparkOperatorRelease;

  /**
   * Adds a job namespace to those the operator watches.
   *
   * @internal
   */
  _registerJobNamespace(namespace: IJobNamespace): void;
}

/**
 * A job namespace as its jobs see it: its name, team, service account, pod labels and operator. `JobNamespace`
 * is the implementation.
 */
export interface IJobNamespace extends IConstruct {
  /** The namespace's name. */
  readonly name: string;
  /** The team whose namespace it is. */
  readonly team: SparkTeam;
  /** The operator that runs the namespace's jobs. */
  readonly operator: ISparkOperator;
  /** The service account the jobs run as. */
  readonly serviceAccountName: string;
  /** The labels every job pod in the namespace carries. */
  readonly podLabels: { [key: string]: string };
  /** The names of the namespace's jobs (standalone and scheduled), in the order added. */
  readonly jobNames: string[];

  /**
   * Registers a job's name; two jobs with one name in one namespace are an error naming both.
   *
   * @internal
   */
  _registerJob(name: string, job: Construct): void;

  /**
   * Records where a job definition is used in the app (a pipeline step is never also a standalone job).
   *
   * @internal
   */
  _useDefinition(definition: object, user: Construct, standalone: boolean): void;
}
