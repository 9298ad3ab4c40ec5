import * as path from 'path';
import { SchemaHarness } from './harness';
import { schemaDir } from './schema-dirs';

const harness = SchemaHarness.get();

function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web',
            image: 'nginx:1.27',
            ports: [{ containerPort: 8080 }],
            resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: 256 } },
            livenessProbe: { httpGet: { path: '/', port: 'http' } },
            readinessProbe: { httpGet: { path: '/', port: 8080 } },
          }],
          tolerations: [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }],
        },
      },
    },
  };
}

function sparkApplication(): any {
  return {
    apiVersion: 'sparkoperator.k8s.io/v1beta2',
    kind: 'SparkApplication',
    metadata: { name: 'pi', namespace: 'spark-jobs' },
    spec: {
      type: 'Scala',
      mode: 'cluster',
      image: 'apache/spark:3.5.5',
      mainClass: 'org.apache.spark.examples.SparkPi',
      mainApplicationFile: 'local:///opt/spark/examples/jars/spark-examples.jar',
      sparkVersion: '3.5.5',
      restartPolicy: { type: 'OnFailure', onFailureRetries: 3 },
      driver: { cores: 1, memory: '512m', serviceAccount: 'spark' },
      executor: { cores: 1, instances: 2, memory: '512m' },
    },
  };
}

describe('schema harness: core kinds against the Kubernetes 1.33 OpenAPI', () => {
  test('accepts a correct Deployment (int-or-string ports, quantities as strings and numbers)', () => {
    expect(harness.validate([deployment()])).toEqual([]);
  });

  test('rejects an unknown field', () => {
    const doc = deployment();
    doc.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(harness.validate([doc])).toEqual([
      expect.stringMatching(/\/spec\/template\/spec\/containers\/0: unknown field "imagePullPolicyy"/),
    ]);
  });

  test('rejects a string replicas', () => {
    const doc = deployment();
    doc.spec.replicas = '2';
    expect(harness.validate([doc])).toEqual([expect.stringMatching(/\/spec\/replicas: must be integer/)]);
  });

  test('rejects a container without a name', () => {
    const doc = deployment();
    delete doc.spec.template.spec.containers[0].name;
    expect(harness.validate([doc])).toEqual([
      expect.stringMatching(/\/spec\/template\/spec\/containers\/0: must have required property 'name'/),
    ]);
  });

  test('rejects an int32 out of range and a malformed quantity', () => {
    const doc = deployment();
    doc.spec.template.spec.containers[0].ports[0].containerPort = 2 ** 40;
    doc.spec.template.spec.containers[0].resources.requests.cpu = '1 core';
    const problems = harness.validate([doc]);
    expect(problems).toContainEqual(expect.stringMatching(/containerPort: must match format "int32"/));
    expect(problems).toContainEqual(expect.stringMatching(/requests\/cpu/));
  });

  test('rejects a wrong kind for the apiVersion and a kind it has no schema for', () => {
    expect(harness.validate([{ apiVersion: 'v1', kind: 'Deployment', metadata: { name: 'x' } }]))
      .toEqual([expect.stringMatching(/no schema for v1 Deployment/)]);
    expect(harness.validate([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }]))
      .toEqual([expect.stringMatching(/no schema for example.com\/v1 Widget/)]);
  });

  test('rejects names and labels the API server would reject, and duplicate objects', () => {
    const badName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name' }, data: {} };
    const badLabel = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok', labels: { team: 'a'.repeat(64) } } };
    const noName = { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} };
    const problems = harness.validate([badName, badLabel, noName, badLabel]);
    expect(problems).toContainEqual(expect.stringMatching(/metadata.name "Bad_Name" is not a valid ConfigMap name/));
    expect(problems).toContainEqual(expect.stringMatching(/label team=a+: must be at most 63 characters/));
    expect(problems).toContainEqual(expect.stringMatching(/metadata.name is required/));
    expect(problems).toContainEqual(expect.stringMatching(/#3 ConfigMap ok: same apiVersion, kind, namespace and name as document #1/));
  });

  test('a Service name must be a DNS-1035 label', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: '1-svc', namespace: 'default' }, spec: { ports: [{ port: 80 }] } };
    expect(harness.validate([svc])).toEqual([expect.stringMatching(/not a valid Service name/)]);
  });

  test('scope: a namespaced kind needs a namespace, a cluster-scoped kind must not have one (the API server\'s scope)', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } };
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x', namespace: 'default' }, rules: [] };
    expect(harness.validate([cm, role])).toEqual([
      expect.stringMatching(/#0 ConfigMap x: ConfigMap is namespaced: metadata.namespace is required/),
      expect.stringMatching(/#1 ClusterRole default\/x: ClusterRole is cluster-scoped: metadata.namespace must not be set/),
    ]);
    const logging = { apiVersion: 'logging.banzaicloud.io/v1beta1', kind: 'Logging', metadata: { name: 'x', namespace: 'logging' }, spec: { controlNamespace: 'logging' } };
    expect(harness.validate([logging])).toEqual([expect.stringMatching(/Logging is cluster-scoped/)]);
  });
});

describe('schema harness: custom resources against the pinned CRDs', () => {
  test('accepts a correct SparkApplication', () => {
    expect(harness.validate([sparkApplication()])).toEqual([]);
  });

  test('rejects a misspelt field', () => {
    const doc = sparkApplication();
    doc.spec.driver.serviceAcount = 'spark';
    expect(harness.validate([doc])).toEqual([expect.stringMatching(/\/spec\/driver: unknown field "serviceAcount"/)]);
  });

  test('rejects a bad restartPolicy.type', () => {
    const doc = sparkApplication();
    doc.spec.restartPolicy.type = 'Sometimes';
    expect(harness.validate([doc])).toEqual([
      expect.stringMatching(/\/spec\/restartPolicy\/type: must be equal to one of the allowed values \("Never", "Always", "OnFailure"\)/),
    ]);
  });

  test('checks the root metadata against ObjectMeta and int-or-string fields both ways', () => {
    const doc = sparkApplication();
    doc.metadata.labelz = {};
    expect(harness.validate([doc])).toEqual([expect.stringMatching(/\/metadata: unknown field "labelz"/)]);
  });

  test('checks nested Kubernetes types inside a custom resource (tolerations of the driver)', () => {
    const doc = sparkApplication();
    doc.spec.driver.tolerations = [{ key: 'spot', operatorr: 'Exists' }];
    doc.spec.executor.instances = 0;
    const problems = harness.validate([doc]);
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/driver\/tolerations\/0: unknown field "operatorr"/));
    expect(problems).toContainEqual(expect.stringMatching(/\/spec\/executor\/instances: must be >= 1/));
  });

  test('rejects a version the CRD does not serve', () => {
    const doc = { ...sparkApplication(), apiVersion: 'sparkoperator.k8s.io/v1beta1' };
    expect(harness.validate([doc])).toEqual([expect.stringMatching(/the pinned CRD serves v1beta2/)]);
  });

  test('preserve-unknown-fields subtrees accept any field', () => {
    const app = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'app', namespace: 'argocd' },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc', namespace: 'x' },
        source: { repoURL: 'https://charts.example.com', chart: 'x', targetRevision: '1.0.0', helm: { valuesObject: { any: { deep: ['thing'] } } } },
      },
    };
    expect(harness.validate([app])).toEqual([]);
  });
});

describe('schema harness: schema folder', () => {
  test('is read from SPARK_PLATFORM_SCHEMA_DIR, defaulting to ../shared/crds', () => {
    const saved = process.env.SPARK_PLATFORM_SCHEMA_DIR;
    try {
      delete process.env.SPARK_PLATFORM_SCHEMA_DIR;
      expect(schemaDir()).toBe(path.resolve(__dirname, '..', '..', '..', 'shared', 'crds'));
      process.env.SPARK_PLATFORM_SCHEMA_DIR = '/nowhere';
      expect(schemaDir()).toBe('/nowhere');
      expect(() => new SchemaHarness(schemaDir())).toThrow(/no Kubernetes OpenAPI at \/nowhere/);
    } finally {
      if (saved === undefined) delete process.env.SPARK_PLATFORM_SCHEMA_DIR;
      else process.env.SPARK_PLATFORM_SCHEMA_DIR = saved;
    }
  });
});
