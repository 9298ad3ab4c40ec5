import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { ArgoServerAuthMode, ArgoWorkflows, NodePool, Placement, ServiceAccountIdentity, SparkTeam } from '../lib';
import { job, workflowsFixture } from './fixtures/argo-workflows';
import { bindings, findObject, spotPool, systemPool } from './fixtures/spark-platform';
import { expectValuesExistInChart } from './validation/chart-values';
import { synthValid } from './validation/harness';
import { chartsDir } from './validation/schema-dirs';

describe('ArgoWorkflows', () => {
  test('the pinned upstream chart, delivered like every operator', () => {
    const { workflows } = workflowsFixture();
    const release = workflows.release;
    expect([release.chartName, release.repository, release.chartVersion, release.releaseName, release.namespace])
      .toEqual(['argo-workflows', 'https://argoproj.github.io/argo-helm', '1.0.18', 'argo-workflows', 'argo']);
    const chartYaml = fs.readFileSync(path.join(chartsDir(), 'argo-workflows', 'Chart.yaml'), 'utf-8');
    expect(chartYaml).toMatch(/^version: 1\.0\.18$/m);
    expect(release.clusterScopedKinds.map(k => k.kind)).toEqual(['CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding']);
  });

  test('every value key it sets exists in the upstream values.yaml', () => {
    const { workflows, namespace } = workflowsFixture({ archiveLogs: true, crdBaseUrl: 'https://mirror.acme.io/argo/crds', retention: { afterSuccess: Duration.hours(6) } });
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job());
    // workflowDefaults is a Workflow spec (free-form upstream), artifactRepository.s3 an empty map upstream.
    expectValuesExistInChart('argo-workflows', workflows.release.values, ['controller.workflowDefaults']);
  });

  test('the server authenticates callers with their own tokens; the unauthenticated mode only by name', () => {
    expect(workflowsFixture().workflows.release.values.server.authModes).toEqual(['client']);
    expect(workflowsFixture({ authModes: [ArgoServerAuthMode.SSO, ArgoServerAuthMode.CLIENT] }).workflows.release.values.server.authModes).toEqual(['sso', 'client']);
    expect(workflowsFixture({ authModes: [ArgoServerAuthMode.SERVER] }).workflows.release.values.server.authModes).toEqual(['server']);
  });

  test('an S3 artifact repository on the platform bucket, below its own prefix, per namespace, with SDK credentials', () => {
    const values = workflowsFixture().workflows.release.values;
    expect(values.useStaticCredentials).toBe(false);
    expect(values.artifactRepository).toEqual({
      archiveLogs: false,
      s3: {
        bucket: 'acme-spark-platform',
        endpoint: 's3.amazonaws.com',
        region: 'eu-west-1',
        insecure: false,
        keyFormat: 'argo-artifacts/{{workflow.namespace}}/{{workflow.name}}/{{pod.name}}',
        useSDKCreds: true,
      },
    });
    // The server reads it with the role the AWS side made for the same service account.
    expect(values.server.serviceAccount).toEqual({
      create: true,
      name: 'argo-workflows-server',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-argo-argo-workflows-server' },
    });
  });

  test('controller, server and the CRD job on on-demand capacity; metrics on; retention and pod GC by default', () => {
    const values = workflowsFixture().workflows.release.values;
    for (const component of [values.controller, values.server, values.crds.upgradeJob]) {
      expect(component.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: systemPool.name });
      expect(component.tolerations).toEqual([]);
    }
    expect(values.controller.metricsConfig).toEqual({ enabled: true });
    expect(values.controller.workflowDefaults.spec).toMatchObject({
      ttlStrategy: { secondsAfterSuccess: 172800, secondsAfterFailure: 604800 },
      podGC: { strategy: 'OnPodSuccess' },
      securityContext: { runAsNonRoot: true, runAsUser: 8737 },
    });
    // The chart leaves the server's root filesystem writable (values.yaml server.securityContext
    // readOnlyRootFilesystem: false); upstream's own manifests/base/argo-server/argo-server-deployment.yaml make it
    // read-only. The chart mounts its own emptyDir "tmp" at /tmp, so the library adds no volume (a second "tmp"
    // is a Deployment the API server rejects: test/chart-render.test.ts renders the chart for real).
    expect(values.server.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(values.server.volumes).toBeUndefined();
    expect(values.server.volumeMounts).toBeUndefined();
    for (const container of [values.executor, values.mainContainer]) {
      expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources.limits.memory).toBe('256Mi');
    }
  });

  test('pipeline namespaces are derived from the pipelines; the chart renders nothing into them (the library does)', () => {
    const { workflows, namespace } = workflowsFixture();
    expect(workflows.release.values.controller.workflowNamespaces).toEqual([]);
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job());
    expect(workflows.release.values.controller.workflowNamespaces).toEqual(['team-a']);
    expect(workflows.release.values.workflow).toEqual({ serviceAccount: { create: false }, rbac: { create: false } });
    expect(workflows.release.otherNamespaces).toEqual([]);
    // Asking the chart for its own workflow RBAC makes the namespaces ones it renders into (GitOps orders them).
    const withChartRbac = workflowsFixture({ extraValues: { workflow: { rbac: { create: true } } } });
    withChartRbac.workflows.addPipeline(withChartRbac.namespace, 'p').addSparkStep('a', job());
    expect(withChartRbac.workflows.release.otherNamespaces).toEqual(['team-a']);
  });

  test('a server service account elsewhere moves the release there', () => {
    const serverServiceAccount = new ServiceAccountIdentity({ namespace: 'workflows', name: 'server' });
    expect(workflowsFixture({ serverServiceAccount }).workflows.release.namespace).toBe('workflows');
  });

  test('rejects bad input', () => {
    const chart = Testing.chart();
    expect(() => new ArgoWorkflows(chart, 'a', { nodePools: [spotPool], bindings })).toThrow(/a: invalid prop "nodePools" \["spark-spot"\]: has only spot pools/);
    expect(() => new ArgoWorkflows(chart, 'b', { nodePools: [systemPool, spotPool], bindings, placement: Placement.onPool(spotPool) }))
      .toThrow(/b: invalid prop "placement" "spark-spot": is a spot pool/);
    expect(() => new ArgoWorkflows(chart, 'c', { nodePools: [systemPool], bindings, authModes: ['none' as ArgoServerAuthMode] }))
      .toThrow(/c: invalid prop "authModes" "none": allowed: client, sso, server/);
    expect(() => new ArgoWorkflows(chart, 'd', { nodePools: [systemPool], bindings, authModes: [] })).toThrow(/d: invalid prop "authModes" \[\]/);
    expect(() => new ArgoWorkflows(chart, 'e', { nodePools: [systemPool], bindings, crdBaseUrl: 'http://mirror' })).toThrow(/e: invalid prop "crdBaseUrl" "http:\/\/mirror"/);
    expect(() => new ArgoWorkflows(chart, 'f', { nodePools: [systemPool], bindings, retention: { afterFailure: Duration.seconds(0) } }))
      .toThrow(/f: invalid prop "retention.afterFailure" 0/);
  });
});

describe('pipeline service accounts and submitters: least privilege in the namespace', () => {
  test('one service account per namespace with pipelines, a Role (never a ClusterRole) with what the executor does', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    workflows.addPipeline(namespace, 'p1').addSparkStep('a', job());
    workflows.addPipeline(namespace, 'p2').addSparkStep('a', job());
    const docs = synthValid(chart);
    const accounts = docs.filter(d => d.kind === 'ServiceAccount' && d.metadata.name === 'spark-pipeline');
    expect(accounts).toHaveLength(1);
    expect(accounts[0].metadata.namespace).toBe('team-a');
    // No AWS without archived logs: the executor only talks to the Kubernetes API.
    expect(accounts[0].metadata.annotations).toBeUndefined();
    const role = findObject(docs, 'Role', 'spark-pipeline');
    expect(role.metadata.namespace).toBe('team-a');
    expect(role.rules).toEqual([
      { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['create', 'get'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
      { apiGroups: ['argoproj.io'], resources: ['workflows/finalizers'], verbs: ['update'] },
    ]);
    expect(findObject(docs, 'RoleBinding', 'spark-pipeline').subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark-pipeline', namespace: 'team-a' }]);
    expect(docs.filter(d => d.kind.startsWith('Cluster'))).toEqual([]);
  });

  test('with archived logs the pipeline account gets the role the AWS side made for the team\'s pipelines', () => {
    const { chart, workflows, namespace } = workflowsFixture({ archiveLogs: true });
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job());
    expect(findObject(synthValid(chart), 'ServiceAccount', 'spark-pipeline').metadata.annotations)
      .toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-team-a-spark-pipeline' });
  });

  test('a submitter: its own account, a long-lived token, create and follow workflows in its namespace only', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const submitter = workflows.addSubmitter(namespace);
    expect(submitter.tokenSecretName).toBe('pipeline-submitter-token');
    const docs = synthValid(chart);
    expect(findObject(docs, 'Secret', 'pipeline-submitter-token')).toMatchObject({
      type: 'kubernetes.io/service-account-token',
      metadata: { namespace: 'team-a', annotations: { 'kubernetes.io/service-account.name': 'pipeline-submitter' } },
    });
    expect(findObject(docs, 'Secret', 'pipeline-submitter-token').data).toBeUndefined();
    expect(findObject(docs, 'Role', 'pipeline-submitter').rules).toEqual([
      { apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list', 'watch'] },
    ]);
    expect(findObject(docs, 'RoleBinding', 'pipeline-submitter').subjects).toEqual([{ kind: 'ServiceAccount', name: 'pipeline-submitter', namespace: 'team-a' }]);
  });

  test('another team\'s pipelines get their own account in their own namespace', () => {
    const { chart, workflows, operator } = workflowsFixture();
    const other = operator.addTeam(new SparkTeam({ name: 'team-b' }));
    workflows.addPipeline(other, 'p').addSparkStep('a', job());
    expect(findObject(synthValid(chart), 'ServiceAccount', 'spark-pipeline').metadata.namespace).toBe('team-b');
  });
});
