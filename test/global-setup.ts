import * as fs from 'fs';
import * as path from 'path';
import { HOW_TO_GET_SCHEMAS, chartsDir, schemaDir } from './validation/schema-dirs';

/**
 * Says once, before any test runs, what the suite reads and cannot find, and how to get it: the pinned upstream
 * schemas and charts (never copied into the repository). Without them hundreds of tests would each fail with the
 * same message.
 */
export default function globalSetup(): void {
  const missing = [
    [path.join(schemaDir(), 'kubernetes', 'v1.33', 'swagger.json'), 'the Kubernetes 1.33 OpenAPI'],
    [path.join(chartsDir(), 'spark-operator', 'values.yaml'), 'the pinned charts'],
  ].filter(([file]) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`the test suite cannot run: ${missing.map(([file, what]) => `${what} (${file})`).join(' and ')} not found. ${HOW_TO_GET_SCHEMAS}`);
  }
}
