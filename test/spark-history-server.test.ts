import { execFile, execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import {
  HistoryStore, PlatformBindings, S3AConnector, ServiceAccountIdentity, SparkHistoryServer, SparkHistoryServerProps, SparkOperator, SparkTeam,
  WorkloadIdentity,
} from '../lib';
import { job, workflowsFixture } from './fixtures/argo-workflows';
import { bindings, findObject, scalaJob, spotPool, systemPool, teamA } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

function render(props: Partial<SparkHistoryServerProps> = {}) {
  const chart = Testing.chart();
  const server = new SparkHistoryServer(chart, 'history', { nodePools: [systemPool, spotPool], bindings, ...props });
  return { chart, server, docs: synthValid(chart) };
}

const container = (docs: any[]) => findObject(docs, 'Deployment').spec.template.spec.containers[0];
const env = (docs: any[]) => Object.fromEntries(container(docs).env.map((e: any) => [e.name, e.value]));

describe('SparkHistoryServer', () => {
  test('renders a ServiceAccount with its role, a Deployment, a ClusterIP Service on 18080 and a PodDisruptionBudget; no Ingress', () => {
    const { docs } = render();
    expect(docs.map(d => `${d.kind}/${d.metadata.namespace}/${d.metadata.name}`).sort()).toEqual([
      'Deployment/spark-history/spark-history-server', 'Namespace/undefined/spark-history', 'PodDisruptionBudget/spark-history/spark-history-server',
      'PriorityClass/undefined/spark-driver', 'PriorityClass/undefined/spark-executor', 'PriorityClass/undefined/spark-platform-components',
      'Service/spark-history/spark-history-server', 'ServiceAccount/spark-history/spark-history-server',
    ]);
    expect(findObject(docs, 'ServiceAccount').metadata.annotations)
      .toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-spark-history-spark-history-server' });
    expect(findObject(docs, 'Service').spec).toEqual({
      type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'spark-history-server' }, ports: [{ name: 'http', port: 18080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(findObject(docs, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    // Its namespace before everything else (GitOps' NAMESPACES wave); the server meets the restricted profile.
    expect(findObject(docs, 'Namespace').metadata).toMatchObject({
      annotations: { 'argocd.argoproj.io/sync-wave': '-15' }, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
    expect(render({ createNamespace: false }).docs.some(d => d.kind === 'Namespace')).toBe(false);
  });

  // apache/spark sbin/spark-daemon.sh: with SPARK_NO_DAEMONIZE the server runs in the foreground; it still runs
  // `mkdir -p` on SPARK_LOG_DIR and SPARK_PID_DIR; the launcher reads SPARK_HISTORY_OPTS, SPARK_DAEMON_MEMORY and
  // SPARK_DAEMON_CLASSPATH (docs/monitoring.md).
  test('the start script in the foreground, settings in SPARK_HISTORY_OPTS, the connector on the daemon classpath', () => {
    const { docs, server } = render();
    expect(container(docs).command).toEqual(['/opt/spark/sbin/start-history-server.sh']);
    expect(container(docs).image).toBe('apache/spark:4.0.3-scala');
    const vars = env(docs);
    expect(vars).toMatchObject({
      SPARK_NO_DAEMONIZE: 'true',
      SPARK_DAEMON_MEMORY: '1536m',
      SPARK_DAEMON_CLASSPATH: '/opt/spark/extra-jars/*',
      SPARK_LOG_DIR: '/tmp/logs',
      SPARK_PID_DIR: '/tmp',
    });
    expect(vars.SPARK_HISTORY_OPTS.split(' ').sort()).toEqual(Object.entries(server.settings).map(([k, v]) => `-D${k}=${v}`).sort());
    expect(server.settings).toEqual({
      'spark.history.fs.logDirectory': 's3a://acme-spark-platform/spark/event-logs',
      'spark.history.fs.update.interval': '30s',
      'spark.history.fs.cleaner.enabled': 'true',
      'spark.history.fs.cleaner.interval': '86400s',
      'spark.history.fs.cleaner.maxAge': '2592000s',
      'spark.history.store.path': '/var/lib/spark-history',
      'spark.history.ui.port': '18080',
      'spark.hadoop.fs.s3a.aws.credentials.provider': 'software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider',
      'spark.hadoop.fs.s3a.endpoint.region': 'eu-west-1',
    });
  });

  test('the credential provider and the connector follow the image\'s Hadoop (the jobs\' rule, in one place)', () => {
    const spark35 = render({ sparkVersion: '3.5.8' });
    expect(spark35.server.settings['spark.hadoop.fs.s3a.aws.credentials.provider']).toBe('com.amazonaws.auth.WebIdentityTokenCredentialsProvider');
    const script = findObject(spark35.docs, 'Deployment').spec.template.spec.initContainers[0].command[2];
    expect(script).toContain('https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar');
    expect(script).toContain('https://repo1.maven.org/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar');
    const spark40 = findObject(render().docs, 'Deployment').spec.template.spec.initContainers[0].command[2];
    expect(spark40).toContain('/org/apache/hadoop/hadoop-aws/3.4.1/hadoop-aws-3.4.1.jar');
    expect(spark40).toContain('/software/amazon/awssdk/bundle/2.24.6/bundle-2.24.6.jar');
    // EKS Pod Identity: the SDK v2 container provider; Spark 3.5's SDK v1 cannot use it.
    const podIdentity = new ServiceAccountIdentity({ namespace: 'spark-history', name: 'spark-history-server', identity: WorkloadIdentity.POD_IDENTITY });
    expect(render({ serviceAccount: podIdentity }).server.settings['spark.hadoop.fs.s3a.aws.credentials.provider'])
      .toBe('software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider');
    expect(() => render({ serviceAccount: podIdentity, sparkVersion: '3.5.8' })).toThrow(/invalid prop "hadoopVersion" "3.3.4": uses AWS SDK v1, which cannot get credentials from EKS Pod Identity/);
  });

  test('hardened: uid/gid 185, non-root, no escalation, no capabilities, RuntimeDefault, read-only root with writable volumes', () => {
    const { docs } = render();
    const pod = findObject(docs, 'Deployment').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 185, runAsGroup: 185, fsGroup: 185, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true });
      expect(c.resources.limits.memory).toBeDefined();
    }
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'store', mountPath: '/var/lib/spark-history' },
      { name: 'jars', mountPath: '/opt/spark/extra-jars', readOnly: true },
    ]);
    expect(pod.volumes.map((v: any) => Object.keys(v).filter(k => k !== 'name')[0])).toEqual(['emptyDir', 'emptyDir', 'emptyDir']);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '2048Mi' }, limits: { memory: '2048Mi' } });
    expect(pod.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'system' });
  });

  test('probes on the REST API, a startup probe for long first parses', () => {
    const probes = container(render().docs);
    for (const probe of [probes.startupProbe, probes.readinessProbe, probes.livenessProbe]) {
      expect(probe.httpGet).toEqual({ path: '/api/v1/version', port: 'http' });
    }
    expect(probes.startupProbe.failureThreshold * probes.startupProbe.periodSeconds).toBe(600);
    expect(probes.ports).toEqual([{ name: 'http', containerPort: 18080, protocol: 'TCP' }]);
  });

  test('a persistent store: a ReadWriteOnce claim, replaced rather than rolled', () => {
    const { docs } = render({ store: HistoryStore.persistentVolume({ size: Size.gibibytes(50), storageClassName: 'gp3' }) });
    expect(findObject(docs, 'PersistentVolumeClaim').spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '51200Mi' } } });
    const deployment = findObject(docs, 'Deployment');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deployment.spec.template.spec.volumes.find((v: any) => v.name === 'store')).toEqual({ name: 'store', persistentVolumeClaim: { claimName: 'spark-history-server-store' } });
  });

  test('an image with the connector: no init container, no extra classpath', () => {
    const { docs } = render({ image: 'acme/spark-history:4.0.3-s3a', s3aConnector: S3AConnector.inImage() });
    expect(findObject(docs, 'Deployment').spec.template.spec.initContainers).toBeUndefined();
    expect(env(docs).SPARK_DAEMON_CLASSPATH).toBeUndefined();
  });

  test('an optional Ingress (the UI has no authentication: docs say what to put in front)', () => {
    const { docs } = render({ ingress: { host: 'spark-history.acme.internal', ingressClassName: 'alb', tlsSecretName: 'spark-history-tls' } });
    expect(findObject(docs, 'Ingress').spec).toEqual({
      ingressClassName: 'alb',
      tls: [{ hosts: ['spark-history.acme.internal'], secretName: 'spark-history-tls' }],
      rules: [{ host: 'spark-history.acme.internal', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'spark-history-server', port: { name: 'http' } } } }] } }],
    });
  });
});

describe('SparkHistoryServer: one event-log location, one cleaner', () => {
  test('jobs, scheduled jobs and pipeline steps write where the server reads', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    namespace.addJob('etl', job());
    namespace.addScheduledJob('nightly', { ...scalaJob, schedule: '@daily' });
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job());
    new SparkHistoryServer(chart, 'history', { nodePools: [systemPool], bindings });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('a job writing elsewhere fails the synth, naming both', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    namespace.addJob('rogue', job({ sparkConf: { 'spark.eventLog.dir': 's3a://other-bucket/logs' } }));
    workflows.addPipeline(namespace, 'p').addSparkStep('step', job({ sparkConf: { 'spark.eventLog.dir': 'file:/tmp/events' } }));
    new SparkHistoryServer(chart, 'history', { nodePools: [systemPool], bindings });
    expect(() => Testing.synth(chart)).toThrow(/team-a\/rogue: writes its event logs to s3a:\/\/other-bucket\/logs, but the history server test\/history reads s3a:\/\/acme-spark-platform\/spark\/event-logs/);
    expect(() => Testing.synth(chart)).toThrow(/team-a\/p\/step: writes its event logs to file:\/tmp\/events/);
  });

  test('a job with event logs off is not a writer', () => {
    const { chart, namespace } = workflowsFixture();
    namespace.addJob('quiet', job({ eventLogs: false }));
    new SparkHistoryServer(chart, 'history', { nodePools: [systemPool], bindings });
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('the cleaner agrees with the delete the AWS side grants (PlatformBindings.historyServerCleaner), both ways', () => {
    const noDelete = new PlatformBindings({ accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark-platform', historyServerCleaner: false });
    const a = Testing.chart();
    new SparkHistoryServer(a, 'history', { nodePools: [systemPool], bindings: noDelete });
    expect(() => Testing.synth(a)).toThrow(/history: the cleaner is on, but the AWS side does not let the history server delete event logs/);
    const b = Testing.chart();
    new SparkHistoryServer(b, 'history', { nodePools: [systemPool], bindings, cleaner: { enabled: false } });
    expect(() => Testing.synth(b)).toThrow(/history: the cleaner is off, but the AWS side lets the history server delete event logs/);
    const c = Testing.chart();
    new SparkHistoryServer(c, 'history', { nodePools: [systemPool], bindings: noDelete, cleaner: { enabled: false } });
    expect(() => Testing.synth(c)).not.toThrow();
  });
});

describe('SparkHistoryServer rejects bad input', () => {
  test.each([
    ['a cleaner max age of no whole second', { cleaner: { maxAge: Duration.seconds(0) } }, /invalid prop "cleaner.maxAge" 0: must be a whole number of seconds, at least 1/],
    ['a cleaner interval of no whole second', { cleaner: { interval: Duration.seconds(0) } }, /invalid prop "cleaner.interval" 0/],
    ['an update interval of no whole second', { updateInterval: Duration.seconds(0) }, /invalid prop "updateInterval" 0/],
    ['a privileged port a non-root process cannot bind', { port: 80 }, /invalid prop "port" 80: must be an integer between 1024 and 65535/],
    ['two replicas on one ReadWriteOnce store', { replicas: 2, store: HistoryStore.persistentVolume() }, /invalid prop "replicas" 2: must be 1 with a persistent store/],
    ['an image without a pinned tag', { image: 'apache/spark' }, /invalid prop "image" "apache\/spark": must pin a tag/],
    ['a latest image', { image: 'apache/spark:latest' }, /invalid prop "image" "apache\/spark:latest"/],
    ['a Spark version whose connector the S3A table does not know', { sparkVersion: '4.1.2' }, /invalid prop "hadoopVersion" "3.4.2": is the image's Hadoop \(from sparkVersion, or given\), whose AWS SDK the library does not know/],
    ['a Spark version the library does not know', { sparkVersion: '2.4.8' }, /invalid prop "sparkVersion" "2.4.8"/],
    ['too little memory', { memory: Size.mebibytes(256) }, /invalid prop "memory" 256: must be an integer >= 512/],
    ['an ingress host that is not a host name', { ingress: { host: 'https://history' } }, /invalid prop "ingress.host" "https:\/\/history"/],
  ])('%s', (_what, props, error) => {
    expect(() => render(props as any)).toThrow(error);
  });

  test('a connector download that could not be verified fails where it is described', () => {
    expect(() => S3AConnector.fromMavenRepository({ hadoopAwsSha256: 'abc' }))
      .toThrow('S3AConnector.fromMavenRepository: invalid prop "hadoopAwsSha256" "abc": must be a SHA-256 digest');
    expect(() => S3AConnector.fromMavenRepository({ repositoryUrl: 'http://nexus' }))
      .toThrow('S3AConnector.fromMavenRepository: invalid prop "repositoryUrl" "http://nexus": must be an https URL');
  });

  test('Spark 4.1 works with the SDK version given', () => {
    const { docs } = render({ sparkVersion: '4.1.2', s3aConnector: S3AConnector.fromMavenRepository({ awsSdkVersion: '2.29.52' }) });
    expect(findObject(docs, 'Deployment').spec.template.spec.initContainers[0].command[2]).toContain('/software/amazon/awssdk/bundle/2.29.52/bundle-2.29.52.jar');
  });
});

// The init container's script, run for real against a Maven-like repository on loopback: it must refuse a jar
// that does not match its checksum, so the server never starts with a corrupt connector.
describe('the S3A connector init script', () => {
  const jarContent = Buffer.from('PK\u0003\u0004 fake hadoop-aws jar');
  const sdkContent = Buffer.from('PK\u0003\u0004 fake sdk bundle jar');
  const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  async function withRepository(files: { [path: string]: Buffer | string }, run: (url: string) => Promise<void>): Promise<void> {
    const server = http.createServer((req, res) => {
      const body = files[req.url ?? ''];
      if (body === undefined) { res.writeHead(404); res.end(); return; }
      res.writeHead(200); res.end(body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      await run(`http://127.0.0.1:${(server.address() as any).port}/maven2`);
    } finally {
      server.close();
    }
  }

  // Run asynchronously: the repository is served by this very process.
  function runScript(repositoryUrl: string, options: { hadoopAwsSha256?: string } = {}): Promise<{ status: number; dir: string; output: string }> {
    // The library only accepts https repositories; the test swaps the scheme of the rendered URLs for its loopback server.
    const jars = S3AConnector.fromMavenRepository({ repositoryUrl: 'https://repo.example/maven2', ...options })._jars(Testing.chart(), '3.3.4')
      .map(jar => ({ ...jar, url: jar.url.replace('https://repo.example/maven2', repositoryUrl) }));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3a-'));
    return new Promise(resolve => {
      execFile('/bin/sh', ['-c', `${S3AConnector._fetchScript(jars).replace(/wget /g, 'wget --tries=1 --timeout=5 ')}`], { cwd: dir, env: { ...process.env, HOME: dir } },
        (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, dir, output: `${stdout}${stderr}` }));
    });
  }

  const files = (jar: Buffer, jarSha1: string) => ({
    '/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar': jar,
    '/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar.sha1': jarSha1,
    '/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar': sdkContent,
    '/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar.sha1': `${sha1(sdkContent)}  aws-java-sdk-bundle-1.12.262.jar\n`,
  });

  test('fetches both jars and checks them against the published .sha1', async () => {
    // The apache/spark images have wget and coreutils (apache/spark-docker Dockerfile: apt-get install wget); so does CI.
    expect(execFileSync('sh', ['-c', 'for c in wget sha1sum sha256sum cut; do command -v $c; done']).toString().trim().split('\n')).toHaveLength(4);
    await withRepository(files(jarContent, sha1(jarContent)), async url => {
      const { status, dir, output } = await runScript(url);
      expect({ status, output }).toMatchObject({ status: 0 });
      expect(fs.readdirSync(dir).filter(f => f.endsWith('.jar')).sort()).toEqual(['aws-java-sdk-bundle-1.12.262.jar', 'hadoop-aws-3.3.4.jar']);
      expect(fs.readFileSync(path.join(dir, 'hadoop-aws-3.3.4.jar'))).toEqual(jarContent);
    });
  });

  test('a corrupt or tampered jar stops the init container', async () => {
    await withRepository(files(Buffer.from('tampered'), sha1(jarContent)), async url => {
      const { status, output } = await runScript(url);
      expect(status).not.toBe(0);
      expect(output).toMatch(/FAILED/);
    });
  });

  test('a pinned SHA-256 is checked instead of the published file', async () => {
    await withRepository(files(jarContent, 'not-even-a-checksum'), async url => {
      expect((await runScript(url, { hadoopAwsSha256: sha256(jarContent) })).status).toBe(0);
      expect((await runScript(url, { hadoopAwsSha256: sha256(Buffer.from('other')) })).status).not.toBe(0);
    });
  });

  test('a missing jar stops it too', async () => {
    await withRepository({}, async url => {
      expect((await runScript(url)).status).not.toBe(0);
    });
  });
});

describe('SparkHistoryServer in an app with a Spark Operator', () => {
  test('every object passes the harness next to the jobs', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings });
    operator.addTeam(teamA).addJob('etl', job());
    operator.addTeam(new SparkTeam({ name: 'team-z' }));
    new SparkHistoryServer(chart, 'history', { nodePools: [systemPool], bindings });
    expect(synthValid(chart).filter(d => d.kind === 'Deployment')).toHaveLength(1);
  });
});
