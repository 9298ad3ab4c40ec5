import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aws, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TaintEffect } from 'cdk8s-plus-33';
import { allStatements, gravitonPool, platform, spotPool, systemPool, testStack } from './fixtures';
import { CapacityType, HelmRelease, NodePool, PlatformBindings, ServiceAccountIdentity, SparkTeam, WorkloadIdentity, aws } from '../../lib';

// The bindings' outputs of a SparkEksCluster stack, as a pipeline reads them.
const STACK_OUTPUTS = {
  AccountId: '123456789012',
  ClusterName: 'spark-platform',
  Region: 'eu-west-1',
  BucketName: 'acme-spark',
  EventLogPrefix: 'spark-events',
  ArtifactPrefix: 'argo-artifacts',
  KubernetesVersion: '1.33',
  HistoryServerCleaner: 'true',
};

function asList(value: unknown): string[] {
  return value === undefined ? [] : ([] as any[]).concat(value);
}

describe('SparkEksCluster: the cluster', () => {
  test('Kubernetes 1.33, every control-plane log type, private endpoint by default, no Auto Mode', () => {
    const { template } = platform();
    template.hasResourceProperties('AWS::EKS::Cluster', {
      Name: 'spark-platform',
      Version: '1.33',
      Logging: { ClusterLogging: { EnabledTypes: [{ Type: 'api' }, { Type: 'audit' }, { Type: 'authenticator' }, { Type: 'controllerManager' }, { Type: 'scheduler' }] } },
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: false }),
      ComputeConfig: { Enabled: false },
    });
  });

  test('a public endpoint only from the given CIDR blocks', () => {
    const { template } = platform({ endpoint: aws.ClusterEndpoint.publicAndPrivate(['203.0.113.0/24', '198.51.100.7/32']) });
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPrivateAccess: true, EndpointPublicAccess: true, PublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] }),
    });
  });

  test('one managed node group per NodePool, everything read from the pool', () => {
    const { template, cluster } = platform({ nodePools: [spotPool, gravitonPool] });
    template.resourceCountIs('AWS::EKS::Nodegroup', 3);
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'spark-spot',
      CapacityType: 'SPOT',
      InstanceTypes: spotPool.instanceTypes,
      AmiType: 'AL2023_x86_64_STANDARD',
      ScalingConfig: { MinSize: 0, MaxSize: 40, DesiredSize: 0 },
      // Updates respect PodDisruptionBudgets: a rolling AMI update never evicts a running driver by force.
      ForceUpdateEnabled: false,
      Labels: spotPool.labels,
      Taints: [{ Key: 'spark-platform.io/capacity', Value: 'spot', Effect: 'NO_SCHEDULE' }],
      Tags: {
        'k8s.io/cluster-autoscaler/enabled': 'true',
        'k8s.io/cluster-autoscaler/spark-platform': 'owned',
        ...spotPool.autoscalerNodeTemplateTags,
      },
    });
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      NodegroupName: 'system', CapacityType: 'ON_DEMAND', ScalingConfig: { MinSize: 2, MaxSize: 6, DesiredSize: 2 }, Taints: [],
    });
    template.hasResourceProperties('AWS::EKS::Nodegroup', { NodegroupName: 'graviton-spot', AmiType: 'AL2023_ARM_64_STANDARD' });
    expect(Object.keys(cluster.nodegroups).sort()).toEqual(['graviton-spot', 'spark-spot', 'system']);
  });

  test('node group names are the pools\' names, which the autoscaler\'s priority patterns match', () => {
    const { template } = platform();
    const names = Object.values<any>(template.findResources('AWS::EKS::Nodegroup')).map(r => r.Properties.NodegroupName);
    for (const pool of [systemPool, spotPool]) {
      expect(names).toContain(pool.nodeGroupName);
      expect(new RegExp(pool.autoScalingGroupNamePattern).test(`eks-${pool.nodeGroupName}-1ac6b9f0-aaaa-bbbb-cccc-0123456789ab`)).toBe(true);
    }
  });

  test('a new VPC with flow logs; node groups in private subnets', () => {
    const { template } = platform();
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::Subnet', { Tags: Match.arrayWith([{ Key: 'kubernetes.io/role/internal-elb', Value: '1' }]) });
  });
});

describe('SparkEksCluster: the platform bucket', () => {
  test('encrypted, public access blocked, TLS only, old event logs expired, kept on stack deletion', () => {
    const { template } = platform();
    template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Id: 'expire-event-logs', Prefix: 'spark-events/', ObjectSizeGreaterThan: '0', ExpirationInDays: 90, Status: 'Enabled' }),
            Match.objectLike({ Id: 'expire-rolling-event-log-dirs', Prefix: 'spark-events/eventlog_v2_', ExpirationInDays: 90, Status: 'Enabled' }),
            Match.objectLike({ Id: 'abort-incomplete-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }),
          ]),
        },
      }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  // S3 applies a rule to an object whose key starts with the rule's prefix and whose size is greater than
  // ObjectSizeGreaterThan. Spark writes rolling event logs as eventlog_v2_<app>/events_<n>_<app> and a zero-byte
  // appstatus_<app> (apache/spark EventLogFileWriters.scala), and needs the empty "<prefix>/" marker to exist.
  test('expiry removes every event log after the retention, never the prefix marker the jobs need', () => {
    const { template } = platform({ bucket: { eventLogRetention: Duration.days(90) } });
    const rules: any[] = Object.values<any>(template.findResources('AWS::S3::Bucket'))[0].Properties.LifecycleConfiguration.Rules
      .filter((r: any) => r.ExpirationInDays !== undefined);
    const expires = (key: string, size: number) => rules.some(r => key.startsWith(r.Prefix) && size > Number(r.ObjectSizeGreaterThan ?? -1));
    expect(expires('spark-events/', 0)).toBe(false);
    expect(expires('spark-events/eventlog_v2_spark-8f2c/events_1_spark-8f2c', 1_048_576)).toBe(true);
    expect(expires('spark-events/eventlog_v2_spark-8f2c/appstatus_spark-8f2c', 0)).toBe(true);
    expect(expires('spark-events/spark-8f2c', 52_000)).toBe(true);
    expect(expires('curated/sessions/part-0000.parquet', 1_000)).toBe(false);
  });

  test('the event-log prefix is created at deploy time', () => {
    const { template } = platform({ bucket: { eventLogPrefix: 'spark/event-logs', eventLogRetention: Duration.days(30) } });
    const created = Object.values<any>(template.findResources('Custom::AWS'))[0];
    expect(JSON.stringify(created.Properties.Create)).toMatch(/\\"action\\":\\"putObject\\".*\\"Key\\":\\"spark\/event-logs\/\\"/);
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'spark/event-logs/', ExpirationInDays: 30 })]) },
    });
  });

  test('bring your own bucket', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'acme-data-lake');
    const cluster = new aws.SparkEksCluster(stack, 'Platform', { clusterName: 'spark-platform', systemPool, bucket: { bucket } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(cluster.platformBucket.eventLogs.s3aUri).toBe('s3a://acme-data-lake/spark-events');
    expect(JSON.stringify(Object.values<any>(template.findResources('Custom::AWS'))[0].Properties.Create)).toMatch(/acme-data-lake/);
  });
});

describe('SparkEksCluster: workload roles', () => {
  const dataEngineering = new SparkTeam({ name: 'data-engineering', readPrefixes: ['raw'], readWritePrefixes: ['curated'] });
  const teams = [dataEngineering];

  test('IRSA: each role trusts exactly one service account through the cluster\'s OIDC provider', () => {
    const { template, cluster } = platform({ teams, argoWorkflows: {} });
    expect(cluster.serviceAccountRoles.map(r => r.serviceAccount.key).sort()).toEqual([
      'argo/argo-workflows-server', 'data-engineering/spark', 'data-engineering/spark-pipeline', 'kube-system/cluster-autoscaler', 'kube-system/ebs-csi-controller-sa',
      'spark-history/spark-history-server',
    ]);
    expect(cluster.roleFor(dataEngineering.serviceAccount).serviceAccount).toBe(dataEngineering.serviceAccount);
    const conditions = Object.values<any>(template.findResources('Custom::AWSCDKCfnJson')).map(r => JSON.stringify(r.Properties.Value));
    expect(conditions.some(c => c.includes('system:serviceaccount:kube-system:cluster-autoscaler') && c.includes('sts.amazonaws.com'))).toBe(true);
    expect(conditions.some(c => c.includes('system:serviceaccount:data-engineering:spark'))).toBe(true);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Action: 'sts:AssumeRoleWithWebIdentity', Principal: { Federated: Match.anyValue() } })] },
    });
  });

  test('the cluster-autoscaler reads everywhere but scales only this cluster\'s tagged groups', () => {
    const { template } = platform();
    const statements = allStatements(template).map(s => s.statement);
    const scale = statements.find(s => asList(s.Action).includes('autoscaling:SetDesiredCapacity'));
    expect(scale.Action).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    // EKS tags each managed node group's Auto Scaling group with both (the tags --node-group-auto-discovery reads).
    expect(scale.Condition).toEqual({
      StringEquals: { 'aws:ResourceTag/k8s.io/cluster-autoscaler/spark-platform': 'owned', 'aws:ResourceTag/k8s.io/cluster-autoscaler/enabled': 'true' },
    });
    expect(JSON.stringify(scale.Resource)).toMatch(/autoScalingGroup:\*:autoScalingGroupName\/\*/);
    const describe = statements.find(s => asList(s.Action).includes('ec2:DescribeInstanceTypes'));
    expect(describe.Action).toEqual(expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements']));
    expect(JSON.stringify(statements.find(s => s.Action === 'eks:DescribeNodegroup').Resource)).toMatch(/nodegroup\/spark-platform\/\*\/\*/);
  });

  // IAM role names are global to the account (IAM User Guide, "IAM identifiers"): the region keeps two clusters
  // of one name in two regions apart.
  test('deterministic role names: <cluster>-<region>-<namespace>-<service account>, what the Kubernetes side derives', () => {
    const { template } = platform({ teams, argoWorkflows: {} });
    const names = Object.values<any>(template.findResources('AWS::IAM::Role')).map(r => r.Properties.RoleName).filter(n => n);
    expect(names.sort()).toEqual([
      'spark-platform-eu-west-1-argo-argo-workflows-server', 'spark-platform-eu-west-1-data-engineering-spark', 'spark-platform-eu-west-1-data-engineering-spark-pipeline',
      'spark-platform-eu-west-1-kube-system-cluster-autoscaler', 'spark-platform-eu-west-1-kube-system-ebs-csi-controller-sa', 'spark-platform-eu-west-1-spark-history-spark-history-server',
    ]);
    const bindings = new PlatformBindings({ accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'b-b-b' });
    expect(bindings.roleArn(dataEngineering.serviceAccount)).toBe('arn:aws:iam::123456789012:role/spark-platform-eu-west-1-data-engineering-spark');
  });

  test('a role name over IAM\'s 64 characters is an error naming the cluster and the service account', () => {
    const long = new SparkTeam({ name: 'a-team-with-a-rather-long-namespace-name', serviceAccountName: 'spark-jobs-service-account' });
    expect(() => platform({ teams: [long] }))
      .toThrow(/Platform: invalid prop "clusterName" "spark-platform": makes the role name "spark-platform-eu-west-1-a-team-with-a-rather-long-namespace-name-spark-jobs-service-account": is 92 characters, IAM allows 64/);
  });

  test('the same cluster name in two regions of one account: two role names', () => {
    const sa = dataEngineering.serviceAccount;
    expect(sa.roleName('spark-platform', 'eu-west-1')).not.toBe(sa.roleName('spark-platform', 'us-east-1'));
    // A region known only at deploy time is judged at the longest region name (14 characters).
    expect(() => new SparkTeam({ name: 'a-team-with-a-long-name-here', serviceAccountName: 'spark' }).serviceAccount.roleName('spark-platform-prod', Aws.REGION))
      .toThrow(/is 69 characters in the longest region \(14 characters\), IAM allows 64/);
  });

  test('Spark teams: read/write their data prefixes, write the event-log prefix, nothing else', () => {
    const { template, stack } = platform({ teams });
    const policies = Object.entries<any>(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('SparkTeamRoledataengineering'));
    const text = JSON.stringify(stack.resolve(policies.map(([, p]) => p.Properties.PolicyDocument)));
    for (const prefix of ['spark-events', 'raw', 'curated']) expect(text).toContain(`/${prefix}/*`);
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const writes = statements.filter((s: any) => asList(s.Action).includes('s3:PutObject'));
    const writeTargets = JSON.stringify(writes.map((s: any) => s.Resource));
    expect(writeTargets).toContain('/spark-events/*');
    expect(writeTargets).toContain('/curated/*');
    expect(writeTargets).not.toContain('/raw/*');
    const list = statements.find((s: any) => s.Action === 's3:ListBucket' && JSON.stringify(s.Condition).includes('raw'));
    expect(list.Condition.StringLike['s3:prefix']).toEqual(['raw', 'raw/', 'raw/*']);
  });

  test('the history server reads the event logs, and deletes old ones only with its cleaner (on by default, both sides)', () => {
    const withCleaner = allStatements(platform().template).filter(s => s.resource.includes('HistoryServer')).map(s => s.statement);
    expect(withCleaner.flatMap(s => asList(s.Action))).toEqual(['s3:ListBucket', 's3:GetObject', 's3:DeleteObject']);
    expect(JSON.stringify(withCleaner.find(s => s.Action === 's3:DeleteObject').Resource)).toContain('/spark-events/*');
    const { template, cluster } = platform({ historyServer: { cleaner: false } });
    const withoutCleaner = allStatements(template).filter(s => s.resource.includes('HistoryServer')).map(s => s.statement);
    expect(withoutCleaner.flatMap(s => asList(s.Action))).toEqual(['s3:ListBucket', 's3:GetObject']);
    // The Kubernetes side's SparkHistoryServer reads this and refuses a cleaner that disagrees.
    expect(cluster.bindings.historyServerCleaner).toBe(false);
    expect(template.toJSON().Outputs.HistoryServerCleaner.Value).toBe('false');
  });

  test('each team\'s pipelines write its own artifacts prefix only; the Argo server reads them all', () => {
    const { template } = platform({ teams, argoWorkflows: {} });
    const pipeline = allStatements(template).filter(s => s.resource.includes('SparkPipelineRoledataengineering')).map(s => s.statement);
    expect(JSON.stringify(pipeline)).toContain('/argo-artifacts/data-engineering/*');
    expect(JSON.stringify(pipeline)).not.toContain('/spark-events/');
    const server = allStatements(template).filter(s => s.resource.includes('ArgoWorkflowsServer')).map(s => s.statement);
    expect(server.flatMap(s => asList(s.Action))).toEqual(['s3:ListBucket', 's3:GetObject']);
  });

  test('no Argo Workflows role unless argoWorkflows is given (no role that nothing uses)', () => {
    const { cluster } = platform({ teams });
    expect(cluster.serviceAccountRoles.map(r => r.serviceAccount.key).filter(k => /argo|pipeline/.test(k))).toEqual([]);
  });

  test('Argo Workflows\' artifact repository', () => {
    const argo = allStatements(platform({ argoWorkflows: { serviceAccount: new ServiceAccountIdentity({ namespace: 'workflows', name: 'runner' }), artifactPrefix: 'artifacts' } }).template)
      .filter(s => s.resource.includes('ArgoWorkflows')).map(s => s.statement);
    expect(JSON.stringify(argo)).toContain('/artifacts/*');
  });

  test('no statement grants a write action on "*"', () => {
    const { template } = platform({ teams, historyServer: { cleaner: true }, gitOps: { repoUrl: 'https://github.com/acme/infra.git' } });
    const readOnly = /^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]*$/;
    const offenders = allStatements(template).filter(({ statement }) =>
      statement.Effect === 'Allow'
      && asList(statement.Resource).includes('*')
      && asList(statement.Action).some(a => !readOnly.test(a)));
    const ours = offenders.filter(o => /Role[A-Za-z0-9]*Policy|Autoscaler|SparkTeam|History|Argo/.test(o.resource));
    expect(ours).toEqual([]);
    for (const o of offenders) {
      // What remains belongs to aws-cdk-lib's own providers (kubectl, custom resources): logs and ENIs of Lambdas.
      expect(asList(o.statement.Action).every(a => /^(logs|ec2|lambda|xray):/.test(a))).toBe(true);
    }
  });

  test('EKS Pod Identity per service account, from the same object the Kubernetes side reads', () => {
    const clusterAutoscaler = new ServiceAccountIdentity({ namespace: 'kube-system', name: 'cluster-autoscaler', identity: WorkloadIdentity.POD_IDENTITY });
    const { template } = platform({ clusterAutoscaler, teams: [new SparkTeam({ name: 'team' })] });
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', { Namespace: 'kube-system', ServiceAccount: 'cluster-autoscaler' });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'spark-platform-eu-west-1-kube-system-cluster-autoscaler',
      AssumeRolePolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'pods.eks.amazonaws.com' } })]) },
    });
    expect(Object.values<any>(template.findResources('Custom::AWSCDKCfnJson')).map(r => JSON.stringify(r.Properties.Value)).join())
      .toContain('system:serviceaccount:team:spark');
  });

  test('no Pod Identity agent when every service account uses IRSA', () => {
    const addons = Object.values<any>(platform().template.findResources('AWS::EKS::Addon')).map(r => r.Properties.AddonName);
    expect(addons.sort()).toEqual(['aws-ebs-csi-driver', 'vpc-cni']);
  });

  // Persistent volumes on EKS need a CSI driver (the in-tree EBS plugin is migrated to ebs.csi.aws.com): without
  // it fluentd's buffer claims stay Pending and fluentd never starts.
  test('the EBS CSI driver add-on with its IRSA role, so PersistentVolumeClaims are provisioned; off on request', () => {
    const { template } = platform();
    const addon = Object.values<any>(template.findResources('AWS::EKS::Addon')).map(r => r.Properties).find(a => a.AddonName === 'aws-ebs-csi-driver');
    expect(addon).toMatchObject({ AddonName: 'aws-ebs-csi-driver', ResolveConflicts: 'OVERWRITE' });
    const [roleId] = addon.ServiceAccountRoleArn['Fn::GetAtt'];
    const role = template.toJSON().Resources[roleId].Properties;
    expect(role.RoleName).toBe('spark-platform-eu-west-1-kube-system-ebs-csi-controller-sa');
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain(':iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
    expect(Object.values<any>(template.findResources('Custom::AWSCDKCfnJson')).map(r => JSON.stringify(r.Properties.Value)).join())
      .toContain('system:serviceaccount:kube-system:ebs-csi-controller-sa');
    platform({ ebsCsiDriver: false, networkPolicies: false }).template.resourceCountIs('AWS::EKS::Addon', 0);
  });
});

describe('SparkEksCluster: Argo CD and bindings', () => {
  test('Argo CD from its pinned chart, and the root Application pointing at the committed dist/', () => {
    const { template } = platform({ gitOps: { repoUrl: 'https://github.com/acme/infra.git', path: 'platform/dist' } });
    template.hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', {
      Chart: 'argo-cd', Repository: 'https://argoproj.github.io/argo-helm', Version: '10.1.1', Release: 'argocd', Namespace: 'argocd', CreateNamespace: true,
    });
    const manifest = JSON.parse(Object.values<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0].Properties.Manifest);
    expect(manifest[0]).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'spark-platform', namespace: 'argocd' },
      spec: { project: 'default', source: { repoURL: 'https://github.com/acme/infra.git', path: 'platform/dist', targetRevision: 'main' } },
    });
    const rootApp = Object.values<any>(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'))[0];
    expect(rootApp.DependsOn.some((d: string) => d.includes('ArgoCd'))).toBe(true);
  });

  test('PlatformBindings as a typed object and as stack outputs', () => {
    const analytics = new SparkTeam({ name: 'analytics' });
    const { template, cluster, stack } = platform({ teams: [analytics], argoWorkflows: {} });
    const bindings = cluster.bindings;
    expect(bindings.clusterName).toBe('spark-platform');
    expect(bindings.region).toBe('eu-west-1');
    expect(bindings.accountId).toBe('123456789012');
    expect(bindings.eventLogs.prefix).toBe('spark-events');
    expect(JSON.stringify(stack.resolve(bindings.bucketName))).toMatch(/"Ref":"PlatformBucket/);
    // Fixed output names a pipeline reads (`aws cloudformation describe-stacks`), never hashed logical ids.
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual([
      'AccountId', 'ArtifactPrefix', 'BucketName', 'ClusterName', 'EventLogPrefix', 'EventLogUri', 'HistoryServerCleaner', 'KubernetesVersion', 'Region',
      'RoleArnAnalyticsSpark', 'RoleArnAnalyticsSparkPipeline', 'RoleArnArgoArgoWorkflowsServer', 'RoleArnKubeSystemClusterAutoscaler', 'RoleArnKubeSystemEbsCsiControllerSa',
      'RoleArnSparkHistorySparkHistoryServer', 'TeamNamespaces',
    ]);
    expect(outputs.TeamNamespaces.Value).toBe('analytics');
    expect(outputs.ClusterName).toEqual({ Description: 'PlatformBindings.clusterName', Value: 'spark-platform' });
    expect(outputs.RoleArnAnalyticsSpark.Description).toBe('the role of analytics/spark (PlatformBindings.roleArn())');
    expect(aws.SparkEksCluster.roleOutputName(new ServiceAccountIdentity({ namespace: 'data-engineering', name: 'spark' }))).toBe('RoleArnDataEngineeringSpark');
    // A pipeline that synthesizes the Kubernetes side separately reads the same outputs.
    const read = PlatformBindings.fromStackOutputs({
      AccountId: '123456789012', ClusterName: 'spark-platform', Region: 'eu-west-1', BucketName: 'acme-spark', EventLogPrefix: 'spark-events', ArtifactPrefix: 'argo-artifacts', KubernetesVersion: '1.34', HistoryServerCleaner: 'true',
    });
    expect(outputs.KubernetesVersion.Value).toBe('1.33');
    expect(read.kubernetesVersion).toBe('1.34');
    expect(read.roleArn(analytics.serviceAccount)).toBe('arn:aws:iam::123456789012:role/spark-platform-eu-west-1-analytics-spark');
    expect(read.eventLogs.s3aUri).toBe('s3a://acme-spark/spark-events');
    expect(read.teamNamespaces).toBeUndefined(); // a stack without the output: not checked
    const withTeams = PlatformBindings.fromStackOutputs({ ...STACK_OUTPUTS, TeamNamespaces: outputs.TeamNamespaces.Value });
    expect(withTeams.teamNamespaces).toEqual(['analytics']);
    expect(() => PlatformBindings.fromStackOutputs({ ClusterName: 'x' })).toThrow(/PlatformBindings: invalid prop "outputs" \["ClusterName"\]: lacks AccountId, Region, BucketName, EventLogPrefix, ArtifactPrefix, KubernetesVersion, HistoryServerCleaner/);
  });

  // What the CLIs print: `aws cloudformation describe-stacks` (Stacks[].Outputs[] of OutputKey/OutputValue) and
  // `cdk deploy --outputs-file` ({"<stack>": {"<OutputKey>": "<value>"}}).
  test('the JSON the AWS CLI and the CDK CLI print, as they print it, or in a file', () => {
    const outputs: { [key: string]: string } = { ...STACK_OUTPUTS, TeamNamespaces: 'analytics' };
    const list = Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue, Description: 'x' }));
    const describeStacks = { Stacks: [{ StackName: 'SparkPlatform', StackStatus: 'CREATE_COMPLETE', Outputs: list }] };
    const outputsFile = { SparkPlatform: outputs };
    for (const json of [describeStacks, list, outputsFile]) {
      const read = PlatformBindings.fromOutputsJson(json);
      expect([read.clusterName, read.bucketName, read.teamNamespaces, read.roleArn(new SparkTeam({ name: 'analytics' }).serviceAccount)])
        .toEqual(['spark-platform', 'acme-spark', ['analytics'], 'arn:aws:iam::123456789012:role/spark-platform-eu-west-1-analytics-spark']);
    }
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'outputs-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify(outputsFile));
    expect(PlatformBindings.fromOutputsFile(file).region).toBe('eu-west-1');
    const two = { ...outputsFile, Other: { X: '1' } };
    expect(() => PlatformBindings.fromOutputsJson(two)).toThrow('PlatformBindings: invalid prop "stackName" undefined: must be given: the outputs file holds several stacks (SparkPlatform, Other)');
    expect(PlatformBindings.fromOutputsJson(two, 'SparkPlatform').clusterName).toBe('spark-platform');
    expect(() => PlatformBindings.fromOutputsJson(describeStacks, 'Nope')).toThrow('names none of the stacks in the describe-stacks output (SparkPlatform)');
    expect(() => PlatformBindings.fromOutputsFile(`${file}.missing`)).toThrow(/invalid prop "file" ".*outputs.json.missing": must be a readable JSON file/);
  });
});

describe('HelmReleaseChart', () => {
  test('the same HelmRelease arrives unchanged: chart, repository, version, namespace, release name, values', () => {
    const { stack, cluster } = platform();
    const release = new HelmRelease({
      releaseName: 'spark-operator',
      namespace: 'spark-operator',
      chartName: 'spark-operator',
      repository: 'https://kubeflow.github.io/spark-operator',
      chartVersion: '2.5.2',
      values: { webhook: { enable: true }, spark: { jobNamespaces: ['a', 'b'] } },
      extraValues: { controller: { replicas: 2 } },
    });
    new aws.HelmReleaseChart(stack, 'SparkOperator', { cluster: cluster.cluster, release });
    const chart = Object.values<any>(Template.fromStack(stack).findResources('Custom::AWSCDK-EKS-HelmChart')).find(r => r.Properties.Release === 'spark-operator');
    expect(chart.Properties).toMatchObject({ Chart: 'spark-operator', Repository: release.repository, Version: '2.5.2', Namespace: 'spark-operator', CreateNamespace: true });
    expect(JSON.parse(chart.Properties.Values)).toEqual(release.values);
  });

  test('OCI charts are pulled by their full reference', () => {
    const { stack, cluster } = platform();
    const release = new HelmRelease({ releaseName: 'logging-operator', namespace: 'logging', chartName: 'logging-operator', repository: 'oci://ghcr.io/kube-logging/helm-charts', chartVersion: '6.7.0' });
    new aws.HelmReleaseChart(stack, 'Logging', { cluster: cluster.cluster, release });
    Template.fromStack(stack).hasResourceProperties('Custom::AWSCDK-EKS-HelmChart', { Repository: 'oci://ghcr.io/kube-logging/helm-charts/logging-operator', Chart: 'logging-operator' });
  });
});

describe('SparkEksCluster: bad input', () => {
  test.each([
    ['a cluster name EKS rejects', { clusterName: '-spark' }, /Platform: invalid prop "clusterName" "-spark": must be 1 to 100 characters/],
    ['a cluster name over 100 characters', { clusterName: 'a'.repeat(101) }, /invalid prop "clusterName" "a{101}"/],
    ['a spot system pool', { systemPool: spotPool, nodePools: [] }, /invalid prop "systemPool" "spark-spot": is a spot pool/],
    ['spot pools and no system capacity', { systemPool: undefined, nodePools: [spotPool] }, /invalid prop "systemPool" undefined: is required: an ON_DEMAND NodePool/],
    ['a pool listed twice', { nodePools: [spotPool, systemPool] }, /invalid prop "nodePools" "system": is listed twice/],
    ['an invalid bucket name', { bucket: { bucketName: 'Acme_Spark' } }, /Platform\/Bucket: invalid prop "bucketName" "Acme_Spark": must be 3 to 63 characters/],
    ['a bad event-log prefix', { bucket: { eventLogPrefix: '/events/' } }, /Platform\/Bucket: invalid prop "eventLogPrefix" "\/events\/"/],
    ['a bad artifact prefix', { argoWorkflows: { artifactPrefix: 'a//b' } }, /invalid prop "argoWorkflows.artifactPrefix" "a\/\/b"/],
    ['two teams in one namespace', { teams: [new SparkTeam({ name: 'team' }), new SparkTeam({ name: 'other', namespace: 'team' })] },
      /Platform: invalid prop "SparkTeamRole-team" "team\/spark": already has a role \(SparkTeamRole-team\): one service account, one role/],
  ])('rejects %s', (_what, override, error) => {
    expect(() => platform(override as any)).toThrow(error);
  });

  test('rejects empty instance types and taint effects EKS does not support, where the pool is built', () => {
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.SPOT, instanceTypes: [] })).toThrow(/invalid prop "instanceTypes" \[\]/);
    expect(() => new NodePool({ name: 'x', capacityType: CapacityType.SPOT, instanceTypes: ['m5.large'], taints: [{ key: 'k', effect: 'NoScheduled' as TaintEffect }] }))
      .toThrow(/invalid prop "taints\[0\].effect" "NoScheduled"/);
  });

  test('rejects a public endpoint open to the internet unless said explicitly, and malformed CIDRs', () => {
    expect(() => aws.ClusterEndpoint.publicAndPrivate(['0.0.0.0/0'])).toThrow(/opens the API endpoint to the whole internet/);
    expect(() => aws.ClusterEndpoint.publicAndPrivate(['10.0.0.300/24'])).toThrow(/invalid prop "cidrs\[0\]" "10.0.0.300\/24"/);
    expect(() => aws.ClusterEndpoint.publicAndPrivate([])).toThrow(/must list at least one CIDR block/);
    expect(aws.ClusterEndpoint.unrestrictedPublicAndPrivate().isPublic).toBe(true);
    expect(aws.ClusterEndpoint.privateOnly().isPublic).toBe(false);
  });

  test('rejects new-bucket settings on your own bucket', () => {
    const stack = testStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Existing', 'acme-data-lake');
    expect(() => new aws.SparkEksCluster(stack, 'Platform', { clusterName: 'x', systemPool, bucket: { bucket, eventLogRetention: Duration.days(1) } }))
      .toThrow(/invalid prop "bucket" .*: is your own bucket/);
  });
});
