import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { CapacityType, GitOps, NodePool, Placement, PlatformBindings, SparkOperator, SparkTeam, SyncWave } from '../lib';
import { bindings, findObject, scalaJob, sparkFixture, spotPool, systemPool } from './fixtures/spark-platform';
import { expectValuesExistInChart } from './validation/chart-values';
import { synthValid } from './validation/harness';
import { chartsDir } from './validation/schema-dirs';

describe('SparkOperator', () => {
  test('is the pinned upstream chart with typed values derived from the platform', () => {
    const { operator } = sparkFixture();
    const release = operator.release;
    expect(release.chartName).toBe('spark-operator');
    expect(release.repository).toBe('https://kubeflow.github.io/spark-operator');
    expect(release.chartVersion).toBe('2.5.2');
    expect(release.releaseName).toBe('spark-operator');
    expect(release.namespace).toBe('spark-operator');
    expect(release.values).toMatchObject({
      webhook: { enable: true, replicas: 2, podDisruptionBudget: { enable: true, minAvailable: 1 } },
      controller: { replicas: 1, podDisruptionBudget: { enable: false } },
      prometheus: { metrics: { enable: true } },
      spark: { jobNamespaces: ['team-a'], serviceAccount: { create: false }, rbac: { create: false } },
    });
  });

  test('the chart version matches the pinned upstream chart', () => {
    const chartYaml = fs.readFileSync(path.join(chartsDir(), 'spark-operator', 'Chart.yaml'), 'utf-8');
    expect(chartYaml).toMatch(new RegExp(`^version: ${SparkOperator.DEFAULT_CHART_VERSION.replace(/\./g, '\\.')}$`, 'm'));
  });

  test('job namespaces are the teams\' namespaces, including teams added after the release was read', () => {
    const { operator } = sparkFixture();
    expect(operator.release.values.spark.jobNamespaces).toEqual(['team-a']);
    operator.addTeam(new SparkTeam({ name: 'team-b' }));
    expect(operator.release.values.spark.jobNamespaces).toEqual(['team-a', 'team-b']);
  });

  test('controller and webhook run on on-demand capacity', () => {
    const { operator } = sparkFixture();
    const { controller, webhook } = operator.release.values;
    for (const component of [controller, webhook]) {
      expect(component.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: systemPool.name });
      expect(component.tolerations).toEqual([]);
    }
  });

  test('extraValues win over the typed values', () => {
    const { operator } = sparkFixture({ extraValues: { controller: { replicas: 3, logLevel: 'debug' }, webhook: { enable: true } } });
    expect(operator.release.values.controller).toMatchObject({ replicas: 3, logLevel: 'debug' });
  });

  test('defaults: drivers on the on-demand pools, executors on the spot pools (on-demand when there is none)', () => {
    const { operator } = sparkFixture();
    expect(operator.driverPlacement.poolNames).toEqual(['system']);
    expect(operator.executorPlacement.poolNames).toEqual(['spark-spot']);
    const onlyOnDemand = new SparkOperator(Testing.chart(), 'op', { nodePools: [systemPool], bindings });
    expect(onlyOnDemand.executorPlacement.poolNames).toEqual(['system']);
  });

  test('takes the event-log location, the region and the teams\' roles from PlatformBindings', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', {
      nodePools: [systemPool, spotPool],
      bindings: new PlatformBindings({ accountId: '210987654321', clusterName: 'prod', region: 'us-east-1', bucketName: 'acme-platform', eventLogPrefix: 'history' }),
    });
    operator.addTeam(new SparkTeam({ name: 'team-a' })).addJob('etl', scalaJob);
    const docs = synthValid(chart);
    expect(operator.eventLogs.s3aUri).toBe('s3a://acme-platform/history');
    expect(findObject(docs, 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::210987654321:role/prod-us-east-1-team-a-spark' });
    const spec = findObject(docs, 'SparkApplication').spec;
    expect(spec.sparkConf['spark.eventLog.dir']).toBe('s3a://acme-platform/history');
    expect(spec.hadoopConf['fs.s3a.endpoint.region']).toBe('us-east-1');
  });

  test('rejects bad input', () => {
    const chart = Testing.chart();
    expect(() => new SparkOperator(chart, 'no-bindings', { nodePools: [systemPool] } as any)).toThrow(/no-bindings: invalid prop "bindings" undefined: is required/);
    expect(() => new SparkOperator(chart, 'a', { nodePools: [], bindings })).toThrow(/a: invalid prop "nodePools" \[\]: must list the platform's node pools/);
    expect(() => new SparkOperator(chart, 'b', { nodePools: [spotPool], bindings }))
      .toThrow(/b: invalid prop "nodePools" \["spark-spot"\]: has no on-demand pool for the operator and the drivers/);
    expect(() => new SparkOperator(chart, 'c', { nodePools: [systemPool, spotPool], bindings, operatorPlacement: Placement.onPool(spotPool) }))
      .toThrow(/c: invalid prop "operatorPlacement" "spark-spot": is a spot pool/);
    const stranger = new NodePool({ name: 'other', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] });
    expect(() => new SparkOperator(chart, 'd', { nodePools: [systemPool], bindings, driverPlacement: Placement.onPool(stranger) }))
      .toThrow(/d: invalid prop "driverPlacement" "other": is not one of nodePools \(system\)/);
    expect(() => new SparkOperator(chart, 'e', { nodePools: [systemPool], bindings, webhookReplicas: 0 })).toThrow(/e: invalid prop "webhookReplicas" 0/);
    expect(() => new SparkOperator(chart, 'g', { nodePools: [systemPool, systemPool], bindings })).toThrow(/g: invalid prop "nodePools" "system": lists two pools with this name/);
  });

  test('an operator with no job namespace fails at synth', () => {
    const chart = Testing.chart();
    new SparkOperator(chart, 'lonely', { nodePools: [systemPool], bindings });
    expect(() => Testing.synth(chart)).toThrow(/lonely: the operator watches no job namespace/);
  });
});

describe('SparkOperator delivery', () => {
  test('every value key the library sets exists in the upstream spark-operator chart', () => {
    const { operator } = sparkFixture();
    expectValuesExistInChart('spark-operator', operator.release.values);
    const ops = new NodePool({ name: 'ops', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m5.large'] });
    const multi = sparkFixture({ nodePools: [systemPool, spotPool, ops], operatorPlacement: Placement.onPools([systemPool, ops]) });
    expect(multi.operator.release.values.controller.affinity).toBeDefined();
    expectValuesExistInChart('spark-operator', multi.operator.release.values);
  });

  test('delivered as an Argo CD Application in the operators\' sync wave; jobs in the runs wave', () => {
    const { chart, operator, namespace } = sparkFixture();
    const gitops = new GitOps(chart.node.root as App, 'gitops', { repoUrl: 'https://github.com/acme/infra.git' });
    gitops.addHelmRelease(operator.release);
    namespace.addJob('etl', scalaJob);
    const application = findObject(synthValid(gitops), 'Application', 'spark-operator');
    expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe(String(SyncWave.OPERATORS));
    expect(application.spec.source.helm.valuesObject.spark.jobNamespaces).toEqual(['team-a']);
    // The operator writes its webhooks' CA bundle at run time: not drift, not reverted.
    expect(application.spec.ignoreDifferences).toEqual(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'].map(kind => ({
      group: 'admissionregistration.k8s.io', kind, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'],
    })));
    expect(application.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const job = findObject(synthValid(chart), 'SparkApplication', 'etl');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': String(SyncWave.RUNS),
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      'argocd.argoproj.io/ignore-healthcheck': 'true',
    });
  });
});
