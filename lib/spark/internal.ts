// The machinery of lib/spark/ that other folders of the library use. Not exported from the package: a folder
// imports another's index.ts (its public face) or this entry, never its private/ files (docs/conventions.md).

// The SparkApplication of a pipeline step (workflows).
export { SparkApplicationSpec } from './private/spark-application-spec';
// The Spark and Hadoop versions of the history server's image (history).
export { awsSdkMajorOf, bundledHadoopVersion, checkHadoopVersion, checkSparkVersion } from './private/spark-version';
