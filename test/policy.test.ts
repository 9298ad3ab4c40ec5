// The manifest policy (lib/policy) over every object of every example, the rules each made to fail, and the
// upstream charts the library installs held to the same bar where their values allow it.
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { ManifestPolicy, PolicyRule } from '../lib';
import { cloudHelmReleases, cloudManifests } from './fixtures/cloud-manifests';
import { chartsDir } from './validation/schema-dirs';

const EXAMPLES_DIR = path.join(__dirname, '..', 'examples');
// Every example app (a module of shared objects such as platform-objects.ts builds no app).
const examples = fs.readdirSync(EXAMPLES_DIR).filter(f => f.endsWith('.ts') && /export function createApp/.test(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf-8'))).sort();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const build = (file: string): any => require(path.join(EXAMPLES_DIR, file)).createApp();

/** Every Kubernetes object an example renders: its cdk8s charts, or the manifests inside its AWS template. */
function objectsOf(app: any): any[] {
  return app instanceof App ? app.charts.flatMap(chart => chart.toJson()) : cloudManifests(app);
}

describe('every object of every example passes the manifest policy', () => {
  test.each(examples)('%s', (file) => {
    const docs = objectsOf(build(file));
    expect(docs.length).toBeGreaterThan(0);
    expect(new ManifestPolicy().check(docs)).toEqual([]);
  });

  test('the policy looks into what the examples render: workloads, Spark pods, workflow steps, fluentd and fluent-bit', () => {
    const docs = objectsOf(build('main.ts'));
    const kinds = new Set(docs.map((d: any) => d.kind));
    for (const kind of ['Deployment', 'SparkApplication', 'ScheduledSparkApplication', 'WorkflowTemplate', 'CronWorkflow', 'Logging', 'FluentbitAgent', 'ClusterRole']) {
      expect(kinds).toContain(kind);
    }
  });

  test('every cluster-wide write the library accepts is one the example really grants (no stale reasons)', () => {
    const roles = objectsOf(build('main.ts')).filter((d: any) => d.kind === 'ClusterRole');
    for (const grant of ManifestPolicy.PLATFORM_CLUSTER_WRITES) {
      const role = roles.find((r: any) => r.metadata.name === grant.clusterRole);
      const granted = role.rules.filter((r: any) => r.apiGroups.includes(grant.apiGroup) && r.resources.includes(grant.resource))
        .flatMap((r: any) => r.verbs);
      expect({ grant: `${grant.apiGroup}/${grant.resource}`, verbs: grant.verbs.filter(v => granted.includes(v)) })
        .toEqual({ grant: `${grant.apiGroup}/${grant.resource}`, verbs: grant.verbs });
    }
  });
});

// A Deployment that meets every rule; each case below breaks one thing.
function goodDeployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'team' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'web',
            image: 'nginxinc/nginx-unprivileged:1.27.3',
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
            readinessProbe: { httpGet: { path: '/', port: 8080 } },
            livenessProbe: { httpGet: { path: '/', port: 8080 } },
          }],
        },
      },
    },
  };
}

const rules = (docs: any[]) => new ManifestPolicy().check(docs).map(v => v.rule);

describe('each rule fails on what it forbids', () => {
  const container = (d: any) => d.spec.template.spec.containers[0];
  const cases: Array<[string, (d: any) => void, PolicyRule]> = [
    ['an image without a tag', d => { container(d).image = 'nginx'; }, PolicyRule.UNPINNED_IMAGE],
    ['an image tagged latest', d => { container(d).image = 'registry.example.com/web:latest'; }, PolicyRule.UNPINNED_IMAGE],
    ['no CPU request', d => { delete container(d).resources.requests.cpu; }, PolicyRule.MISSING_RESOURCES],
    ['no memory limit', d => { delete container(d).resources.limits; }, PolicyRule.MISSING_RESOURCES],
    ['runAsNonRoot missing', d => { d.spec.template.spec.securityContext = { seccompProfile: { type: 'RuntimeDefault' } }; }, PolicyRule.MAY_RUN_AS_ROOT],
    ['runAsUser 0', d => { container(d).securityContext.runAsUser = 0; }, PolicyRule.MAY_RUN_AS_ROOT],
    ['privilege escalation allowed', d => { delete container(d).securityContext.allowPrivilegeEscalation; }, PolicyRule.PRIVILEGE_ESCALATION],
    ['capabilities kept', d => { container(d).securityContext.capabilities = { drop: ['NET_RAW'] }; }, PolicyRule.CAPABILITIES],
    ['a capability added', d => { container(d).securityContext.capabilities.add = ['NET_ADMIN']; }, PolicyRule.CAPABILITIES],
    ['no seccomp profile', d => { delete d.spec.template.spec.securityContext.seccompProfile; }, PolicyRule.SECCOMP],
    ['seccomp Unconfined', d => { container(d).securityContext.seccompProfile = { type: 'Unconfined' }; }, PolicyRule.SECCOMP],
    ['a writable root filesystem', d => { delete container(d).securityContext.readOnlyRootFilesystem; }, PolicyRule.WRITABLE_ROOT_FILESYSTEM],
    ['no readiness probe', d => { delete container(d).readinessProbe; }, PolicyRule.MISSING_PROBES],
    ['no liveness probe', d => { delete container(d).livenessProbe; }, PolicyRule.MISSING_PROBES],
  ];

  test('the good Deployment passes', () => {
    expect(rules([goodDeployment()])).toEqual([]);
  });

  test.each(cases)('%s', (_name, breakIt, rule) => {
    const doc = goodDeployment();
    breakIt(doc);
    expect(rules([doc])).toEqual([rule]);
  });

  // kubernetes pkg/kubelet/kuberuntime/security_context_others.go (verifyRunAsNonRoot): without runAsUser the kubelet
  // reads the image's USER and refuses a name ("image has non-numeric user") or root ("image will run as root").
  test('runAsNonRoot without runAsUser: only an image recorded with a numeric non-zero USER passes', () => {
    const withImage = (image: string) => {
      const doc = goodDeployment();
      delete doc.spec.template.spec.securityContext.runAsUser;
      doc.spec.template.spec.containers[0].image = image;
      return doc;
    };
    expect(rules([withImage('quay.io/argoproj/workflow-controller:v4.0.6')])).toEqual([]); // USER 8737
    expect(rules([withImage('registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6')])).toEqual([]); // distroless nonroot
    const messages = (image: string, policy = new ManifestPolicy()) => policy.check([withImage(image)]).map(v => `${v.rule}: ${v.message}`);
    expect(messages('ghcr.io/kube-logging/logging-operator:6.7.0')).toEqual([expect.stringMatching(
      /^non-root-unverifiable: .* image "ghcr.io\/kube-logging\/logging-operator:6.7.0" runs as root \(no USER\) \(kube-logging\/logging-operator 6.7.0, Dockerfile/)]);
    expect(messages('docker.io/curlimages/curl:8.11.1')).toEqual([expect.stringMatching(/runs as "curl_user" .*set runAsUser \(and runAsGroup\) to a numeric non-zero uid \(100\)$/)]);
    expect(messages('acme/etl:1.0.0')).toEqual([expect.stringMatching(/the user of image "acme\/etl:1.0.0" is not recorded/)]);
    const own = new ManifestPolicy({ imageUsers: [{ image: 'acme/etl:1.0.0', user: '10001', uid: 10001, source: 'acme/etl Dockerfile: USER 10001' }] });
    expect(messages('acme/etl:1.0.0', own)).toEqual([]);
    // With a runAsUser the kubelet does not look at the image.
    const pinnedUser = withImage('acme/etl:1.0.0');
    pinnedUser.spec.template.spec.securityContext.runAsUser = 1000;
    expect(rules([pinnedUser])).toEqual([]);
  });

  test('an init container needs no probes, a Job none either; both need the rest', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'team' }, spec: { template: goodDeployment().spec.template } };
    delete job.spec.template.spec.containers[0].readinessProbe;
    delete job.spec.template.spec.containers[0].livenessProbe;
    expect(rules([job])).toEqual([]);
    job.spec.template.spec.containers[0].image = 'busybox';
    expect(rules([job])).toEqual([PolicyRule.UNPINNED_IMAGE]);
  });

  test('RBAC wildcards in verbs, resources or API groups', () => {
    const role = (rule: any) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'team' }, rules: [rule] });
    expect(rules([role({ apiGroups: [''], resources: ['pods'], verbs: ['get'] })])).toEqual([]);
    expect(rules([role({ apiGroups: [''], resources: ['pods'], verbs: ['*'] })])).toEqual([PolicyRule.RBAC_WILDCARD]);
    expect(rules([role({ apiGroups: [''], resources: ['*'], verbs: ['get'] })])).toEqual([PolicyRule.RBAC_WILDCARD]);
    expect(rules([role({ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] })])).toEqual([PolicyRule.RBAC_WILDCARD]);
    expect(rules([role({ apiGroups: [''], resources: ['pods/*'], verbs: ['get'] })])).toEqual([PolicyRule.RBAC_WILDCARD]);
  });

  test('cluster-wide writes need a reason in the allow-list; the same ClusterRole bound in one namespace does not', () => {
    const clusterRole = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'deployer' },
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }],
    };
    const subjects = [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ci' }];
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deployer' };
    const clusterBinding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'deployer' }, roleRef, subjects };
    const binding = { ...clusterBinding, kind: 'RoleBinding', metadata: { name: 'deployer', namespace: 'team' } };
    expect(rules([clusterRole, binding])).toEqual([]);
    const [violation] = new ManifestPolicy().check([clusterRole, clusterBinding]);
    expect(violation).toEqual({
      rule: PolicyRule.CLUSTER_WRITE,
      object: 'ClusterRole deployer',
      path: 'rules[0]',
      message: 'grants patch on apps/deployments in the whole cluster with no reason in the allow-list',
    });
    const allowed = new ManifestPolicy({ clusterWrites: [{ clusterRole: 'deployer', apiGroup: 'apps', resource: 'deployments', verbs: ['patch'], reason: 'CI rolls out every team\'s images' }] });
    expect(allowed.check([clusterRole, clusterBinding])).toEqual([]);
  });

  test('LoadBalancer and NodePort Services, unless asked for', () => {
    const service = (type: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'ui', namespace: 'team' }, spec: { type, ports: [{ port: 80 }] } });
    expect(rules([service('ClusterIP')])).toEqual([]);
    expect(rules([service('LoadBalancer')])).toEqual([PolicyRule.EXPOSED_SERVICE]);
    expect(rules([service('NodePort')])).toEqual([PolicyRule.EXPOSED_SERVICE]);
    expect(new ManifestPolicy({ exposedServices: ['team/ui'] }).check([service('LoadBalancer')])).toEqual([]);
  });

  test('Secret values in the manifest; an Argo CD repository declaration without credentials is not one', () => {
    const secret = (labels: any, stringData: any) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'argocd', labels }, stringData });
    expect(rules([secret({}, { password: 'hunter2' })])).toEqual([PolicyRule.INLINE_SECRET]);
    const repo = { 'argocd.argoproj.io/secret-type': 'repository' };
    expect(rules([secret(repo, { type: 'helm', url: 'ghcr.io/x', enableOCI: 'true', name: 'x' })])).toEqual([]);
    expect(rules([secret(repo, { type: 'git', url: 'https://github.com/x/y', password: 'ghp_x' })])).toEqual([PolicyRule.INLINE_SECRET]);
    expect(rules([{
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 't', namespace: 'team', annotations: { 'kubernetes.io/service-account.name': 'x' } },
      type: 'kubernetes.io/service-account-token',
    }])).toEqual([]);
  });

  test('Spark pods: the driver and executor of a SparkApplication, also inside a workflow step\'s manifest', () => {
    const app = {
      apiVersion: 'sparkoperator.k8s.io/v1beta2',
      kind: 'SparkApplication',
      metadata: { name: 'etl', namespace: 'team' },
      spec: { image: 'apache/spark:4.0.1', driver: { cores: 1, memory: '2g' }, executor: { cores: 2, memory: '4g' } },
    };
    const found = new ManifestPolicy().check([app]);
    expect([...new Set(found.map(v => v.path))]).toEqual(['spec.driver', 'spec.executor']);
    expect(found.map(v => v.rule)).not.toContain(PolicyRule.WRITABLE_ROOT_FILESYSTEM); // the documented exception
    expect(found.map(v => v.rule)).not.toContain(PolicyRule.MISSING_RESOURCES); // Spark sets memory request = limit
    const workflow = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: 'p', namespace: 'team' },
      spec: { templates: [{ name: 'etl', resource: { action: 'create', manifest: JSON.stringify(app) } }] },
    };
    expect(new ManifestPolicy().check([workflow]).map(v => v.rule)).toEqual(found.map(v => v.rule));
  });

  test('an exception must say why; it applies to its rule and kind only', () => {
    expect(() => new ManifestPolicy({ exceptions: [{ rule: PolicyRule.SECCOMP, kind: 'Deployment', reason: '' }] })).toThrow(/every exception must say why/);
    const doc = goodDeployment();
    delete doc.spec.template.spec.securityContext.seccompProfile;
    const policy = new ManifestPolicy({ exceptions: [{ rule: PolicyRule.SECCOMP, kind: 'Deployment', name: 'web', reason: 'a profile of our own, Localhost' }] });
    expect(policy.check([doc])).toEqual([]);
    expect(new ManifestPolicy({ exceptions: [{ rule: PolicyRule.SECCOMP, kind: 'Deployment', name: 'api', reason: 'another workload entirely' }] })
      .check([doc]).map(v => v.rule)).toEqual([PolicyRule.SECCOMP]);
    for (const exception of ManifestPolicy.PLATFORM_EXCEPTIONS) expect(exception.reason.length).toBeGreaterThan(60);
  });
});

// The upstream charts' defaults (../shared/charts/<chart>/values.yaml) with the library's values merged over
// them, as Helm merges them; every container the chart runs must get requests, a memory limit and a
// restricted security context.
function merged(defaults: any, values: any): any {
  if (Array.isArray(values) || typeof values !== 'object' || values === null) return values;
  const out = { ...(typeof defaults === 'object' && defaults ? defaults : {}) };
  for (const [k, v] of Object.entries(values)) out[k] = merged(out[k], v);
  return out;
}

const CHART_COMPONENTS: { [chart: string]: { components: string[]; securityContext: string } } = {
  'spark-operator': { components: ['controller', 'webhook'], securityContext: 'securityContext' },
  'argo-workflows': { components: ['controller', 'server', 'executor', 'mainContainer'], securityContext: 'securityContext' },
  'logging-operator': { components: [''], securityContext: 'securityContext' },
  'argo-cd': { components: ['controller', 'server', 'repoServer', 'applicationSet', 'notifications', 'redis', 'redisSecretInit'], securityContext: 'containerSecurityContext' },
};

function chartReleases(): Array<{ chart: string; values: any }> {
  const fromApplications = objectsOf(build('main.ts')).filter((d: any) => d.kind === 'Application' && d.spec.source.chart)
    .map((d: any) => ({ chart: d.spec.source.chart, values: d.spec.source.helm?.valuesObject ?? {} }));
  return [...fromApplications, ...cloudHelmReleases(build('aws.ts')), ...cloudHelmReleases(build('same-app.ts'))];
}

describe('the upstream charts the library installs meet the same bar where their values allow it', () => {
  const releases = chartReleases();

  test('the examples install every chart the bar covers', () => {
    expect([...new Set(releases.map(r => r.chart))].sort()).toEqual(Object.keys(CHART_COMPONENTS).sort());
  });

  test.each(releases.map(r => [r.chart, r] as const))('%s', (chart, release) => {
    const defaults = parse(fs.readFileSync(path.join(chartsDir(), chart, 'values.yaml'), 'utf-8'));
    const values = merged(defaults, release.values);
    const { components, securityContext } = CHART_COMPONENTS[chart];
    for (const component of components) {
      const c = component ? values[component] : values;
      const context = c[securityContext] ?? {};
      expect({ component, requests: c.resources?.requests, memoryLimit: c.resources?.limits?.memory !== undefined }).toEqual({
        component, requests: { cpu: expect.any(String), memory: expect.any(String) }, memoryLimit: true,
      });
      expect({ component, escalation: context.allowPrivilegeEscalation, drop: context.capabilities?.drop, readOnly: context.readOnlyRootFilesystem })
        .toEqual({ component, escalation: false, drop: ['ALL'], readOnly: true });
    }
  });
});
