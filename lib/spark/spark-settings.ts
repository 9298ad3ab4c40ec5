import { WorkloadIdentity } from '../bindings';
import { S3Location } from '../storage';
import { checkArgs, invalidProp } from '../validation';
import { awsSdkMajorOf, checkHadoopVersion } from './private/spark-version';

/**
 * The Spark and Hadoop settings the library derives for jobs, one group per concern, so that a job, the
 * history server and a pipeline all write them the same way.
 */
export class SparkSettings {
  /**
   * Event logs on, written to `location` (`spark.eventLog.dir` is its `s3a://` URI), rolling so that long
   * jobs do not keep one ever-growing file and the history server can read them while they run.
   */
  public static eventLogs(location: S3Location): { [key: string]: string } {
    checkArgs('SparkSettings.eventLogs', 'SparkSettings', 'eventLogs', [location]);
    return {
      'spark.eventLog.enabled': 'true',
      'spark.eventLog.dir': location.s3aUri,
      'spark.eventLog.rolling.enabled': 'true',
      'spark.eventLog.rolling.maxFileSize': '128m',
    };
  }

  /**
   * Hadoop settings (for `hadoopConf`) that make S3A take its credentials from the pod's service account. The
   * provider class belongs to the AWS SDK the image's hadoop-aws uses and to how the service account gets its
   * role: with IRSA (the web identity token) `com.amazonaws.auth.WebIdentityTokenCredentialsProvider` (SDK v1,
   * up to Hadoop 3.3) or `software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider` (SDK
   * v2, from Hadoop 3.4); with EKS Pod Identity `software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider`
   * (SDK v2 only: SDK v1 cannot use Pod Identity, an error).
   *
   * @param hadoopVersion the Hadoop version of the image's hadoop-aws, e.g. "3.3.4"
   * @param identity how the service account gets its role
   */
  public static s3aCredentials(hadoopVersion: string, identity: WorkloadIdentity = WorkloadIdentity.IRSA): { [key: string]: string } {
    checkArgs('SparkSettings.s3aCredentials', 'SparkSettings', 's3aCredentials', [hadoopVersion, identity]);
    const sdkV2 = awsSdkMajorOf(checkHadoopVersion('SparkSettings', 'hadoopVersion', hadoopVersion)) >= 2;
    if (identity === WorkloadIdentity.POD_IDENTITY && !sdkV2) {
      throw invalidProp('SparkSettings', 'hadoopVersion', hadoopVersion,
        'uses AWS SDK v1, which cannot get credentials from EKS Pod Identity: use IRSA, or an image with Hadoop 3.4 or later (Spark 4)');
    }
    const provider = identity === WorkloadIdentity.POD_IDENTITY
      ? 'software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider'
      : sdkV2
        ? 'software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider'
        : 'com.amazonaws.auth.WebIdentityTokenCredentialsProvider';
    return { 'fs.s3a.aws.credentials.provider': provider };
  }

  /**
   * Hadoop settings (for `hadoopConf`) that keep S3A's directory markers where the image's Hadoop would delete
   * them. Up to Hadoop 3.3 the default policy is `delete`: after every write S3A deletes the parent "directory"
   * markers (`spark-events/`, `curated/`), which a team's role may not delete, and a directory whose last file
   * expires then vanishes (Spark fails when spark.eventLog.dir does not exist). `keep` is the default from Hadoop
   * 3.4 (HADOOP-18752) and understood since 3.3.1 (HADOOP-13230); nothing is set for 3.4 and later.
   *
   * @param hadoopVersion the Hadoop version of the image's hadoop-aws, e.g. "3.3.4"
   */
  public static s3aDirectoryMarkers(hadoopVersion: string): { [key: string]: string } {
    checkArgs('SparkSettings.s3aDirectoryMarkers', 'SparkSettings', 's3aDirectoryMarkers', [hadoopVersion]);
    const [major, minor] = checkHadoopVersion('SparkSettings', 'hadoopVersion', hadoopVersion).split('.').map(Number);
    return major < 3 || (major === 3 && minor < 4) ? { 'fs.s3a.directory.marker.retention': 'keep' } : {};
  }

  /**
   * Graceful decommissioning for executors on spot capacity: when a node is reclaimed, the executor's shuffle
   * and cached RDD blocks migrate to other executors (or to `fallbackStorage` on S3) instead of being
   * recomputed.
   */
  public static spotDecommissioning(fallbackStorage?: S3Location): { [key: string]: string } {
    checkArgs('SparkSettings.spotDecommissioning', 'SparkSettings', 'spotDecommissioning', [fallbackStorage]);
    const settings: { [key: string]: string } = {
      'spark.decommission.enabled': 'true',
      'spark.storage.decommission.enabled': 'true',
      'spark.storage.decommission.shuffleBlocks.enabled': 'true',
      'spark.storage.decommission.rddBlocks.enabled': 'true',
    };
    // Spark requires the fallback path to end with '/'.
    if (fallbackStorage) settings['spark.storage.decommission.fallbackStorage.path'] = `${fallbackStorage.s3aUri}/`;
    return settings;
  }

  /**
   * Prometheus metrics pulled from the driver's UI port: the PrometheusServlet sink at `/metrics/prometheus/`
   * and executor metrics at `/metrics/executors/prometheus/`. `metricsNamespace` replaces the run's
   * application id in metric names, so a job's series keep one name across runs.
   */
  public static prometheusMetrics(metricsNamespace: string): { [key: string]: string } {
    checkArgs('SparkSettings.prometheusMetrics', 'SparkSettings', 'prometheusMetrics', [metricsNamespace]);
    return {
      'spark.ui.prometheus.enabled': 'true',
      'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet',
      'spark.metrics.conf.*.sink.prometheusServlet.path': '/metrics/prometheus',
      'spark.metrics.appStatusSource.enabled': 'true',
      'spark.metrics.namespace': metricsNamespace,
    };
  }

  private constructor() {}
}
