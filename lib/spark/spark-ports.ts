/**
 * The ports of a Spark application's pods, fixed so NetworkPolicies can name them.
 *
 * Spark on Kubernetes defaults the driver's RPC and block manager ports to 7078 and 7079 (`Constants.scala`
 * `DEFAULT_DRIVER_PORT`, `DEFAULT_BLOCKMANAGER_PORT`; `DriverServiceFeatureStep` exposes both on the driver's
 * headless Service), but an executor's block manager listens on `spark.blockManager.port`, which defaults to 0,
 * a random port (core `config/package.scala`; `BasicExecutorFeatureStep` only declares 7079 on the container).
 * Every job sets all three, so executors fetch shuffle blocks from each other on 7079.
 */
export class SparkPorts {
  /** The driver's RPC port (`spark.driver.port`): executors register and talk to the driver there. */
  public static readonly DRIVER_RPC = 7078;
  /** The block manager port of the driver and of every executor (shuffle, broadcast, task results, block migration). */
  public static readonly BLOCK_MANAGER = 7079;
  /** The driver's UI port (`spark.ui.port`, Spark's default): the Prometheus servlet is served there. */
  public static readonly UI = 4040;

  /** The settings that fix the ports on the driver and the executors. */
  public static settings(): { [key: string]: string } {
    return {
      'spark.driver.port': String(SparkPorts.DRIVER_RPC),
      'spark.driver.blockManager.port': String(SparkPorts.BLOCK_MANAGER),
      'spark.blockManager.port': String(SparkPorts.BLOCK_MANAGER),
    };
  }

  private constructor() {}
}
