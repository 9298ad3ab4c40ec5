// The YAML writer of workflow steps' manifests: what a YAML parser reads back is the data written, in both YAML
// versions (Argo Workflows reads manifests with sigs.k8s.io/yaml, go-yaml; cdk8s and the tests with `yaml`).
import { parse } from 'yaml';
import { manifestYaml } from '../lib/workflows/private/manifest-yaml';

const tricky = {
  apiVersion: 'sparkoperator.k8s.io/v1beta2',
  metadata: { generateName: 'etl-', labels: { 'workflows.argoproj.io/workflow': '{{workflow.name}}', 'spark-platform.io/team': 'team-a' } },
  spec: {
    arguments: ['--date', '{{workflow.parameters.date}}', '', ' leading space', 'a: b', '#comment', '- dash', '"quoted"', 'back\\slash', 'multi\nline', 'tab\there', 'é ü 中'],
    sparkConf: { 'spark.metrics.conf.*.sink.prometheusServlet.class': 'org.apache.spark.metrics.sink.PrometheusServlet' },
    words: ['yes', 'no', 'on', 'off', 'true', 'null', '~', '1e3', '0x1F', '0755', '1.0', '12:30'],
    yes: 'key read as a boolean in YAML 1.1 unless quoted',
    42: 'a key that looks like a number',
    numbers: [0, -1, 1.5, 3600],
    flags: [true, false, null],
    empty: { map: {}, list: [] },
    nested: [{ a: 1, b: { c: 'x' } }, [1, [2, 3]], []],
  },
};

describe('manifestYaml', () => {
  test.each(['1.1', '1.2'] as const)('reads back as the same data in YAML %s', (version) => {
    expect(parse(manifestYaml(tricky), { version })).toEqual(tricky);
  });

  test('keeps the order of keys, writes block maps and lists, quotes every string', () => {
    expect(manifestYaml({ kind: 'SparkApplication', spec: { arguments: ['--x'], cores: 2 } }))
      .toBe('kind: "SparkApplication"\nspec:\n  arguments:\n  - "--x"\n  cores: 2\n');
  });

  test('refuses what JSON cannot hold', () => {
    expect(() => manifestYaml({ x: NaN })).toThrow('cannot write NaN in a manifest');
    expect(() => manifestYaml({ x: () => 1 })).toThrow('cannot write a function in a manifest');
  });
});
