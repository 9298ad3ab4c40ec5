import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing, ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { ApplicationSource, ArgoCdApplication, ArgoCdRelease, GitOps, HelmRelease, NodePool, Placement, RunOnce, SyncWave } from '../lib';
import { findObject } from './fixtures/spark-platform';
import { expectValuesExistInChart } from './validation/chart-values';
import { synthValid } from './validation/harness';
import { chartsDir } from './validation/schema-dirs';
import { CapacityType } from '../lib/scheduling';

const REPO = 'https://github.com/acme/spark-platform-infra.git';
const operator = () => new HelmRelease({
  releaseName: 'spark-operator',
  namespace: 'spark-operator',
  chartName: 'spark-operator',
  repository: 'https://kubeflow.github.io/spark-operator',
  chartVersion: '2.5.2',
  values: { webhook: { enable: true } },
});
const loggingOperator = () => new HelmRelease({
  releaseName: 'logging-operator',
  namespace: 'logging',
  chartName: 'logging-operator',
  repository: 'oci://ghcr.io/kube-logging/helm-charts',
  chartVersion: '6.7.0',
});

function gitOps(): { app: App; gitops: GitOps } {
  const app = Testing.app();
  const gitops = new GitOps(app, 'gitops', { repoUrl: REPO });
  return { app, gitops };
}

describe('GitOps', () => {
  test('renders a Helm release as an Argo CD Application that passes the pinned Argo CD CRD', () => {
    const { gitops } = gitOps();
    gitops.addHelmRelease(operator());
    const application = findObject(synthValid(gitops), 'Application', 'spark-operator');
    expect(application.metadata.namespace).toBe('argocd');
    expect(application.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': String(SyncWave.OPERATORS) });
    expect(application.spec).toEqual({
      project: 'spark-platform',
      source: {
        repoURL: 'https://kubeflow.github.io/spark-operator',
        chart: 'spark-operator',
        targetRevision: '2.5.2',
        helm: { releaseName: 'spark-operator', valuesObject: { webhook: { enable: true } } },
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'spark-operator' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    });
  });

  test('reads release values at synth, so changes after addHelmRelease() are delivered', () => {
    const { gitops } = gitOps();
    let replicas = 1;
    class Late extends HelmRelease {
      protected renderValues() { return { controller: { replicas } }; }
    }
    gitops.addHelmRelease(new Late({ releaseName: 'late', namespace: 'late', chartName: 'late', repository: 'https://charts.example.com', chartVersion: '1.0.0' }));
    replicas = 3;
    expect(findObject(synthValid(gitops), 'Application', 'late').spec.source.helm.valuesObject).toEqual({ controller: { replicas: 3 } });
  });

  test('the AppProject allows exactly the repositories and destinations in use, never *', () => {
    const { app, gitops } = gitOps();
    gitops.addHelmRelease(operator());
    gitops.addHelmRelease(loggingOperator());
    const workloads = new Chart(app, 'workloads');
    new k8s.KubeConfigMap(workloads, 'cm', { metadata: { name: 'x', namespace: 'team-a' } });
    const project = findObject(synthValid(gitops), 'AppProject', 'spark-platform');
    expect(project.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': String(SyncWave.PLATFORM) });
    expect(project.spec.sourceRepos).toEqual([REPO, 'ghcr.io/kube-logging/helm-charts', 'https://kubeflow.github.io/spark-operator'].sort());
    expect(project.spec.sourceRepos).not.toContain('*');
    expect(project.spec.destinations.map((d: any) => d.namespace).sort()).toEqual(['argocd', 'logging', 'spark-operator', 'team-a']);
    expect(project.spec.destinations.every((d: any) => d.server === 'https://kubernetes.default.svc')).toBe(true);
    // Cluster-scoped kinds: only what the app renders without a namespace and the releases declare.
    expect(project.spec.clusterResourceWhitelist).toEqual([]);
    new k8s.KubeClusterRole(workloads, 'role', { metadata: { name: 'reader' }, rules: [] });
    gitops.addHelmRelease(new HelmRelease({
      releaseName: 'crds',
      namespace: 'crds',
      chartName: 'crds',
      repository: 'https://charts.example.com',
      chartVersion: '1.0.0',
      clusterScopedKinds: [{ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }],
    }));
    expect(findObject(Testing.synth(gitops), 'AppProject').spec.clusterResourceWhitelist).toEqual([
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    ]);
  });

  test('OCI charts: Helm source without oci:// and a repository declared with enableOCI', () => {
    const { gitops } = gitOps();
    gitops.addHelmRelease(loggingOperator());
    const docs = synthValid(gitops);
    expect(findObject(docs, 'Application', 'logging-operator').spec.source).toMatchObject({
      repoURL: 'ghcr.io/kube-logging/helm-charts', chart: 'logging-operator', targetRevision: '6.7.0',
    });
    const secret = findObject(docs, 'Secret');
    expect(secret.metadata).toMatchObject({ namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'repository' } });
    expect(secret.stringData).toMatchObject({ type: 'helm', url: 'ghcr.io/kube-logging/helm-charts', enableOCI: 'true' });
  });

  test('app of apps: the root Application syncs the committed dist/ directory of the repository', () => {
    const app = Testing.app();
    const gitops = new GitOps(app, 'gitops', { repoUrl: 'git@github.com:acme/infra.git', revision: 'release-2026', path: 'platform/dist' });
    const root = findObject(synthValid(gitops), 'Application', 'spark-platform');
    expect(root.spec.source).toEqual({ repoURL: 'git@github.com:acme/infra.git', targetRevision: 'release-2026', path: 'platform/dist' });
    expect(root.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(root.spec.project).toBe('spark-platform');
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(root.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': String(SyncWave.RUNS) });
  });

  test('custom resources are marked to wait for their operators\' CRDs', () => {
    const chart = Testing.chart();
    const cr = new k8s.KubeConfigMap(chart, 'cr', { metadata: { name: 'x' } });
    SyncWave.markCustomResource(cr);
    expect(Testing.synth(chart)[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': String(SyncWave.CUSTOM_RESOURCES),
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
    expect(SyncWave.OPERATORS).toBeLessThan(SyncWave.NATIVE);
    expect(SyncWave.NATIVE).toBeLessThan(SyncWave.CUSTOM_RESOURCES);
  });

  test('options: manual sync, another wave, another destination', () => {
    const chart = Testing.chart();
    new ArgoCdApplication(chart, 'app', {
      source: ApplicationSource.fromHelmRelease(operator()),
      automatedSync: false,
      syncWave: -5,
      destinationServer: 'https://eks.example.com',
      destinationNamespace: 'ops',
    });
    const application = synthValid(chart)[0];
    expect(application.spec.syncPolicy.automated).toBeUndefined();
    expect(application.spec.project).toBe('default');
    expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-5');
    expect(application.spec.destination).toEqual({ server: 'https://eks.example.com', namespace: 'ops' });
  });

  // An operator's Application is Healthy only once its chart's objects exist; the Spark Operator's chart renders
  // Roles into every job namespace (kubeflow/spark-operator v2.5.2 controller/rbac.yaml, webhook/rbac.yaml).
  describe('namespaces a release renders into exist in an earlier wave', () => {
    const renderingInto = () => new HelmRelease({
      releaseName: 'op', namespace: 'op', chartName: 'op', repository: 'https://charts.example.com', chartVersion: '1.0.0', otherNamespaces: ['team-a'],
    });
    const namespace = (chart: Chart, wave?: number) => {
      const ns = new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'team-a' } });
      if (wave !== undefined) SyncWave.set(ns, wave);
    };

    test('a Namespace in the NAMESPACES wave passes', () => {
      const { app, gitops } = gitOps();
      namespace(new Chart(app, 'platform'), SyncWave.NAMESPACES);
      gitops.addHelmRelease(renderingInto());
      expect(() => app.synth()).not.toThrow();
    });

    test('no Namespace for it: a synth error naming the Application, the chart and the namespace', () => {
      const { gitops } = gitOps();
      gitops.addHelmRelease(renderingInto());
      expect(() => Testing.synth(gitops)).toThrow(/gitops\/Release-op: the chart "op" renders objects into namespace "team-a", which no Namespace of this app creates/);
    });

    test('a Namespace in the same wave or later: a synth error naming the Namespace', () => {
      const { app, gitops } = gitOps();
      namespace(new Chart(app, 'platform'));
      gitops.addHelmRelease(renderingInto());
      expect(() => Testing.synth(gitops)).toThrow(/platform\/ns: Namespace "team-a" is applied in sync wave 0, but the chart "op" renders objects into it in wave -10: put it in an earlier wave \(SyncWave.NAMESPACES\)/);
    });
  });

  describe('runs (RunOnce)', () => {
    const run = (chart: Chart, deletedBy?: string) => {
      const object = new ApiObject(chart, 'run', { apiVersion: 'sparkoperator.k8s.io/v1beta2', kind: 'SparkApplication', metadata: { name: 'etl', namespace: 'team-a' } });
      RunOnce.mark(object, { deletedBy });
      return object;
    };

    test('created once: the root Application ignores their spec, respects that on sync, and goes last', () => {
      const { app, gitops } = gitOps();
      run(new Chart(app, 'jobs'));
      const root = findObject(Testing.synth(gitops), 'Application', 'spark-platform');
      expect(root.spec.ignoreDifferences).toEqual([{ group: 'sparkoperator.k8s.io', kind: 'SparkApplication', jqPathExpressions: ['.spec'] }]);
      expect(root.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
      expect(root.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': String(SyncWave.RUNS) });
    });

    test('a run its controller deletes once finished is a synth error: self-heal would run it again forever', () => {
      const { app } = gitOps();
      run(new Chart(app, 'jobs'), 'timeToLive (spec.timeToLiveSeconds)');
      expect(() => app.synth()).toThrow(/jobs\/run: timeToLive \(spec.timeToLiveSeconds\) makes the operator delete SparkApplication "etl" once it has run, and Argo CD's self-heal \(gitops\) re-creates what git still holds: it would run again, forever/);
    });

    test('nothing but runs (and the root Application) in the runs wave: Argo CD waits on every wave but the last', () => {
      const { app, gitops } = gitOps();
      const cm = new k8s.KubeConfigMap(new Chart(app, 'late'), 'cm', { metadata: { name: 'x', namespace: 'default' } });
      SyncWave.set(cm, SyncWave.RUNS + 5);
      expect(() => Testing.synth(gitops)).toThrow(/late\/cm: sync wave 25 is at or after SyncWave.RUNS \(20\)/);
    });
  });

  test('rejects bad input', () => {
    expect(() => new GitOps(Testing.app(), 'a', { repoUrl: 'github.com/acme/infra' })).toThrow(/invalid prop "repoUrl" "github.com\/acme\/infra": must be a git repository URL/);
    expect(() => new GitOps(Testing.app(), 'b', { repoUrl: REPO, path: '../dist' })).toThrow(/invalid prop "path" "..\/dist"/);
    expect(() => new GitOps(Testing.app(), 'c', { repoUrl: REPO, argoCdNamespace: 'Argo CD' })).toThrow(/c: invalid prop "argoCdNamespace" "Argo CD"/);
    const { gitops } = gitOps();
    gitops.addHelmRelease(operator());
    expect(() => gitops.addHelmRelease(operator())).toThrow(/gitops: invalid prop "release" "spark-operator": an Application named "spark-operator" is already delivered/);
    const chart = Testing.chart();
    expect(() => new ArgoCdApplication(chart, 'x', { source: ApplicationSource.fromHelmRelease(operator()), destinationServer: 'kubernetes' }))
      .toThrow(/x: invalid prop "destinationServer" "kubernetes"/);
  });
});

describe('ArgoCdRelease', () => {
  const system = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] });

  test('the pinned argo-cd chart with Application health, no Dex, a cluster-internal API server', () => {
    const release = new ArgoCdRelease({ placement: Placement.onPool(system) });
    expect([release.chartName, release.repository, release.chartVersion, release.namespace]).toEqual(['argo-cd', 'https://argoproj.github.io/argo-helm', '10.1.1', 'argocd']);
    const values = release.values;
    expect(values.configs.cm['resource.customizations.health.argoproj.io_Application']).toMatch(/obj.status.health.status/);
    expect(values.dex).toEqual({ enabled: false });
    expect(values.server.service.type).toBe('ClusterIP');
    expect(values.global.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: 'system' });
    expect(values['redis-ha']).toEqual({ enabled: false });
    expect(new ArgoCdRelease({ highAvailability: true }).values).toMatchObject({ 'redis-ha': { enabled: true }, 'server': { replicas: 2 }, 'repoServer': { replicas: 2 } });
  });

  test('every value key it sets exists in the upstream chart', () => {
    const other = new NodePool({ name: 'other', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] });
    const releases = [
      new ArgoCdRelease({ placement: Placement.onPool(system) }),
      new ArgoCdRelease({ placement: Placement.onPools([system, other]), highAvailability: true, sso: SSO }),
    ];
    for (const release of releases) {
      expectValuesExistInChart('argo-cd', release.values, ['configs.cm', 'configs.rbac']);
    }
  });

  const SSO = {
    url: 'https://argocd.acme.example',
    issuer: 'https://acme.okta.com',
    clientId: 'argocd',
    clientSecretName: 'argocd-oidc',
    adminGroups: ['platform'],
    readOnlyGroups: ['data-engineering'],
  };

  test('with SSO the local admin is off, the client secret is a reference, groups get their roles', () => {
    // argo-cd docs/operator-manual/user-management/index.md: oidc.config, "$<secret>:<key>" references, admin.enabled;
    // docs/operator-manual/rbac.md: "g, <group>, role:admin" in policy.csv, groups scope.
    const values = new ArgoCdRelease({ sso: SSO }).values;
    expect(values.configs.cm['admin.enabled']).toBe('false');
    expect(values.configs.cm.url).toBe('https://argocd.acme.example');
    expect(values.configs.cm['oidc.config']).toBe('name: SSO\nissuer: https://acme.okta.com\nclientID: argocd\nclientSecret: $argocd-oidc:clientSecret\n'
      + 'requestedScopes: ["openid", "profile", "email", "groups"]\n');
    expect(values.configs.rbac['policy.csv']).toBe('g, platform, role:admin\ng, data-engineering, role:readonly\n');
    expect(new ArgoCdRelease().values.configs.cm['admin.enabled']).toBeUndefined();
  });

  test('bad SSO settings and a spot placement fail', () => {
    const spot = new NodePool({ name: 'spot', capacityType: CapacityType.SPOT, instanceTypes: ['m5.large'] });
    expect(() => new ArgoCdRelease({ placement: Placement.onPool(spot) })).toThrow(/ArgoCdRelease: invalid prop "placement" "spot": is a spot pool: Argo CD delivers the platform/);
    expect(() => new ArgoCdRelease({ sso: { ...SSO, adminGroups: [] } })).toThrow(/"sso.adminGroups" \[\]: must name at least one group/);
    expect(() => new ArgoCdRelease({ sso: { ...SSO, issuer: 'http://okta' } })).toThrow(/"sso.issuer" "http:\/\/okta": must be an https:\/\/ URL/);
    expect(() => new ArgoCdRelease({ sso: { ...SSO, adminGroups: ['a,b'] } })).toThrow(/"sso.adminGroups\[0\]" "a,b": must be a group name/);
  });

  test('the default chart version is the pinned upstream one', () => {
    const chartYaml = fs.readFileSync(path.join(chartsDir(), 'argo-cd', 'Chart.yaml'), 'utf-8');
    expect(chartYaml).toMatch(/^version: 10\.1\.1$/m);
  });
});
