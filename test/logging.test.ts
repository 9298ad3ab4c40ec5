import { Chart, Size, Testing } from 'cdk8s';
import { TaintEffect } from 'cdk8s-plus-33';
import {
  BufferOverflowAction, CapacityType, FluentBitAgent, InstanceType, JobNamespace, LogIndex, LogStore, Logging, LoggingOperator, LoggingProps,
  NodePool, NodeTaints, Placement, SparkLogFormat, SparkLogLayout, SparkOperator, SparkTeam, SynthWarnings,
} from '../lib';
import { bindings, findObject, spotPool, systemPool, teamA } from './fixtures/spark-platform';
import { expectValuesExistInChart } from './validation/chart-values';
import { synthValid } from './validation/harness';

// A pool with two taints and one with a value-less taint: the agent must tolerate every one of them.
const gpuPool = new NodePool({
  name: 'spark-gpu',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['g5.2xlarge'],
  describedInstanceTypes: [InstanceType.describe({ name: 'g5.2xlarge', vcpus: 8, memory: Size.gibibytes(32), maxPods: 58, localNvme: Size.gibibytes(450) })],
  taints: [
    { key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE },
    { key: 'nvidia.com/gpu', effect: TaintEffect.NO_SCHEDULE },
  ],
});
const pools = [systemPool, spotPool, gpuPool];
const teamB = new SparkTeam({ name: 'team-b', costCenter: 'cc-2001' });
const es = { host: 'logs.acme.internal', password: { secretName: 'es-credentials', key: 'password' }, user: 'fluentd' };

interface LoggingFixture {
  readonly chart: Chart;
  readonly operator: LoggingOperator;
  readonly logging: Logging;
  readonly teamA: JobNamespace;
  readonly teamB: JobNamespace;
}

function fixture(props: Partial<LoggingProps> = {}): LoggingFixture {
  const chart = Testing.chart();
  const spark = new SparkOperator(chart, 'spark-operator', { nodePools: [systemPool, spotPool], bindings });
  const a = spark.addTeam(teamA);
  const b = spark.addTeam(teamB);
  const operator = new LoggingOperator(chart, 'logging-operator', { nodePools: pools });
  const logging = new Logging(chart, 'logging', { operator, ...props });
  return { chart, operator, logging, teamA: a, teamB: b };
}

function withTeamFlows(f: LoggingFixture): void {
  const platform = f.logging.addClusterOutput('platform-es', es);
  f.logging.addTeamFlow(f.teamA, { outputs: [f.logging.addTeamOutput(f.teamA, 'es', es), platform] });
  f.logging.addTeamFlow(f.teamB, { outputs: [platform] });
}

const loggingDocs = (docs: any[]) => docs.filter(d => d.apiVersion === 'logging.banzaicloud.io/v1beta1');

describe('LoggingOperator', () => {
  // kube-logging/logging-operator 6.7.0 is published as an OCI chart only (charts/logging-operator).
  test('the pinned OCI chart with typed values that exist in the upstream values.yaml', () => {
    const chart = Testing.chart();
    const operator = new LoggingOperator(chart, 'logging-operator', { nodePools: pools });
    expect(operator.release.repository).toBe('oci://ghcr.io/kube-logging/helm-charts');
    expect(operator.release.ociChartReference).toBe('oci://ghcr.io/kube-logging/helm-charts/logging-operator');
    expect(operator.release.chartVersion).toBe('6.7.0');
    const values = operator.release.values;
    expect(values.image).toEqual({ tag: '6.7.0' });
    expect(values.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'system' });
    expect(values.logging).toEqual({ enabled: false });
    expectValuesExistInChart('logging-operator', values);
  });

  test('never on spot; a duplicated pool name is an error', () => {
    const chart = Testing.chart();
    expect(() => new LoggingOperator(chart, 'a', { nodePools: pools, placement: Placement.onPool(spotPool) }))
      .toThrow('a: invalid prop "placement" "spark-spot": is a spot pool: the logging-operator must run on on-demand capacity');
    expect(() => new LoggingOperator(chart, 'b', { nodePools: [systemPool, systemPool] })).toThrow('b: invalid prop "nodePools" "system": lists two pools with this name');
    expect(() => new LoggingOperator(chart, 'c', { nodePools: pools, namespace: 'Logging' })).toThrow('c: invalid prop "namespace" "Logging"');
  });
});

describe('Logging', () => {
  test('every object passes the strict harness against the pinned logging-operator CRDs', () => {
    const f = fixture();
    withTeamFlows(f);
    f.logging.addPlatformFlow({ namespaces: ['spark-operator', 'argo'], outputs: [f.logging.addClusterOutput('platform-os', { ...es, store: LogStore.OPENSEARCH, port: 443 })] });
    const docs = synthValid(f.chart);
    expect(loggingDocs(docs).map(d => `${d.kind}/${d.metadata.namespace ?? ''}/${d.metadata.name}`).sort()).toEqual([
      'ClusterFlow/logging/platform', 'ClusterOutput/logging/platform-es', 'ClusterOutput/logging/platform-os', 'Flow/team-a/spark-jobs', 'Flow/team-b/spark-jobs',
      'FluentbitAgent//spark-platform', 'Logging//spark-platform', 'Output/team-a/es',
    ]);
    // Custom resources: after their CRDs, and no dry-run failure while the CRDs are missing.
    for (const doc of loggingDocs(docs)) {
      expect(doc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '10', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' });
    }
  });

  // logging_types.go: controlNamespace is required and immutable; fluentd_types.go: the buffer volume is
  // bufferStorageVolume.pvc.spec (fluentdPvcSpec is an error now), fluentd runs as 100:101.
  test('fluentd: pinned image, buffer on a persistent volume per replica, requests and limits, on the on-demand pool', () => {
    const { chart } = fixture({ fluentd: { bufferStorageClassName: 'gp3', bufferVolumeSize: Size.gibibytes(50) } });
    const spec = findObject(synthValid(chart), 'Logging').spec;
    expect(spec.controlNamespace).toBe('logging');
    expect(spec.fluentd.image).toEqual({ repository: 'ghcr.io/kube-logging/logging-operator/fluentd', tag: '6.7.0-full' });
    expect(spec.fluentd.bufferStorageVolume).toEqual({
      pvc: { spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '50Gi' } }, storageClassName: 'gp3' } },
    });
    expect(spec.fluentd.fluentdPvcSpec).toBeUndefined();
    expect(spec.fluentd.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { memory: '1024Mi' } });
    expect(spec.fluentd.scaling).toEqual({ replicas: 2, drain: { enabled: true } });
    expect(spec.fluentd.pdb).toEqual({ minAvailable: 1 });
    expect(spec.fluentd.nodeSelector).toEqual({ 'spark-platform.io/node-pool': 'system' });
    expect(spec.fluentd.tolerations).toEqual([]);
    expect(spec.fluentd.security.podSecurityContext).toMatchObject({ runAsUser: 100, runAsGroup: 101, fsGroup: 101, runAsNonRoot: true });
    expect(spec.fluentd.security.securityContext).toMatchObject({ runAsUser: 100, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    // One Logging per cluster, bound to its agent, flows and outputs by the same (empty) loggingRef.
    expect(spec.loggingRef).toBeUndefined();
    // The inline fluentbit spec is deprecated and errors once a FluentbitAgent exists (logging_controller.go).
    expect(spec.fluentbit).toBeUndefined();
  });

  test('fluentd never on spot; images pinned by tag', () => {
    expect(() => fixture({ fluentd: { placement: Placement.onPool(spotPool) } })).toThrow('logging: invalid prop "placement" "spark-spot": is a spot pool: fluentd must run on on-demand capacity');
    expect(() => fixture({ fluentd: { image: 'ghcr.io/kube-logging/logging-operator/fluentd:latest' } }))
      .toThrow('logging: invalid prop "fluentd.image" "ghcr.io/kube-logging/logging-operator/fluentd:latest": must pin a tag other than "latest" or a digest');
    expect(() => fixture({ fluentBit: { image: `ghcr.io/fluent/fluent-bit@sha256:${'a'.repeat(64)}` } }))
      .toThrow('must pin a tag, not a digest: the operator takes the image as repository and tag');
    expect(() => fixture({ fluentd: { replicas: 0 } })).toThrow('logging: invalid prop "fluentd.replicas" 0');
  });

  test('fluent-bit tolerates exactly the taints of every NodePool, keeps read positions on the node, pinned image', () => {
    const { chart, logging } = fixture();
    const agent = findObject(synthValid(chart), 'FluentbitAgent');
    const tolerations = pools.flatMap(p => p.taints).map(NodeTaints.toleration);
    expect(agent.spec.tolerations).toEqual([...new Map(tolerations.map(t => [JSON.stringify(t), t])).values()]);
    expect(agent.spec.tolerations).toEqual([
      { key: 'spark-platform.io/capacity', operator: 'Equal', value: 'spot', effect: 'NoSchedule' },
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    // Every pool's nodes: every taint is tolerated.
    for (const pool of pools) {
      for (const taint of pool.taints) expect(agent.spec.tolerations).toContainEqual(NodeTaints.toleration(taint));
    }
    // No node selection: a DaemonSet on every node.
    expect(agent.spec.nodeSelector).toBeUndefined();
    expect(agent.spec.affinity).toBeUndefined();
    expect(agent.spec.image).toEqual({ repository: 'ghcr.io/fluent/fluent-bit', tag: '5.0.5' });
    expect(FluentBitAgent.DEFAULT_IMAGE).toBe('ghcr.io/fluent/fluent-bit:5.0.5');
    // A hostPath survives pod restarts (common_types.go HostPath "/opt/logging-operator/%s/%s").
    expect(agent.spec.positiondb).toEqual({ hostPath: { path: '/opt/logging-operator/spark-platform/positiondb' } });
    expect(logging.fluentBit.positionDbPath).toBe('/opt/logging-operator/spark-platform/positiondb');
    expect(agent.spec.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '256Mi' } });
  });

  test('probes: the operator renders them from what the library sets', () => {
    const docs = synthValid(fixture().chart);
    // fluentd: livenessDefaultCheck makes the operator add an exec probe (/bin/healthy.sh), and readinessDefaultCheck
    // a buffer free-space and file-count probe (logging-operator pkg/sdk/logging/api/v1beta1/fluentd_types.go
    // SetDefaults; pkg/resources/fluentd/statefulset.go generateReadinessCheck).
    const fluentd = findObject(docs, 'Logging').spec.fluentd;
    expect([fluentd.livenessDefaultCheck, fluentd.readinessDefaultCheck]).toEqual([true, { bufferFreeSpace: true, bufferFileNumber: true }]);
    // fluent-bit: livenessDefaultCheck turns on its HTTP server on 2020 and probes "/" (logging_types.go SetDefaults:
    // Metrics{Port: 2020, Path: "/"}); the readiness probe is the library's, on the same server.
    const agent = findObject(docs, 'FluentbitAgent').spec;
    expect(agent.livenessDefaultCheck).toBe(true);
    expect(agent.readinessProbe).toEqual({ httpGet: { path: '/', port: FluentBitAgent.HTTP_PORT }, periodSeconds: 10 });
    expect(FluentBitAgent.HTTP_PORT).toBe(2020);
  });

  test('fluent-bit reads root-owned log files as uid 0 with nothing else: no capability, no escalation, read-only root', () => {
    // The kubelet writes container logs as root with mode 0640 (pkg/kubelet/kuberuntime/kuberuntime_container.go):
    // the owner needs no capability to read them.
    const security = findObject(synthValid(fixture().chart), 'FluentbitAgent').spec.security;
    expect(security).toEqual({
      podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
      // kube-logging/logging-operator 6.7.0 pkg/resources/fluentbit/daemonset.go sets the pod's seccomp profile from
      // the container's security context: without it there, the pod's RuntimeDefault is dropped.
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, seccompProfile: { type: 'RuntimeDefault' } },
    });
  });
});

describe('LogOutput', () => {
  test('Elasticsearch over verified https, password from a Secret, daily index per team, blocking buffer', () => {
    const f = fixture();
    f.logging.addTeamFlow(f.teamA, { outputs: [f.logging.addTeamOutput(f.teamA, 'es', es)] });
    f.logging.addTeamFlow(f.teamB, { outputs: [f.logging.addTeamOutput(f.teamB, 'es', { ...es, index: LogIndex.named('team-b-spark') })] });
    const docs = synthValid(f.chart);
    const output = docs.find(d => d.kind === 'Output' && d.metadata.namespace === 'team-a');
    expect(output.spec.elasticsearch).toEqual({
      host: 'logs.acme.internal',
      port: 9200,
      scheme: 'https',
      ssl_verify: true,
      logstash_format: true,
      logstash_prefix: 'spark-team-a',
      user: 'fluentd',
      password: { valueFrom: { secretKeyRef: { name: 'es-credentials', key: 'password' } } },
      buffer: {
        type: 'file',
        flush_mode: 'interval',
        flush_interval: '10s',
        flush_thread_count: 2,
        timekey: '1m',
        timekey_wait: '30s',
        timekey_use_utc: true,
        chunk_limit_size: '8MB',
        total_limit_size: '2048MB',
        retry_type: 'exponential_backoff',
        retry_wait: '10s',
        retry_max_interval: '300s',
        retry_forever: true,
        overflow_action: 'block',
      },
    });
    const named = docs.find(d => d.kind === 'Output' && d.metadata.namespace === 'team-b');
    expect(named.spec.elasticsearch.index_name).toBe('team-b-spark');
    expect(named.spec.elasticsearch.logstash_format).toBeUndefined();
  });

  test('OpenSearch, buffer settings and the escape hatch', () => {
    const f = fixture();
    const output = f.logging.addClusterOutput('os', {
      ...es,
      store: LogStore.OPENSEARCH,
      port: 443,
      buffer: { chunkLimit: Size.mebibytes(16), totalLimit: Size.gibibytes(4), overflowAction: BufferOverflowAction.DROP_OLDEST_CHUNK },
      extraSettings: { suppress_type_name: true },
    });
    f.logging.addTeamFlow(f.teamA, { outputs: [output] });
    f.logging.addTeamFlow(f.teamB, { outputs: [output] });
    const spec = findObject(synthValid(f.chart), 'ClusterOutput').spec;
    expect(spec.elasticsearch).toBeUndefined();
    expect(spec.opensearch).toMatchObject({ port: 443, scheme: 'https', ssl_verify: true, logstash_prefix: 'spark-platform', suppress_type_name: true });
    expect(spec.opensearch.buffer).toMatchObject({ chunk_limit_size: '16MB', total_limit_size: '4096MB', overflow_action: 'drop_oldest_chunk' });
  });

  test('bad input fails with the path, the prop, the value and what is allowed', () => {
    const { logging, teamA: a } = fixture();
    const add = (id: string, options: any) => () => logging.addTeamOutput(a, id, { ...es, ...options });
    expect(add('inline', { password: 's3cret' })).toThrow('logging/team-a-inline: invalid prop "password" "s3cret": must be an object (SecretKeyReference)');
    expect(add('inline2', { extraSettings: { password: 's3cret' } }))
      .toThrow('logging/team-a-inline2: invalid prop "extraSettings.password" "<redacted>": is never inline: give password as a Secret reference');
    expect(add('host', { host: 'https://logs.acme.internal:9200' }))
      .toThrow('logging/team-a-host: invalid prop "host" "https://logs.acme.internal:9200": must be a host name such as "logs.acme.internal" (no scheme, no port, no path)');
    expect(add('http', { scheme: 'http' }))
      .toThrow('logging/team-a-http: invalid prop "scheme" "http": sends logs and credentials in clear: use https, or say so with allowInsecure: true');
    expect(add('tls', { verifyTls: false }))
      .toThrow('logging/team-a-tls: invalid prop "verifyTls" false: lets anyone on the path impersonate the log store: keep it on, or say so with allowInsecure: true');
    expect(add('ftp', { scheme: 'ftp' })).toThrow('logging/team-a-ftp: invalid prop "scheme" "ftp": allowed: https, http');
    expect(add('port', { port: 70000 })).toThrow('logging/team-a-port: invalid prop "port" 70000');
    expect(add('hatch', { extraSettings: { ssl_verify: false } })).toThrow('logging/team-a-hatch: invalid prop "extraSettings.ssl_verify" false: is a typed prop: give verifyTls instead');
    // The explicit opt-in.
    expect(add('insecure', { scheme: 'http', verifyTls: false, allowInsecure: true })().apiObject.toJson().spec.elasticsearch)
      .toMatchObject({ scheme: 'http', ssl_verify: false });
  });

  // Elasticsearch MetadataCreateIndexService.validateIndexOrAliasName.
  test.each([
    ['Spark-Logs', 'must be lower case'],
    ['_spark', 'must not start with "_", "-" or "+"'],
    ['-spark', 'must not start with "_", "-" or "+"'],
    ['+spark', 'must not start with "_", "-" or "+"'],
    ['spark logs', 'must not contain " "'],
    ['spark#1', 'must not contain "#"'],
    ['spark:1', 'must not contain ":"'],
    ['spark*', 'must not contain "*"'],
    ['..', 'must not be "." or ".."'],
    ['a'.repeat(256), 'must be at most 255 bytes (has 256)'],
    ['é'.repeat(128), 'must be at most 255 bytes (has 256)'],
  ])('an index name Elasticsearch rejects fails: %s', (name, problem) => {
    const { logging, teamA: a } = fixture();
    expect(() => logging.addTeamOutput(a, 'es', { ...es, index: LogIndex.named(name) }))
      .toThrow(`logging/team-a-es: invalid prop "index" ${JSON.stringify(name)}: ${problem}`);
    expect(() => logging.addClusterOutput('es', { ...es, index: LogIndex.daily(name) })).toThrow(`logging/es: invalid prop "index (daily prefix)" ${JSON.stringify(name)}: ${problem}`);
  });

  test('index names Elasticsearch accepts', () => {
    const { logging, teamA: a } = fixture();
    for (const name of ['spark', 'spark-team-a', 'spark_logs.v2', 'a'.repeat(255), 'ñ-spark']) {
      expect(() => logging.addTeamOutput(a, `ok-${name.length}-${name.charCodeAt(0)}`, { ...es, index: LogIndex.named(name) })).not.toThrow();
    }
  });
});

describe('team flows', () => {
  test('select the Spark Operator\'s driver and executor pods; local and global output references', () => {
    const f = fixture();
    withTeamFlows(f);
    const docs = synthValid(f.chart);
    const flowA = docs.find(d => d.kind === 'Flow' && d.metadata.namespace === 'team-a');
    // internal/controller/sparkapplication/submission.go labels drivers and executors with
    // sparkoperator.k8s.io/launched-by-spark-operator=true (pkg/common/spark.go LabelLaunchedBySparkOperator).
    expect(flowA.spec.match).toEqual([{ select: { labels: { 'sparkoperator.k8s.io/launched-by-spark-operator': 'true' } } }]);
    expect(flowA.spec.localOutputRefs).toEqual(['es']);
    expect(flowA.spec.globalOutputRefs).toEqual(['platform-es']);
    const flowB = docs.find(d => d.kind === 'Flow' && d.metadata.namespace === 'team-b');
    expect(flowB.spec.localOutputRefs).toBeUndefined();
    expect(flowB.spec.globalOutputRefs).toEqual(['platform-es']);
  });

  test('filters: exceptions joined, the Spark layout parsed, pod fields added, keys dedotted; then the team\'s own', () => {
    const f = fixture();
    const out = f.logging.addTeamOutput(f.teamA, 'es', es);
    f.logging.addTeamFlow(f.teamA, { outputs: [out], extraFilters: [{ grep: { exclude: [{ key: 'level', pattern: '/DEBUG/' }] } }] });
    f.logging.addTeamFlow(f.teamB, { outputs: [f.logging.addTeamOutput(f.teamB, 'es', es)] });
    const filters = synthValid(f.chart).find(d => d.kind === 'Flow' && d.metadata.namespace === 'team-a').spec.filters;
    expect(filters.map((x: any) => Object.keys(x)[0])).toEqual(['detectExceptions', 'parser', 'parser', 'record_transformer', 'dedot', 'grep']);
    // First: the plugin re-emits what it joins into the flow's own label, through every filter before it again
    // (fluentd agent.rb context_router; logging-operator model/filter/detect_exceptions.go renders a <match>).
    expect(filters[0].detectExceptions).toEqual({ languages: ['java', 'python'], message: 'log', multiline_flush_interval: '5', force_line_breaks: true });
    // The platform's JSON layout, then Spark's text layout; a line that is neither passes on (reserve_data).
    expect(filters[1].parser.parse).toEqual({ type: 'json', time_key: 'time', time_format: SparkLogLayout.TIME_FORMAT });
    expect(filters[2].parser.parse).toEqual({ type: 'regexp', expression: SparkLogFormat.PARSER_EXPRESSION, time_key: 'time', time_format: '%y/%m/%d %H:%M:%S' });
    for (const { parser } of filters.slice(1, 3)) {
      expect(parser).toMatchObject({ key_name: 'log', reserve_data: true, remove_key_name_field: true, emit_invalid_record_to_error: false });
    }
    // fluentd filter_record_transformer: the plain expander knows top-level keys only; nested ones need Ruby.
    expect(filters[3].record_transformer.enable_ruby).toBe(true);
    expect(filters[3].record_transformer.records).toEqual([{
      namespace: '${record.dig("kubernetes", "namespace_name")}',
      pod: '${record.dig("kubernetes", "pod_name")}',
      container: '${record.dig("kubernetes", "container_name")}',
      spark_app: '${record.dig("kubernetes", "labels", "sparkoperator.k8s.io/app-name")}',
      spark_role: '${record.dig("kubernetes", "labels", "spark-role")}',
      team: '${record.dig("kubernetes", "labels", "spark-platform.io/team")}',
      cost_center: '${record.dig("kubernetes", "labels", "spark-platform.io/cost-center")}',
    }]);
    // Ruby placeholders end at the first "}" (RubyPlaceholderExpander): none inside.
    for (const value of Object.values(filters[3].record_transformer.records[0]) as string[]) expect(value.slice(2, -1)).not.toMatch(/[{}]/);
  });

  test('the fields come from labels the pods carry: team and cost centre from the job namespace', () => {
    const { teamA: a } = fixture();
    expect(a.podLabels).toMatchObject({ 'spark-platform.io/team': 'team-a', 'spark-platform.io/cost-center': 'cc-1042' });
  });

  test('an escape hatch: other pods, and no tag_normaliser (it conflicts with the exception detector upstream)', () => {
    const f = fixture();
    const out = f.logging.addTeamOutput(f.teamA, 'es', es);
    const flow = f.logging.addTeamFlow(f.teamA, { name: 'notebooks', outputs: [out], podLabels: { app: 'jupyter' } });
    expect(flow.apiObject.toJson().spec.match).toEqual([{ select: { labels: { app: 'jupyter' } } }]);
    expect(() => f.logging.addTeamFlow(f.teamA, { name: 'x', outputs: [out], extraFilters: [{ tag_normaliser: {} }] }))
      .toThrow('logging/team-a-x: invalid prop "extraFilters[0]" "tag_normaliser": conflicts with the exception detector');
    expect(() => f.logging.addTeamFlow(f.teamA, { name: 'y', outputs: [out], extraFilters: [{ grep: {}, parser: {} }] }))
      .toThrow('logging/team-a-y: invalid prop "extraFilters[0]"');
    expect(() => f.logging.addTeamFlow(f.teamA, { name: 'notebooks', outputs: [out] })).toThrow('logging: invalid prop "name" "notebooks": is taken');
    expect(() => f.logging.addTeamFlow(f.teamA, { name: 'z', outputs: [] })).toThrow('logging/team-a-z: invalid prop "outputs" []: must list at least one output');
  });
});

describe('wiring checked at synth', () => {
  test('a local output of another namespace is an error naming both', () => {
    const f = fixture();
    const outB = f.logging.addTeamOutput(f.teamB, 'es', es);
    f.logging.addTeamFlow(f.teamA, { outputs: [outB] });
    f.logging.addTeamFlow(f.teamB, { outputs: [outB] });
    expect(() => Testing.synth(f.chart)).toThrow(
      'logging/team-a-spark-jobs: Flow "team-a/spark-jobs" references Output "team-b/es" (test/logging/team-b-es), a local output in another namespace');
  });

  test('an output that does not exist in this app, or belongs to another Logging, is an error naming both', () => {
    const f = fixture();
    const other = fixture();
    const foreign = other.logging.addClusterOutput('es', es);
    f.logging.addTeamFlow(f.teamA, { outputs: [foreign] });
    f.logging.addTeamFlow(f.teamB, { outputs: [f.logging.addClusterOutput('es', es)] });
    expect(() => Testing.synth(f.chart)).toThrow('Flow "team-a/spark-jobs" references ClusterOutput "logging/es" (test/logging/es), which does not exist in this app');

    const chart = Testing.chart();
    const operator = new LoggingOperator(chart, 'logging-operator', { nodePools: pools });
    const first = new Logging(chart, 'first', { operator });
    const second = new Logging(chart, 'second', { operator, name: 'second' });
    const spark = new SparkOperator(chart, 'spark-operator', { nodePools: [systemPool, spotPool], bindings });
    first.addTeamFlow(spark.addTeam(teamA), { outputs: [second.addClusterOutput('es', es)] });
    expect(() => Testing.synth(chart)).toThrow('references ClusterOutput "logging/es" (test/second/es), which belongs to the Logging test/second, not to this flow\'s Logging test/first');
    // resources/model/repository.go binds every resource whose loggingRef equals the Logging's: two Loggings
    // without one would both process everything.
    expect(() => Testing.synth(chart)).toThrow('test/first: the app has 2 Loggings (test/first, test/second): each would process every flow and output; use one Logging for the cluster');
  });

  test('a ClusterFlow may reference cluster outputs only', () => {
    const f = fixture();
    withTeamFlows(f);
    f.logging.addPlatformFlow({ namespaces: ['argo'], outputs: [f.logging.addTeamOutput(f.teamA, 'local', es)] });
    expect(() => Testing.synth(f.chart)).toThrow('ClusterFlow "logging/platform" references Output "team-a/local" (test/logging/team-a-local): a ClusterFlow may reference only ClusterOutputs');
  });

  test('two outputs of one name in one namespace, and buffers larger than the volume, are errors', () => {
    const f = fixture();
    f.logging.addTeamFlow(f.teamA, { outputs: [f.logging.addTeamOutput(f.teamA, 'es', es), f.logging.addTeamOutput(f.teamA, 'es2', { ...es, name: 'es' })] });
    f.logging.addTeamFlow(f.teamB, { outputs: [f.logging.addTeamOutput(f.teamB, 'es', { ...es, buffer: { totalLimit: Size.gibibytes(18) } })] });
    expect(() => Testing.synth(f.chart)).toThrow('logging/team-a-es2: Output team-a/es is also test/logging/team-a-es: give one of them another name');
    expect(() => Testing.synth(f.chart)).toThrow('the outputs may buffer 22 GiB together (buffer.totalLimit of 3 output instances: one per flow that references an output), more than fluentd\'s 20 GiB buffer volume');
  });

  // logging-operator 6.7.0 pkg/resources/model/system.go: each flow renders the outputs it references into its own
  // label section, so fluentd runs one instance of an output, with its own buffer, per referencing flow.
  test('an output referenced by several flows is buffered once per flow', () => {
    const f = fixture();
    const shared = f.logging.addClusterOutput('shared', { ...es, buffer: { totalLimit: Size.gibibytes(8) } });
    f.logging.addTeamFlow(f.teamA, { outputs: [shared] });
    expect(() => Testing.synth(f.chart)).not.toThrow();
    f.logging.addTeamFlow(f.teamB, { outputs: [shared] });
    f.logging.addPlatformFlow({ namespaces: ['argo'], outputs: [shared] });
    expect(() => Testing.synth(f.chart)).toThrow('the outputs may buffer 24 GiB together (buffer.totalLimit of 3 output instances');
  });

  test('a team namespace without a flow is a warning, not an error', () => {
    const f = fixture();
    f.logging.addTeamFlow(f.teamA, { outputs: [f.logging.addTeamOutput(f.teamA, 'es', es)] });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      synthValid(f.chart);
      expect(SynthWarnings.of(f.chart)).toEqual([
        'test/logging: job namespace "team-b" (test/spark-operator/team-b) has no Flow: the logs of its Spark jobs go nowhere; add one with addTeamFlow',
      ]);
      expect(stderr).toHaveBeenCalledWith(expect.stringContaining('[WARNING] test/logging: job namespace "team-b"'));
    } finally {
      stderr.mockRestore();
    }
    const g = fixture();
    withTeamFlows(g);
    synthValid(g.chart);
    expect(SynthWarnings.of(g.chart)).toEqual([]);
  });
});
