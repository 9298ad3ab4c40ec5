// The pinned upstream charts rendered for real (`helm template`, test/fixtures/helm-template.ts) with exactly the
// values the library emits, and what the API server and the kubelet would answer for what they render.
import * as path from 'path';
import { App } from 'cdk8s';
import { ManifestPolicy, PolicyRule } from '../lib';
import { cloudHelmReleases, cloudManifests } from './fixtures/cloud-manifests';
import { helmTemplate, releasesIn, renderableCharts, ReleaseToRender } from './fixtures/helm-template';
import { apiServerProblems } from './validation/api-server-rules';
import { SchemaHarness } from './validation/harness';

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
// An example file, or the main example switched to Karpenter (its one prop).
const KARPENTER_EXAMPLE = 'main.ts with karpenter';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = (file: string): any => (file === KARPENTER_EXAMPLE ? require(path.join(EXAMPLES_DIR, 'main.ts')).createApp({ karpenter: true })
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  : require(path.join(EXAMPLES_DIR, file)).createApp());

/** Every release an example installs, with the values it renders: Argo CD Applications, or aws-eks-v2 HelmCharts. */
function releasesOf(file: string): ReleaseToRender[] {
  const app = build(file);
  if (app instanceof App) return releasesIn(app.charts.flatMap(chart => chart.toJson()));
  return cloudHelmReleases(app)
    .map(r => ({ releaseName: r.release, namespace: r.namespace, chartName: r.chart, chartVersion: r.version, values: r.values }));
}

const renderable = new Set(renderableCharts());
const releases = ['main.ts', 'same-app.ts', KARPENTER_EXAMPLE].flatMap(file => releasesOf(file).filter(r => renderable.has(r.chartName))
  .map(r => [`${file}: ${r.chartName}`, r] as const));
const mainRelease = (chart: string) => releasesOf('main.ts').find(r => r.chartName === chart)!;

// ../shared/charts holds the whole source of three charts. Karpenter's (aws/karpenter-provider-aws, branch
// release-v1.14.1, charts/karpenter) renders here too when a charts folder holds it (SPARK_PLATFORM_CHARTS_DIR).
test('the examples install every chart whose whole source is pinned (Spark Operator, Argo Workflows, logging-operator; Karpenter when present)', () => {
  expect([...renderable].filter(c => c !== 'karpenter')).toEqual(['argo-workflows', 'logging-operator', 'spark-operator']);
  expect(new Set(releases.map(([, r]) => r.chartName))).toEqual(renderable);
});

/**
 * The chart's documents as the API server stores them when Argo CD applies them into the release's namespace: a
 * namespaced object without a namespace lands in the Application's destination; a cluster-scoped object's
 * namespace is cleared (k8s.io/apiserver pkg/registry/rest/create.go BeforeCreate); a JSON null is an absent
 * field (encoding/json decodes null into the zero value).
 */
function asApplied(documents: any[], namespace: string): any[] {
  const harness = SchemaHarness.get();
  const withoutNulls = (v: any): any => (Array.isArray(v) ? v.map(withoutNulls)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)])) : v);
  return documents.map(withoutNulls).map(d => {
    const namespaced = harness.isNamespaced(d);
    const metadata = { ...d.metadata };
    if (namespaced === true && !metadata.namespace) metadata.namespace = namespace;
    if (namespaced === false) delete metadata.namespace;
    return { ...d, metadata };
  });
}

describe('each chart renders, and the API server would accept every object it renders (schema and rules beyond it)', () => {
  test.each(releases)('%s', (_name, release) => {
    const documents = asApplied(helmTemplate(release), release.namespace);
    expect(documents.filter(d => d.kind === 'Deployment').length).toBeGreaterThan(0);
    expect(SchemaHarness.get().validate(documents)).toEqual([]);
    expect(apiServerProblems(documents)).toEqual([]);
  });
});

test('the API server\'s rules hold for everything the examples render themselves too', () => {
  for (const file of ['main.ts', 'same-app.ts', KARPENTER_EXAMPLE]) {
    const app = build(file);
    const documents = app instanceof App ? app.charts.flatMap(chart => chart.toJson()) : cloudManifests(app);
    expect({ file, problems: apiServerProblems(documents) }).toEqual({ file, problems: [] });
  }
});

// The AppProject allows exactly the cluster-scoped kinds the releases declare (clusterScopedKinds): every one
// the chart really renders must be among them, or Argo CD refuses the sync ("resource ... is not permitted").
test.each(['main.ts', KARPENTER_EXAMPLE])('%s: the platform\'s AppProject allows every cluster-scoped kind the charts render', file => {
  const app = build(file);
  const project = app.charts.flatMap((chart: any) => chart.toJson()).find((d: any) => d.kind === 'AppProject');
  const allowed = new Set(project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`));
  for (const release of releasesOf(file).filter(r => renderable.has(r.chartName))) {
    const clusterKinds = [...new Set(helmTemplate(release).filter(d => SchemaHarness.get().isNamespaced(d) === false)
      .map(d => `${d.apiVersion.includes('/') ? d.apiVersion.split('/')[0] : ''}/${d.kind}`))];
    expect({ chart: release.chartName, missing: clusterKinds.filter(k => !allowed.has(k)) }).toEqual({ chart: release.chartName, missing: [] });
  }
});

// The whole manifest policy, the kubelet's non-root rule included, over the charts' real output: what the chart
// breaks on purpose is a documented exception (ManifestPolicy.PLATFORM_EXCEPTIONS) with its reason.
describe('what the charts render passes the manifest policy, the kubelet\'s non-root rule included', () => {
  test.each(releases)('%s', (_name, release) => {
    expect(new ManifestPolicy().check(helmTemplate(release))).toEqual([]);
  });

  test('without the library\'s values the charts would not (the check is not vacuous)', () => {
    const release = mainRelease('argo-workflows');
    const values = release.values;
    const bare = {
      ...release,
      values: {
        ...values,
        controller: { ...values.controller, podSecurityContext: {} },
        server: { ...values.server, livenessProbe: { enabled: false } },
      },
    };
    expect(new ManifestPolicy().check(helmTemplate(bare)).map(v => `${v.rule} ${v.object}`)).toEqual([
      'seccomp Deployment argo/argo-workflows-workflow-controller',
      'missing-probes Deployment argo/argo-workflows-server',
    ]);
  });
});

// argo-helm argo-workflows-1.0.18, templates/server/server-deployment.yaml: the chart mounts an emptyDir named
// "tmp" at /tmp in argo-server, then appends server.volumes and server.volumeMounts.
test('argo-server: one "tmp" volume and one /tmp mount (the chart\'s), with a read-only root filesystem', () => {
  const server = helmTemplate(mainRelease('argo-workflows')).find(d => d.kind === 'Deployment' && d.metadata.name.endsWith('-server'));
  const pod = server.spec.template.spec;
  expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
  expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
});

test('the API server rules catch what a deploy would stop at: the second "tmp" the library used to add', () => {
  const release = mainRelease('argo-workflows');
  const withSecondTmp = { ...release, values: { ...release.values, server: { ...release.values.server, volumes: [{ name: 'tmp', emptyDir: {} }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] } } };
  expect(apiServerProblems(helmTemplate(withSecondTmp)).map(p => p.message)).toEqual([
    'duplicate volume name "tmp" (validateVolumes)',
    'mount path "/tmp" must be unique (ValidateVolumeMounts)',
  ]);
});

// kube-logging/logging-operator 6.7.0, Dockerfile: FROM gcr.io/distroless/static:latest with no USER (root).
test('logging-operator runs as a numeric non-root user; without it the kubelet would refuse the image\'s root', () => {
  const release = mainRelease('logging-operator');
  const operator = helmTemplate(release).find(d => d.kind === 'Deployment');
  expect(operator.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 });
  const asBefore = { ...release, values: { ...release.values, podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } } };
  const violations = new ManifestPolicy().check(helmTemplate(asBefore)).filter(v => v.rule === PolicyRule.NON_ROOT_UNVERIFIABLE);
  expect(violations.map(v => v.message)).toEqual([expect.stringMatching(/image "ghcr.io\/kube-logging\/logging-operator:6.7.0" runs as root \(no USER\) \(kube-logging\/logging-operator 6.7.0, Dockerfile/)]);
});
