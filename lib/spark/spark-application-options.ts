import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { RestartPolicy } from './restart-policy';
import { SparkMemory } from './spark-memory';
import { Placement } from '../scheduling';
import { S3Location } from '../storage';

/**
 * The language of a Spark job's main application.
 */
export enum SparkJobType {
  /** A Scala application (a jar and a main class). */
  SCALA = 'Scala',
  /** A Java application (a jar and a main class). */
  JAVA = 'Java',
  /** A PySpark application (a .py file). */
  PYTHON = 'Python',
  /** A SparkR application (an .R file). */
  R = 'R',
}

/**
 * What the driver and the executors both have.
 */
export interface SparkPodOptions {
  /**
   * CPU cores of the driver, or of each executor.
   *
   * @default - 1 for the driver, 2 for each executor
   */
  readonly cores?: number;

  /**
   * The CPU the pod requests from Kubernetes (`coreRequest`), when less than `cores`: e.g. `Cpu.millis(3500)`
   * for 4 cores, so that two executors share an 8-vCPU node next to the kubelet's reserve and the daemon sets.
   * Spark still runs `cores` tasks at once.
   *
   * @default - `cores` whole CPUs
   */
  readonly coreRequest?: kplus.Cpu;

  /**
   * Heap memory (`spark.driver.memory`, `spark.executor.memory`).
   *
   * @default - SparkMemory.of('2g') for the driver, SparkMemory.of('4g') for each executor
   */
  readonly memory?: SparkMemory;

  /**
   * Non-heap memory added to the pod's memory request (`spark.driver.memoryOverhead`,
   * `spark.executor.memoryOverhead`).
   *
   * @default - Spark's default: 10% of memory (40% for Python and R jobs), at least 384m
   */
  readonly memoryOverhead?: SparkMemory;

  /**
   * The node pools the pods run on.
   *
   * @default - the operator's driver placement (its on-demand pools: losing the driver loses the job), or its
   * executor placement (its spot pools)
   */
  readonly placement?: Placement;

  /**
   * Extra JVM options.
   *
   * @default - none
   */
  readonly javaOptions?: string;
}

/**
 * Settings of a job's driver.
 */
export interface SparkDriverOptions extends SparkPodOptions {}

/**
 * Settings of a job's executors.
 */
export interface SparkExecutorOptions extends SparkPodOptions {
  /**
   * The number of executors (with dynamic allocation, set `dynamicAllocation.initialExecutors` instead).
   *
   * @default 2
   */
  readonly instances?: number;
}

/**
 * Dynamic allocation: Spark adds and removes executors with the load. On Kubernetes there is no external
 * shuffle service, so shuffle tracking is always on.
 */
export interface SparkDynamicAllocation {
  /**
   * The fewest executors.
   *
   * @default 0
   */
  readonly minExecutors?: number;

  /**
   * The most executors.
   */
  readonly maxExecutors: number;

  /**
   * How many executors to start with.
   *
   * @default - minExecutors
   */
  readonly initialExecutors?: number;

  /**
   * How long an executor holding shuffle data for a live job is kept when idle.
   *
   * @default - Spark's default (until the shuffle data is no longer needed)
   */
  readonly shuffleTrackingTimeout?: Duration;
}

/**
 * What a Spark application is: shared by `SparkJob`, `ScheduledSparkJob` and the pipelines' Spark steps.
 */
export interface SparkApplicationOptions {
  /**
   * The job's name (the SparkApplication's): a DNS-1123 label short enough for the names the operator derives
   * from it (`<name>-driver`, `<name>-ui-svc`).
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The language of the main application.
   */
  readonly type: SparkJobType;

  /**
   * The job's Docker image: Spark, the job's code and its dependencies (for S3, hadoop-aws and the AWS SDK,
   * which the `apache/spark` images lack). Pin a tag or a digest.
   */
  readonly image: string;

  /**
   * When the kubelet pulls the image.
   *
   * @default ImagePullPolicy.IF_NOT_PRESENT (tags are pinned)
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * The numeric user id the driver and executor containers run as. The official `apache/spark` images end
   * with `USER spark`, a name (uid 185): with `runAsNonRoot` the kubelet refuses a container whose image user
   * is not numeric unless the pod names the uid, so the library always sets it. Change it for images built
   * with another user; 0 (root) is refused.
   *
   * @default 185 (the `spark` user of the apache/spark images)
   */
  readonly runAsUser?: number;

  /**
   * The numeric group id the driver and executor containers run as, also the pods' `fsGroup` (so mounted
   * volumes are writable by Spark).
   *
   * @default 185 (the `spark` group of the apache/spark images)
   */
  readonly runAsGroup?: number;

  /**
   * The main application file: a jar (Scala, Java), a .py file (Python) or an .R file, as a URI Spark can read:
   * `local:///opt/app/job.jar` (in the image), `s3a://bucket/key`, `https://...`.
   */
  readonly mainApplicationFile: string;

  /**
   * The main class (Scala and Java only).
   *
   * @default - none; required for Scala and Java jobs
   */
  readonly mainClass?: string;

  /**
   * Arguments passed to the main application.
   *
   * @default - none
   */
  readonly arguments?: string[];

  /**
   * The Spark version in the image, "major.minor.patch". The library knows the Hadoop that Spark 3.3 to 4.1
   * bundle, which selects the S3A credential provider (see `hadoopVersion`).
   */
  readonly sparkVersion: string;

  /**
   * The Hadoop version of the image's hadoop-aws, for images built with another Hadoop than their Spark release
   * bundles. It selects S3A's credential provider class: AWS SDK v1 up to Hadoop 3.3, v2 from 3.4.
   *
   * @default - the Hadoop the Spark release bundles: 3.3.2 for Spark 3.3, 3.3.4 for 3.4 and 3.5, 3.4.1 for 4.0,
   * 3.4.2 for 4.1
   */
  readonly hadoopVersion?: string;

  /**
   * The driver.
   *
   * @default - 1 core, 2g, on the operator's driver placement
   */
  readonly driver?: SparkDriverOptions;

  /**
   * The executors.
   *
   * @default - 2 executors of 2 cores and 4g, on the operator's executor placement
   */
  readonly executor?: SparkExecutorOptions;

  /**
   * Dynamic allocation of executors.
   *
   * @default - off: a fixed number of executors
   */
  readonly dynamicAllocation?: SparkDynamicAllocation;

  /**
   * When the operator runs the job again.
   *
   * @default RestartPolicy.onFailure() (2 retries a minute apart, 3 submission retries)
   */
  readonly restartPolicy?: RestartPolicy;

  /**
   * How long a finished run's SparkApplication is kept before the operator deletes it. For the runs of a
   * `ScheduledSparkJob` (the operator creates them) this keeps the namespace tidy. A `SparkJob` that `GitOps`
   * delivers must not set it: Argo CD's self-heal would re-create the deleted SparkApplication and run the job
   * again, forever (a synth error).
   *
   * @default - kept until deleted
   */
  readonly timeToLive?: Duration;

  /**
   * Environment variables of the driver and the executors.
   *
   * @default - none
   */
  readonly env?: { [name: string]: string };

  /**
   * Labels of the SparkApplication and its pods, besides the namespace's cost labels and `SparkLabels.JOB`.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Whether the job writes event logs to the operator's event-log location (for the history server).
   *
   * @default true
   */
  readonly eventLogs?: boolean;

  /**
   * Whether executors on spot capacity decommission gracefully (migrating shuffle and cached blocks) when
   * their node is reclaimed.
   *
   * @default true when any executor pool is spot
   */
  readonly spotResilience?: boolean;

  /**
   * Where decommissioning executors put blocks no other executor can take (S3). Only with spot resilience.
   *
   * @default - none: blocks that cannot migrate are recomputed
   */
  readonly fallbackStorage?: S3Location;

  /**
   * Whether the driver serves Prometheus metrics (PrometheusServlet, `spark.ui.prometheus.enabled`) and its
   * pods carry `SparkLabels.METRICS` for monitors to select.
   *
   * @default true
   */
  readonly metrics?: boolean;

  /**
   * Whether the driver and executors log one JSON line per event (`SparkLogLayout`: time, level, logger,
   * thread, and the message with its whole stack trace), through the log4j2 configuration the job namespace
   * carries. The platform's log flows parse it; with `false` the job keeps Spark's text layout, whose stack
   * traces reach the log store as lines apart from their message.
   *
   * @default true
   */
  readonly structuredLogs?: boolean;

  /**
   * Spark settings, applied last (they win over the ones the library derives).
   *
   * @default - none
   */
  readonly sparkConf?: { [key: string]: string };

  /**
   * Hadoop settings (without the `spark.hadoop.` prefix), applied last.
   *
   * @default - none
   */
  readonly hadoopConf?: { [key: string]: string };
}

