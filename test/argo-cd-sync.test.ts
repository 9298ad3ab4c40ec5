import * as path from 'path';
import { App } from 'cdk8s';
import { SyncWave } from '../lib';
import { ChartApplicationFacts, keyOf, namespacesNamedInValues, platformHealth, simulateSync, waveOf } from './fixtures/argo-cd-sync';
import { helmTemplate, releasesIn } from './fixtures/helm-template';
import { apiServerProblems } from './validation/api-server-rules';

// The example platform as Argo CD's root Application sees it: every document of dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createApp } = require(path.join(__dirname, '..', 'examples', 'main.ts'));
const documents = (): any[] => (createApp() as App).charts.flatMap(c => c.toJson());
const withoutWave = (docs: any[], kind: string) => docs.map(d => (d.kind === kind
  ? { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, 'argocd.argoproj.io/sync-wave': '0' } } }
  : d));

// What an operator's Application would really apply: the pinned chart rendered with its values.
const chartFacts = (application: any): ChartApplicationFacts => {
  const [release] = releasesIn([application]);
  const rendered = helmTemplate(release);
  return {
    namespaces: [...new Set(rendered.map(d => d.metadata?.namespace).filter((ns: unknown): ns is string => typeof ns === 'string'))],
    refused: apiServerProblems(rendered).map(p => `${p.object} ${p.path}: ${p.message}`),
  };
};

describe('examples/main.ts under Argo CD (argo-cd v3.4.4 gitops-engine sync_context.go)', () => {
  test('every namespace a Helm Application\'s values name is created by a Namespace in an earlier wave', () => {
    const docs = documents();
    const helmApplications = docs.filter(d => d.kind === 'Application' && d.spec.source.chart);
    expect(helmApplications.length).toBeGreaterThan(0);
    // The Spark Operator's (job namespaces) and Argo Workflows' (pipeline namespaces) name some; the
    // logging-operator's none (it renders into its own namespace, which its Application creates).
    const named = helmApplications.flatMap(application =>
      namespacesNamedInValues(application.spec.source.helm.valuesObject).map(name => ({ application, name })));
    expect(new Set(named.map(n => n.application.metadata.name))).toEqual(new Set(['spark-operator', 'argo-workflows']));
    for (const { application, name } of named) {
      const namespace = docs.find(d => d.kind === 'Namespace' && d.metadata.name === name);
      const where = { application: application.metadata.name, name };
      expect({ ...where, created: !!namespace }).toEqual({ ...where, created: true });
      expect(waveOf(namespace)).toBeLessThan(waveOf(application));
    }
  });

  test('the waves run platform, namespaces, operators, native objects, custom resources, runs', () => {
    expect([SyncWave.PLATFORM, SyncWave.NAMESPACES, SyncWave.OPERATORS, SyncWave.NATIVE, SyncWave.CUSTOM_RESOURCES, SyncWave.RUNS])
      .toEqual([-20, -15, -10, 0, 10, 20]);
    const waveOfKind = (kind: string) => [...new Set(documents().filter(d => d.kind === kind).map(waveOf))];
    expect(waveOfKind('AppProject')).toEqual([SyncWave.PLATFORM]);
    expect(waveOfKind('Namespace')).toEqual([SyncWave.NAMESPACES]);
    expect(waveOfKind('ScheduledSparkApplication')).toEqual([SyncWave.CUSTOM_RESOURCES]);
    expect(waveOfKind('SparkApplication')).toEqual([SyncWave.RUNS]);
  });

  test.each(['Progressing', 'Degraded'] as const)('the first sync completes while the jobs are %s', (runs) => {
    const outcome = simulateSync(documents(), platformHealth(runs));
    expect(outcome).toMatchObject({ phase: 'Succeeded' });
    expect(outcome.appliedWaves).toEqual([-20, -15, -10, 0, 10, 20]);
  });

  // argo-cd v3.4.4 resource_customizations/karpenter.sh/NodePool/health.lua and karpenter.k8s.aws/EC2NodeClass/health.lua:
  // Argo CD waits on them until Karpenter has made them Ready.
  test('with Karpenter the first sync completes: its chart\'s wave comes before the NodePools, which only a running Karpenter makes Ready', () => {
    const docs = (createApp({ karpenter: true }) as App).charts.flatMap(c => c.toJson());
    expect(simulateSync(docs, platformHealth('Progressing'))).toMatchObject({ phase: 'Succeeded', appliedWaves: [-20, -15, -10, 0, 10, 20] });
    const sameWave = docs.map(d => (d.kind === 'Application' && d.metadata.name === 'karpenter'
      ? { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, 'argocd.argoproj.io/sync-wave': '10' } } } : d));
    expect(simulateSync(sameWave, platformHealth('Progressing'))).toMatchObject({ phase: 'Running', message: expect.stringMatching(/^waiting for healthy state of (EC2NodeClass|NodePool)\/\//) });
  });

  test('the first sync completes with the operators\' Applications judged by what their charts really render', () => {
    const docs = documents();
    // Every namespace the charts render into (the Spark Operator's Roles in the job namespaces) is one the platform creates.
    for (const application of docs.filter(d => d.kind === 'Application' && d.spec.source.chart)) {
      const { namespaces } = chartFacts(application);
      for (const ns of namespaces.filter(n => n !== application.spec.destination.namespace)) {
        const namespace = docs.find(d => d.kind === 'Namespace' && d.metadata.name === ns);
        const where = { application: application.metadata.name, ns };
        expect({ ...where, earlier: namespace !== undefined && waveOf(namespace) < waveOf(application) }).toEqual({ ...where, earlier: true });
      }
    }
    expect(simulateSync(docs, platformHealth('Progressing', chartFacts))).toMatchObject({ phase: 'Succeeded', appliedWaves: [-20, -15, -10, 0, 10, 20] });
  });

  test('the model with real charts catches a chart the API server refuses: a second "tmp" volume in argo-server stops the whole sync', () => {
    const docs = documents().map(d => (d.kind === 'Application' && d.spec.source.chart === 'argo-workflows' ? {
      ...d,
      spec: {
        ...d.spec,
        source: {
          ...d.spec.source,
          helm: {
            ...d.spec.source.helm,
            valuesObject: {
              ...d.spec.source.helm.valuesObject,
              server: { ...d.spec.source.helm.valuesObject.server, volumes: [{ name: 'tmp', emptyDir: {} }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] },
            },
          },
        },
      },
    } : d));
    expect(simulateSync(docs, platformHealth('Progressing', chartFacts))).toEqual({ phase: 'Failed', message: 'Application/argocd/argo-workflows is Degraded', appliedWaves: [-20, -15, -10] });
  });

  test.each(['Progressing', 'Degraded'] as const)('a later sync completes while jobs of earlier syncs are %s', (runs) => {
    expect(simulateSync(documents(), platformHealth(runs), { alreadyLive: true })).toMatchObject({ phase: 'Succeeded' });
  });

  test('the model catches the first-sync deadlock: with the Namespaces in wave 0 it waits on the operator forever', () => {
    const outcome = simulateSync(withoutWave(documents(), 'Namespace'), platformHealth('Progressing'));
    expect(outcome).toEqual({ phase: 'Running', message: 'waiting for healthy state of Application/argocd/spark-operator', appliedWaves: [-20, -15, -10] });
  });

  test('the model catches a root Application in wave 0: a failed job of an earlier sync would fail every later sync', () => {
    const docs = withoutWave(documents(), 'Application')
      .map(d => (d.kind === 'SparkApplication' ? { ...d, metadata: { ...d.metadata, annotations: { 'argocd.argoproj.io/sync-wave': '20' } } } : d));
    expect(simulateSync(docs, platformHealth('Degraded'), { alreadyLive: true })).toMatchObject({ phase: 'Failed', message: 'Application/argocd/spark-platform is Degraded' });
  });

  test('SparkApplications are created once: the root Application ignores their spec and keeps it as it is live on sync', () => {
    const root = documents().find(d => d.kind === 'Application' && d.metadata.name === 'spark-platform');
    expect(waveOf(root)).toBe(SyncWave.RUNS);
    expect(root.spec.ignoreDifferences).toEqual([{ group: 'sparkoperator.k8s.io', kind: 'SparkApplication', jqPathExpressions: ['.spec'] }]);
    // argo-cd controller/sync.go normalizeTargetResources: with RespectIgnoreDifferences the ignored fields of an
    // existing resource take their live values, and a new resource is applied whole.
    expect(root.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    for (const run of documents().filter(d => d.kind === 'SparkApplication')) {
      expect(run.metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-wave': String(SyncWave.RUNS),
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
        'argocd.argoproj.io/ignore-healthcheck': 'true',
      });
    }
  });

  test('the AppProject allows exactly the cluster-scoped kinds the platform renders and its charts install', () => {
    const docs = documents();
    const project = docs.find(d => d.kind === 'AppProject');
    const kinds = project.spec.clusterResourceWhitelist.map((k: any) => `${k.group}/${k.kind}`);
    expect(kinds).toEqual([
      '/Namespace',
      'admissionregistration.k8s.io/MutatingWebhookConfiguration',
      'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
      'apiextensions.k8s.io/CustomResourceDefinition',
      'logging.banzaicloud.io/FluentbitAgent',
      'logging.banzaicloud.io/Logging',
      'rbac.authorization.k8s.io/ClusterRole',
      'rbac.authorization.k8s.io/ClusterRoleBinding',
      'scheduling.k8s.io/PriorityClass',
      'storage.k8s.io/StorageClass',
    ]);
    // Every cluster-scoped object of dist/ is allowed.
    for (const doc of docs.filter(d => !d.metadata.namespace)) {
      expect(kinds).toContain(`${doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : ''}/${doc.kind}`);
    }
    expect(keyOf(project)).toBe('AppProject/argocd/spark-platform');
  });
});
