import * as fs from 'fs';
import * as path from 'path';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Where `npm run fetch-schemas` puts the pinned upstream files (git-ignored). */
export const FETCHED_DIR = path.join(PROJECT_ROOT, '.upstream');

/** What to do when no pinned schemas are found: the message every schema test fails with. */
export const HOW_TO_GET_SCHEMAS = 'the tests need the pinned upstream schemas (CRDs, the Kubernetes OpenAPI, chart values): '
  + 'set SPARK_PLATFORM_SCHEMA_DIR and SPARK_PLATFORM_CHARTS_DIR to folders laid out as ../shared/crds and ../shared/charts, '
  + 'or run `npm run fetch-schemas`, which downloads them by URL and checks their SHA-256 (test/validation/upstream-files.json) into .upstream/';

// The first of: the environment variable, ../shared/<kind> beside the project (this repository's CI layout),
// .upstream/<kind> (fetched). When none exists, the environment variable or ../shared/<kind>, so the error names it.
function dirFor(variable: string, kind: string): string {
  const fromEnv = process.env[variable];
  if (fromEnv) return path.resolve(PROJECT_ROOT, fromEnv);
  const candidates = [path.resolve(PROJECT_ROOT, '..', 'shared', kind), path.join(FETCHED_DIR, kind)];
  return candidates.find(dir => fs.existsSync(dir)) ?? candidates[0];
}

/**
 * The folder of pinned upstream schemas (CRDs and the Kubernetes OpenAPI): `$SPARK_PLATFORM_SCHEMA_DIR`,
 * `../shared/crds` beside the project, or `.upstream/crds`. It is read, never copied into the project.
 */
export function schemaDir(): string {
  return dirFor('SPARK_PLATFORM_SCHEMA_DIR', 'crds');
}

/**
 * The folder of upstream Helm charts' `Chart.yaml` / `values.yaml`: `$SPARK_PLATFORM_CHARTS_DIR`,
 * `../shared/charts` beside the project, or `.upstream/charts`.
 */
export function chartsDir(): string {
  return dirFor('SPARK_PLATFORM_CHARTS_DIR', 'charts');
}
