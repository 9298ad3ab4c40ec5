import { HelmRelease, HelmReleaseProps } from '../lib';

const props: HelmReleaseProps = {
  releaseName: 'spark-operator',
  namespace: 'spark-operator',
  chartName: 'spark-operator',
  repository: 'https://kubeflow.github.io/spark-operator',
  chartVersion: '2.5.2',
  values: { webhook: { enable: true, replicas: 2 }, spark: { jobNamespaces: ['a'] }, tolerations: [{ key: 'x' }] },
};

describe('HelmRelease', () => {
  test('exposes the pinned chart', () => {
    const release = new HelmRelease(props);
    expect([release.releaseName, release.namespace, release.chartName, release.repository, release.chartVersion])
      .toEqual(['spark-operator', 'spark-operator', 'spark-operator', 'https://kubeflow.github.io/spark-operator', '2.5.2']);
    expect(release.isOci).toBe(false);
    expect(release.ociChartReference).toBeUndefined();
  });

  test('extraValues merge deeply over the library values: the user wins, lists are replaced, null removes', () => {
    const release = new HelmRelease({
      ...props,
      extraValues: { webhook: { replicas: 3, timeoutSeconds: 10 }, spark: { jobNamespaces: ['b', 'c'] }, tolerations: null, controller: { logLevel: 'debug' } },
    });
    expect(release.values).toEqual({
      webhook: { enable: true, replicas: 3, timeoutSeconds: 10 },
      spark: { jobNamespaces: ['b', 'c'] },
      controller: { logLevel: 'debug' },
    });
  });

  test('values are copies: changing what was read changes nothing', () => {
    const release = new HelmRelease(props);
    release.values.webhook.replicas = 99;
    expect(release.values.webhook.replicas).toBe(2);
  });

  test('subclasses derive their values when read', () => {
    class Counting extends HelmRelease {
      public count = 0;
      protected renderValues() { return { count: ++this.count }; }
    }
    const release = new Counting(props);
    expect(release.values).toEqual({ count: 1 });
    expect(release.values).toEqual({ count: 2 });
  });

  test('OCI charts: the registry path without the chart name', () => {
    const release = new HelmRelease({ ...props, repository: 'oci://ghcr.io/kube-logging/helm-charts', chartName: 'logging-operator', chartVersion: '6.7.0' });
    expect(release.isOci).toBe(true);
    expect(release.ociChartReference).toBe('oci://ghcr.io/kube-logging/helm-charts/logging-operator');
  });

  test.each([
    ['an unpinned range', { chartVersion: '^2.5.0' }, /invalid prop "chartVersion" "\^2.5.0": must be an exact chart version/],
    ['latest', { chartVersion: 'latest' }, /invalid prop "chartVersion" "latest"/],
    ['an empty version', { chartVersion: '' }, /invalid prop "chartVersion" ""/],
    ['a v-prefixed version', { chartVersion: 'v2.5.2' }, /invalid prop "chartVersion" "v2.5.2"/],
    ['a wildcard', { chartVersion: '2.5.x' }, /invalid prop "chartVersion" "2.5.x"/],
    ['an http repository', { repository: 'http://charts.example.com' }, /invalid prop "repository" "http:\/\/charts.example.com": must be an https Helm repository URL/],
    ['a malformed repository', { repository: 'kubeflow.github.io/spark-operator' }, /invalid prop "repository"/],
    ['an OCI reference ending with the chart name', { repository: 'oci://ghcr.io/kubeflow/helm-charts/spark-operator' },
      /must not end with the chart name: give "oci:\/\/ghcr.io\/kubeflow\/helm-charts" and chartName "spark-operator"/],
    ['an upper-case release name', { releaseName: 'Spark' }, /HelmRelease "Spark": invalid prop "releaseName" "Spark": must be a Helm release name/],
    ['a release name over 53 characters', { releaseName: 'a'.repeat(54) }, /invalid prop "releaseName" "a{54}".*at most 53 characters/],
    ['a namespace that is not DNS-1123', { namespace: 'spark_operator' }, /invalid prop "namespace" "spark_operator": must be a DNS-1123 label/],
    ['a bad chart name', { chartName: 'Spark Operator' }, /invalid prop "chartName" "Spark Operator"/],
  ])('rejects %s', (_what, override, error) => {
    expect(() => new HelmRelease({ ...props, ...override })).toThrow(error);
  });
});
