import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { SparkLabels, SparkOperator, SparkTeam, WorkloadIdentity } from '../lib';
import { ROLE_ARN, bindings, findObject, scalaJob, sparkFixture, spotPool, systemPool } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

describe('SparkTeam and its JobNamespace', () => {
  test('renders the namespace, the jobs\' service account with its IAM role, and the driver\'s RBAC in that namespace only', () => {
    const { chart } = sparkFixture();
    const docs = synthValid(chart);

    expect(findObject(docs, 'Namespace', 'team-a').metadata.labels).toEqual({
      [SparkLabels.TEAM]: 'team-a',
      [SparkLabels.COST_CENTER]: 'cc-1042',
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    const sa = findObject(docs, 'ServiceAccount', 'spark');
    expect(sa.metadata.namespace).toBe('team-a');
    // The role the AWS side creates for the same SparkTeam object: named after the cluster and the service account.
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': ROLE_ARN });

    const role = findObject(docs, 'Role', 'spark-driver');
    expect(role.metadata.namespace).toBe('team-a');
    expect(role.rules).toEqual([{
      apiGroups: [''],
      resources: ['pods', 'configmaps', 'services', 'persistentvolumeclaims'],
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
    }]);
    const binding = findObject(docs, 'RoleBinding', 'spark-driver');
    expect(binding.metadata.namespace).toBe('team-a');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'spark-driver' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'spark', namespace: 'team-a' }]);
    expect(docs.filter(d => d.kind === 'ClusterRole' || d.kind === 'ClusterRoleBinding')).toEqual([]);
    expect(docs.some(d => d.kind === 'ResourceQuota' || d.kind === 'LimitRange')).toBe(false);
  });

  test('a team in another namespace, with its own service account name, a ResourceQuota and a LimitRange', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings });
    const team = new SparkTeam({
      name: 'analytics',
      namespace: 'analytics-jobs',
      serviceAccountName: 'analytics-spark',
      quota: { cpu: kplus.Cpu.units(200), memory: Size.gibibytes(800), pods: 300 },
      limits: { maxMemory: Size.gibibytes(64) },
    });
    const namespace = operator.addTeam(team);
    expect([namespace.name, namespace.team]).toEqual(['analytics-jobs', team]);
    const docs = synthValid(chart);
    expect(findObject(docs, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '200', 'requests.memory': '819200Mi', 'limits.memory': '819200Mi', 'pods': 300,
    });
    expect(findObject(docs, 'LimitRange').spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { cpu: '100m', memory: '256Mi' },
      default: { memory: '256Mi' },
      max: { memory: '65536Mi' },
    }]);
    expect(findObject(docs, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'analytics-spark', namespace: 'analytics-jobs' }]);
    expect(findObject(docs, 'Namespace').metadata.labels[SparkLabels.TEAM]).toBe('analytics');
    expect(findObject(docs, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn'])
      .toBe('arn:aws:iam::123456789012:role/spark-platform-eu-west-1-analytics-jobs-analytics-spark');
  });

  test('a quota comes with a LimitRange, so containers without resources are not rejected', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], bindings });
    operator.addTeam(new SparkTeam({ name: 'quota-only', quota: { pods: 10 } }));
    expect(findObject(synthValid(chart), 'LimitRange').spec.limits[0].default).toEqual({ memory: '256Mi' });
  });

  test('EKS Pod Identity: no annotation, the SDK v2 container provider, and Spark 3.5 jobs refused', () => {
    const team = new SparkTeam({ name: 'pods', identity: WorkloadIdentity.POD_IDENTITY });
    const { chart, namespace } = sparkFixture({}, team);
    namespace.addJob('etl', { ...scalaJob, sparkVersion: '4.0.1' });
    const docs = synthValid(chart);
    expect(findObject(docs, 'ServiceAccount').metadata.annotations).toBeUndefined();
    expect(findObject(docs, 'SparkApplication').spec.hadoopConf['fs.s3a.aws.credentials.provider'])
      .toBe('software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider');
    expect(() => namespace.addJob('old', scalaJob))
      .toThrow(/pods\/old: invalid prop "sparkVersion" "3.5.5": runs Hadoop 3.3.4 \(AWS SDK v1\), which cannot get credentials from EKS Pod Identity, the identity of team "pods"/);
  });

  test('rejects bad input where the team is defined', () => {
    expect(() => new SparkTeam({ name: 'Team_B' })).toThrow(/SparkTeam "Team_B": invalid prop "name" "Team_B": must be a DNS-1123 label/);
    expect(() => new SparkTeam({ name: 'data eng' })).toThrow(/SparkTeam "data eng": invalid prop "name" "data eng"/);
    expect(() => new SparkTeam({ name: 'c', costCenter: 'x'.repeat(64) })).toThrow(/invalid prop "costCenter" "x{64}": must be at most 63 characters/);
    expect(() => new SparkTeam({ name: 'e', quota: {} })).toThrow(/SparkTeam "e": invalid prop "quota" \{\}: must set at least one of cpu, memory, pods/);
    expect(() => new SparkTeam({ name: 'f', readPrefixes: ['/raw'] })).toThrow(/SparkTeam "f": invalid prop "readPrefixes\[0\]" "\/raw": must be a key prefix/);
    expect(() => new SparkTeam({ name: 'g', readWritePrefixes: [''] })).toThrow(/invalid prop "readWritePrefixes\[0\]" "": must not be empty/);
    expect(() => new SparkTeam({ name: 'h', serviceAccountName: 'Spark' })).toThrow(/invalid prop "serviceAccountName" "Spark"/);
    const { operator } = sparkFixture();
    expect(() => operator.addTeam(new SparkTeam({ name: 'other', namespace: 'team-a' })))
      .toThrow(/spark-operator: invalid prop "team" "other": uses namespace "team-a", already the job namespace of team "team-a"/);
  });
});
