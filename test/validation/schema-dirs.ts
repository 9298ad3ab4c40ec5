import * as path from 'path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The folder of pinned upstream schemas (CRDs and the Kubernetes OpenAPI): `$SPARK_PLATFORM_SCHEMA_DIR`, or
 * `../shared/crds` beside the project. It is read, never copied into the project.
 */
export function schemaDir(): string {
  return path.resolve(PROJECT_ROOT, process.env.SPARK_PLATFORM_SCHEMA_DIR ?? path.join('..', 'shared', 'crds'));
}

/**
 * The folder of upstream Helm charts' `values.yaml` / `values.schema.json`: `$SPARK_PLATFORM_CHARTS_DIR`, or
 * `../shared/charts` beside the project.
 */
export function chartsDir(): string {
  return path.resolve(PROJECT_ROOT, process.env.SPARK_PLATFORM_CHARTS_DIR ?? path.join('..', 'shared', 'charts'));
}
