import * as path from 'path';
import { expectValuesExistInChart, unknownChartValues } from './chart-values';

describe('chart values check', () => {
  test('accepts paths that exist upstream, free-form maps and replaced lists', () => {
    expect(unknownChartValues('spark-operator', {
      controller: { replicas: 2, nodeSelector: { any: 'thing' }, tolerations: [{ key: 'x' }] },
      spark: { jobNamespaces: ['a', 'b'] },
    })).toEqual([]);
  });

  test('reports paths that do not exist upstream', () => {
    expect(unknownChartValues('spark-operator', { controller: { replica: 2 }, sparkk: {} })).toEqual(['controller.replica', 'sparkk']);
    expect(() => expectValuesExistInChart('spark-operator', { webhook: { enabled: true } }))
      .toThrow(/values not in the upstream spark-operator chart's values.yaml: webhook.enabled/);
  });

  test('declared free-form paths accept any key', () => {
    expect(unknownChartValues('argo-cd', { configs: { cm: { 'resource.customizations.health.x': '' } } }, ['configs.cm'])).toEqual([]);
    expect(unknownChartValues('argo-cd', { configs: { cm: { 'resource.customizations.health.x': '' } } })).toEqual(['configs.cm.resource.customizations.health.x']);
  });

  test('reads the charts folder from SPARK_PLATFORM_CHARTS_DIR', () => {
    const saved = process.env.SPARK_PLATFORM_CHARTS_DIR;
    try {
      process.env.SPARK_PLATFORM_CHARTS_DIR = path.join('/nowhere');
      expect(() => unknownChartValues('spark-operator', {})).toThrow(/no upstream values.yaml for chart "spark-operator" at \/nowhere\/spark-operator\/values.yaml/);
    } finally {
      if (saved === undefined) delete process.env.SPARK_PLATFORM_CHARTS_DIR;
      else process.env.SPARK_PLATFORM_CHARTS_DIR = saved;
    }
  });
});
