import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { SparkLabels, SparkOperator } from '../lib';
import { ROLE_ARN, eventLogs, findObject, sparkFixture, spotPool, systemPool } from './fixtures/spark-platform';
import { synthValid } from './validation/harness';

describe('JobNamespace', () => {
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

  test('optional ResourceQuota and LimitRange', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], eventLogs });
    operator.addJobNamespace('analytics', {
      serviceAccountName: 'analytics-spark',
      serviceAccountRoleArn: ROLE_ARN,
      quota: { cpu: kplus.Cpu.units(200), memory: Size.gibibytes(800), pods: 300 },
      limits: { maxMemory: Size.gibibytes(64) },
    });
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
    expect(findObject(docs, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'analytics-spark', namespace: 'analytics' }]);
  });

  test('a quota comes with a LimitRange, so containers without resources are not rejected', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], eventLogs });
    operator.addJobNamespace('quota-only', { serviceAccountRoleArn: ROLE_ARN, quota: { pods: 10 } });
    expect(findObject(synthValid(chart), 'LimitRange').spec.limits[0].default).toEqual({ memory: '256Mi' });
  });

  test('rejects bad input', () => {
    const { operator } = sparkFixture();
    expect(() => operator.addJobNamespace('Team_B')).toThrow(/spark-operator\/Team_B: invalid prop "name" "Team_B": must be a DNS-1123 label/);
    expect(() => operator.addJobNamespace('b', { team: 'data eng' })).toThrow(/invalid prop "team" "data eng"/);
    expect(() => operator.addJobNamespace('c', { costCenter: 'x'.repeat(64) })).toThrow(/invalid prop "costCenter" "x{64}": must be at most 63 characters/);
    expect(() => operator.addJobNamespace('d', { serviceAccountRoleArn: 'spark-role' }))
      .toThrow(/invalid prop "serviceAccountRoleArn" "spark-role": must be an IAM role ARN/);
    expect(() => operator.addJobNamespace('e', { serviceAccountRoleArn: ROLE_ARN, quota: {} })).toThrow(/invalid prop "quota" \{\}: must set at least one of cpu, memory, pods/);
    expect(() => operator.addJobNamespace('other', { name: 'team-a' })).toThrow(/invalid prop "name" "team-a": is already a job namespace of this operator/);
  });

  test('a namespace without an IAM role fails at synth: its jobs could not write event logs to S3', () => {
    const chart = Testing.chart();
    const operator = new SparkOperator(chart, 'op', { nodePools: [systemPool, spotPool], eventLogs });
    operator.addJobNamespace('no-role');
    expect(() => Testing.synth(chart)).toThrow(/op\/no-role: invalid prop "serviceAccountRoleArn" undefined: the operator writes event logs to s3a:\/\/acme-spark-platform\/spark\/event-logs/);
  });
});
