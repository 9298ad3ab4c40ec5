import { unknownChartValues } from './chart-values';
import { UPSTREAM_FILES, verify } from './fetch-upstream-files';
import { SchemaHarness } from './harness';
import { HOW_TO_GET_SCHEMAS, chartsDir, schemaDir } from './schema-dirs';

describe('the pinned upstream files the tests read', () => {
  test('every file the tests read matches its pin (URL at an upstream commit, SHA-256)', () => {
    expect(verify(schemaDir(), chartsDir())).toEqual([]);
    for (const entry of UPSTREAM_FILES) {
      expect(entry.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/[\w.-]+\/[\w.-]+\/[0-9a-f]{40}\//);
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('without them, the schema tests fail and say how to get them (they never skip)', () => {
    expect(() => new SchemaHarness('/nonexistent/crds')).toThrow(HOW_TO_GET_SCHEMAS);
    const saved = process.env.SPARK_PLATFORM_CHARTS_DIR;
    process.env.SPARK_PLATFORM_CHARTS_DIR = '/nonexistent/charts';
    try {
      expect(() => unknownChartValues('spark-operator', {})).toThrow(/SPARK_PLATFORM_SCHEMA_DIR .*npm run fetch-schemas/);
    } finally {
      if (saved === undefined) delete process.env.SPARK_PLATFORM_CHARTS_DIR;
      else process.env.SPARK_PLATFORM_CHARTS_DIR = saved;
    }
  });
});
