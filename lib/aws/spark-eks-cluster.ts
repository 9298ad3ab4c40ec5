import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { Aws, CfnCondition, CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterEndpoint } from './cluster-endpoint';
import { HelmReleaseChart } from './helm-release-chart';
import { EKS_MANAGED_POLICIES, acknowledge, managedPolicyFinding, nagRef } from './nag-acknowledgments';
import { nodegroupOptions } from './node-group-options';
import { SparkPlatformBucket, SparkPlatformBucketProps } from './platform-bucket';
import { ServiceAccountRole, WorkloadIdentity } from './service-account-role';
import { WorkloadPolicies } from './workload-policies';
import { PlatformBindings } from '../bindings';
import { ApplicationSource, ArgoCdApplication, ArgoCdRelease } from '../delivery';
import { NodePool, Placement } from '../scheduling';
import { checkDns1123Label, checkDns1123Subdomain, invalidProp } from '../validation';

/**
 * A namespace whose Spark jobs get an IAM role: read/write on their data prefixes, write on the event logs.
 */
export interface SparkJobAccess {
  /** The job namespace (a `JobNamespace` on the Kubernetes side). */
  readonly namespace: string;

  /**
   * The jobs' service account.
   *
   * @default 'spark'
   */
  readonly serviceAccountName?: string;

  /**
   * Key prefixes in the platform bucket the jobs read.
   *
   * @default - none
   */
  readonly readPrefixes?: string[];

  /**
   * Key prefixes in the platform bucket the jobs read and write.
   *
   * @default - none
   */
  readonly readWritePrefixes?: string[];

  /**
   * How this service account gets its role.
   *
   * @default - the cluster's `workloadIdentity`
   */
  readonly identity?: WorkloadIdentity;
}

/**
 * Where the Spark History Server runs, and whether its cleaner deletes old event logs.
 */
export interface HistoryServerAccess {
  /**
   * @default 'spark-history'
   */
  readonly namespace?: string;

  /**
   * @default 'spark-history-server'
   */
  readonly serviceAccountName?: string;

  /**
   * Whether the history server's cleaner deletes event logs (`spark.history.fs.cleaner.enabled`): only then
   * may it delete objects.
   *
   * @default false
   */
  readonly cleaner?: boolean;

  /**
   * How this service account gets its role.
   *
   * @default - the cluster's `workloadIdentity`
   */
  readonly identity?: WorkloadIdentity;
}

/**
 * Where Argo Workflows' artifact repository is and who writes it.
 */
export interface ArgoWorkflowsAccess {
  /**
   * @default 'argo'
   */
  readonly namespace?: string;

  /**
   * The service account of the workflows (their pods write the artifacts).
   *
   * @default 'argo-workflow'
   */
  readonly serviceAccountName?: string;

  /**
   * The key prefix of the artifact repository in the platform bucket.
   *
   * @default 'argo-artifacts'
   */
  readonly artifactPrefix?: string;

  /**
   * How this service account gets its role.
   *
   * @default - the cluster's `workloadIdentity`
   */
  readonly identity?: WorkloadIdentity;
}

/**
 * The git repository Argo CD follows (the committed `dist/`).
 */
export interface GitOpsBootstrap {
  /** The git repository, e.g. `https://github.com/acme/spark-platform-infra.git`. */
  readonly repoUrl: string;

  /**
   * @default 'main'
   */
  readonly revision?: string;

  /**
   * @default 'dist'
   */
  readonly path?: string;

  /**
   * The root Application's name: the same as the Kubernetes side's `GitOps` root Application, which takes it
   * over on the first sync.
   *
   * @default 'spark-platform'
   */
  readonly rootApplicationName?: string;

  /**
   * Run Argo CD highly available.
   *
   * @default false
   */
  readonly highAvailability?: boolean;
}

/**
 * Properties of a `SparkEksCluster`.
 */
export interface SparkEksClusterProps {
  /** The EKS cluster's name: 1 to 100 characters, starting with a letter or digit; letters, digits, '-' and '_'. */
  readonly clusterName: string;

  /** The on-demand pool for operators, Argo CD and Spark drivers (the system node group). */
  readonly systemPool: NodePool;

  /**
   * The other pools (for example spot pools for executors), one managed node group each.
   *
   * @default - none
   */
  readonly nodePools?: NodePool[];

  /**
   * The Kubernetes version.
   *
   * @default eks.KubernetesVersion.V1_33
   */
  readonly version?: eks.KubernetesVersion;

  /**
   * Who can reach the Kubernetes API endpoint.
   *
   * @default ClusterEndpoint.privateOnly()
   */
  readonly endpoint?: ClusterEndpoint;

  /**
   * The control-plane log types sent to CloudWatch Logs.
   *
   * @default - all: api, audit, authenticator, controllerManager, scheduler
   */
  readonly clusterLogging?: eks.ClusterLoggingTypes[];

  /**
   * The VPC.
   *
   * @default - a new VPC over three availability zones with flow logs
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The Lambda layer with kubectl and helm for the cluster's kubectl provider.
   *
   * @default - KubectlV33Layer
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * The platform bucket (event logs and job data).
   *
   * @default - a new bucket with the event-log prefix `spark-events`
   */
  readonly bucket?: SparkPlatformBucketProps;

  /**
   * The job namespaces whose service accounts get IAM roles.
   *
   * @default - none
   */
  readonly sparkJobs?: SparkJobAccess[];

  /**
   * The Spark History Server's role.
   *
   * @default - a role for spark-history/spark-history-server, without delete
   */
  readonly historyServer?: HistoryServerAccess;

  /**
   * Argo Workflows' artifact repository role.
   *
   * @default - a role for argo/argo-workflow on `argo-artifacts/`
   */
  readonly argoWorkflows?: ArgoWorkflowsAccess;

  /**
   * The cluster-autoscaler's service account (its role is always created).
   *
   * @default 'kube-system/cluster-autoscaler'
   */
  readonly clusterAutoscalerServiceAccount?: string;

  /**
   * How the service accounts get their roles, unless a workload says otherwise. EKS Pod Identity needs an
   * AWS SDK that supports it: the cluster-autoscaler's does, Spark 3.5's (AWS SDK v1 in Hadoop 3.3) does not.
   *
   * @default WorkloadIdentity.IRSA (works with every AWS SDK, including Spark 3.5's)
   */
  readonly workloadIdentity?: WorkloadIdentity;

  /**
   * How the cluster-autoscaler's service account gets its role.
   *
   * @default - `workloadIdentity`
   */
  readonly clusterAutoscalerIdentity?: WorkloadIdentity;

  /**
   * Install Argo CD from its pinned chart and point it at the repository of the committed `dist/`.
   *
   * @default - no Argo CD
   */
  readonly gitOps?: GitOpsBootstrap;
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/**
 * The AWS side of the Spark platform: an EKS cluster with an on-demand system node group and one managed node
 * group per `NodePool`, the platform bucket, IAM roles for the workloads' service accounts, optionally Argo
 * CD, and the `PlatformBindings` the Kubernetes side needs.
 */
export class SparkEksCluster extends Construct {
  /**
   * The name of the stack output holding the role ARN of a service account (`<namespace>/<name>`):
   * `RoleArn` and the PascalCase words of the namespace and the name, e.g. `RoleArnKubeSystemClusterAutoscaler`.
   */
  public static roleOutputName(serviceAccount: string): string {
    const words = serviceAccount.split(/[^A-Za-z0-9]+/).filter(w => w.length > 0);
    return `RoleArn${words.map(w => w[0].toUpperCase() + w.slice(1)).join('')}`;
  }

  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** Who can reach the API endpoint. */
  public readonly endpoint: ClusterEndpoint;
  /** The platform bucket. */
  public readonly platformBucket: SparkPlatformBucket;
  /** The managed node group of each pool, by pool name. */
  public readonly nodegroups: { [poolName: string]: eks.Nodegroup };
  /** The workload roles, by `<namespace>/<service account>`. */
  public readonly serviceAccountRoles: { [serviceAccount: string]: ServiceAccountRole };
  /** The values the Kubernetes side needs (deploy-time tokens in this app, stack outputs for others). */
  public readonly bindings: PlatformBindings;
  /** Argo CD's Helm chart, when `gitOps` is set. */
  public readonly argoCd?: HelmReleaseChart;
  private readonly rolePrefixes = new Map<ServiceAccountRole, Set<string>>();

  public constructor(scope: Construct, id: string, props: SparkEksClusterProps) {
    super(scope, id);
    if (typeof props.clusterName !== 'string' || !CLUSTER_NAME.test(props.clusterName)) {
      throw invalidProp(this, 'clusterName', props.clusterName,
        'must be 1 to 100 characters of letters, digits, \'-\' and \'_\', starting with a letter or digit (EKS\'s rule)');
    }
    this.clusterName = props.clusterName;
    if (!props.systemPool) {
      throw invalidProp(this, 'systemPool', props.systemPool, 'is required: an ON_DEMAND NodePool for operators, Argo CD and Spark drivers (spot pools alone cannot host them)');
    }
    if (props.systemPool.isSpot) {
      throw invalidProp(this, 'systemPool', props.systemPool.name,
        'is a spot pool: the system node group runs operators, Argo CD and Spark drivers, which must not be reclaimed; give an ON_DEMAND pool');
    }
    const pools = [props.systemPool, ...(props.nodePools ?? [])];
    const names = new Set<string>();
    for (const pool of pools) {
      if (names.has(pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'is listed twice (or is the system pool): pool names name the node groups and must be unique');
      names.add(pool.name);
    }
    this.endpoint = props.endpoint ?? ClusterEndpoint.privateOnly();

    const vpc = props.vpc ?? this.defaultVpc();
    this.cluster = new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: props.version ?? eks.KubernetesVersion.V1_33,
      vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: this.endpoint.endpointAccess,
      clusterLogging: props.clusterLogging ?? [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      defaultCapacity: 0,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      kubectlProviderOptions: { kubectlLayer: props.kubectlLayer ?? new KubectlV33Layer(this, 'KubectlLayer') },
    });

    this.nodegroups = {};
    for (const pool of pools) {
      this.nodegroups[pool.name] = this.cluster.addNodegroupCapacity(`NodeGroup-${pool.name}`, nodegroupOptions(pool, props.clusterName));
    }

    this.platformBucket = new SparkPlatformBucket(this, 'Bucket', props.bucket);
    this.serviceAccountRoles = {};
    this.addWorkloadRoles(props);
    if (props.gitOps) this.argoCd = this.addArgoCd(props.gitOps, Placement.onPool(props.systemPool));

    const eventLogs = this.platformBucket.eventLogs;
    this.bindings = {
      clusterName: props.clusterName,
      region: Stack.of(this).region,
      bucketName: this.platformBucket.bucket.bucketName,
      eventLogPrefix: eventLogs.prefix,
      serviceAccountRoleArns: Object.fromEntries(Object.entries(this.serviceAccountRoles).map(([key, role]) => [key, role.role.roleArn])),
    };
    this.addOutputs();
    this.acknowledgeNagFindings();
  }

  /** The role of a service account (`<namespace>/<name>`), or an error listing the known ones. */
  public roleFor(serviceAccount: string): ServiceAccountRole {
    const role = this.serviceAccountRoles[serviceAccount];
    if (!role) {
      throw invalidProp(this, 'serviceAccount', serviceAccount, `has no role; roles exist for ${Object.keys(this.serviceAccountRoles).join(', ')}`);
    }
    return role;
  }

  private defaultVpc(): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
      ],
    });
    vpc.addFlowLog('FlowLogs');
    // Load balancers find their subnets by these tags.
    for (const subnet of vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of vpc.privateSubnets) Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    return vpc;
  }

  private addWorkloadRoles(props: SparkEksClusterProps): void {
    const defaultIdentity = props.workloadIdentity ?? WorkloadIdentity.IRSA;
    let podIdentityUsed = false;
    const eventLogs = this.platformBucket.eventLogs;
    const addRole = (id: string, serviceAccount: string, statements: iam.PolicyStatement[], prefixes: string[], identity = defaultIdentity) => {
      podIdentityUsed ||= identity === WorkloadIdentity.POD_IDENTITY;
      const [namespace, name] = serviceAccount.split('/');
      if (!name || serviceAccount.split('/').length !== 2) {
        throw invalidProp(this, id, serviceAccount, 'must be "<namespace>/<service account>"');
      }
      if (this.serviceAccountRoles[serviceAccount]) throw invalidProp(this, id, serviceAccount, 'already has a role');
      const role = new ServiceAccountRole(this, id, { cluster: this.cluster, namespace, serviceAccountName: name, identity, statements });
      this.serviceAccountRoles[serviceAccount] = role;
      this.rolePrefixes.set(role, new Set(prefixes));
    };

    addRole('ClusterAutoscalerRole', props.clusterAutoscalerServiceAccount ?? 'kube-system/cluster-autoscaler',
      WorkloadPolicies.clusterAutoscaler(this.clusterName), [], props.clusterAutoscalerIdentity);

    for (const job of props.sparkJobs ?? []) {
      checkDns1123Label(this, 'sparkJobs.namespace', job.namespace);
      const serviceAccount = checkDns1123Subdomain(this, 'sparkJobs.serviceAccountName', job.serviceAccountName ?? 'spark');
      addRole(`SparkJobRole-${job.namespace}`, `${job.namespace}/${serviceAccount}`, [
        ...WorkloadPolicies.s3ReadWrite(eventLogs),
        ...(job.readPrefixes ?? []).flatMap(prefix => WorkloadPolicies.s3Read(this.location('sparkJobs.readPrefixes', prefix))),
        ...(job.readWritePrefixes ?? []).flatMap(prefix => WorkloadPolicies.s3ReadWrite(this.location('sparkJobs.readWritePrefixes', prefix))),
      ], [eventLogs.prefix, ...(job.readPrefixes ?? []), ...(job.readWritePrefixes ?? [])], job.identity);
    }

    const history = props.historyServer ?? {};
    addRole('HistoryServerRole', `${history.namespace ?? 'spark-history'}/${history.serviceAccountName ?? 'spark-history-server'}`,
      WorkloadPolicies.historyServer(eventLogs, history.cleaner ?? false), [eventLogs.prefix], history.identity);

    const argo = props.argoWorkflows ?? {};
    const artifacts = this.location('argoWorkflows.artifactPrefix', argo.artifactPrefix ?? 'argo-artifacts');
    addRole('ArgoWorkflowsRole', `${argo.namespace ?? 'argo'}/${argo.serviceAccountName ?? 'argo-workflow'}`,
      WorkloadPolicies.s3ReadWrite(artifacts), [artifacts.prefix], argo.identity);

    if (podIdentityUsed) {
      new eks.Addon(this, 'PodIdentityAgent', { cluster: this.cluster, addonName: 'eks-pod-identity-agent' });
    }
  }

  private location(prop: string, prefix: string) {
    try {
      return this.platformBucket.location(prefix);
    } catch (e) {
      throw invalidProp(this, prop, prefix, (e as Error).message.replace(/^.*?: /, ''));
    }
  }

  private addArgoCd(gitOps: GitOpsBootstrap, placement: Placement): HelmReleaseChart {
    const release = new ArgoCdRelease({ placement, highAvailability: gitOps.highAvailability });
    const argoCd = new HelmReleaseChart(this, 'ArgoCd', { cluster: this.cluster, release });

    // The root Application, rendered by the same construct as on the Kubernetes side. It starts in Argo CD's
    // `default` project; the copy in dist/ (in the platform project, created by the first sync) takes over.
    const bootstrap = new cdk8s.Chart(new cdk8s.App(), 'bootstrap');
    new ArgoCdApplication(bootstrap, 'RootApplication', {
      source: ApplicationSource.fromGitDirectory({ repoUrl: gitOps.repoUrl, revision: gitOps.revision, path: gitOps.path }),
      name: gitOps.rootApplicationName ?? 'spark-platform',
      argoCdNamespace: release.namespace,
      destinationNamespace: release.namespace,
    });
    const rootApplication = this.cluster.addCdk8sChart('ArgoCdRootApplication', bootstrap);
    rootApplication.node.addDependency(argoCd);
    return argoCd;
  }

  // The AwsSolutions findings on what this construct builds, each acknowledged with why it is right.
  private acknowledgeNagFindings(): void {
    for (const policy of EKS_MANAGED_POLICIES.cluster) {
      acknowledge(this.cluster, managedPolicyFinding(policy), `EKS requires ${policy} on the cluster role; AWS maintains it with the service.`);
    }
    for (const nodegroup of Object.values(this.nodegroups)) {
      for (const policy of EKS_MANAGED_POLICIES.nodes) {
        acknowledge(nodegroup, managedPolicyFinding(policy), `EKS worker nodes require ${policy} (kubelet, VPC CNI, image pulls); AWS maintains it with the service.`);
      }
    }
    // aws-eks-v2's kubectl provider: a Lambda in the VPC that runs kubectl and helm against the cluster.
    const stack = Stack.of(this);
    const kubectl = this.cluster.node.findChild('KubectlProvider');
    const lambdaReason = 'Lambda of aws-eks-v2\'s kubectl provider (built by aws-cdk-lib): AWS managed basic/VPC execution policies are what it needs to log and run in the VPC.';
    for (const policy of ['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole']) acknowledge(kubectl, managedPolicyFinding(policy, true), lambdaReason);
    acknowledge(kubectl, managedPolicyFinding('AmazonEC2ContainerRegistryReadOnly'), 'The kubectl provider pulls Helm charts from ECR (aws-eks-v2 design).');
    const ecrPublic = kubectl.node.findAll().find(c => c instanceof CfnCondition);
    if (ecrPublic) {
      const condition = stack.resolve(stack.getLogicalId(ecrPublic as CfnCondition));
      acknowledge(kubectl, `IAM4[Policy::{"Fn::If":["${condition}",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},`
        + '":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]',
      'The kubectl provider pulls Helm charts from ECR Public in regions that have it (aws-eks-v2 design).');
    }
    acknowledge(kubectl, 'L1', 'aws-eks-v2 picks the kubectl provider\'s Python runtime (the latest it supports); the library does not override it.');
    acknowledge(kubectl, `IAM5[Resource::${nagRef(kubectl.node.findChild('Handler'), 'Arn')}:*]`, 'The provider framework invokes the kubectl handler\'s versions and aliases (aws-cdk-lib custom resource provider).');
    // The singleton Lambda of AwsCustomResource (the event-log prefix).
    const awsCustomResource = stack.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
    if (awsCustomResource) {
      acknowledge(awsCustomResource, managedPolicyFinding('AWSLambdaBasicExecutionRole', true), 'Lambda of aws-cdk-lib\'s AwsCustomResource (creates the event-log prefix): it only needs to write its logs.');
    }

    if (this.platformBucket.bucket.node.defaultChild) {
      acknowledge(this.platformBucket, 'S1', 'Server access logging is opt-in (bucket.serverAccessLogsBucket): a second bucket per platform is a cost the user decides; CloudTrail data events are the alternative.');
    }
    // Object-level permissions must name "<prefix>/*": the wildcard is the prefix, never the bucket or the account.
    const bucket = this.platformBucket.bucket;
    const bucketRef = bucket.node.defaultChild ? nagRef(bucket) : bucket.bucketName;
    for (const [role, prefixes] of this.rolePrefixes) {
      for (const prefix of prefixes) {
        acknowledge(role, `IAM5[Resource::arn:<AWS::Partition>:s3:::${bucketRef}/${prefix}/*]`,
          'Object permissions are scoped to one key prefix of the platform bucket ("<prefix>/*"), never the bucket or the account.');
      }
    }
    const autoscaler = Object.values(this.serviceAccountRoles).find(r => r.node.id === 'ClusterAutoscalerRole')!;
    acknowledge(autoscaler, 'IAM5[Resource::*]', 'The autoscaling and ec2 Describe actions of the cluster-autoscaler support no resource-level permissions; they are read-only.');
    acknowledge(autoscaler, `IAM5[Resource::arn:<AWS::Partition>:eks:<AWS::Region>:<AWS::AccountId>:nodegroup/${this.clusterName}/*/*]`,
      'eks:DescribeNodegroup on this cluster\'s node groups only (the autoscaler reads their labels and taints to scale from zero).');
    acknowledge(autoscaler, 'IAM5[Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:autoScalingGroup:*:autoScalingGroupName/*]',
      `Scaling actions are limited by the condition aws:ResourceTag/k8s.io/cluster-autoscaler/${this.clusterName}=owned to this cluster's node groups.`);
  }

  // Outputs have fixed names (never a hashed logical id), so a pipeline can read them by name.
  private addOutputs(): void {
    const out = (name: string, value: string, description: string) => {
      const output = new CfnOutput(this, name, { value, description });
      output.overrideLogicalId(name);
    };
    out('ClusterName', this.clusterName, 'PlatformBindings.clusterName');
    out('Region', Aws.REGION, 'PlatformBindings.region');
    out('BucketName', this.platformBucket.bucket.bucketName, 'PlatformBindings.bucketName');
    out('EventLogPrefix', this.platformBucket.eventLogs.prefix, 'PlatformBindings.eventLogPrefix');
    out('EventLogUri', this.platformBucket.eventLogs.s3aUri, 'spark.eventLog.dir of every job');
    const names = new Map<string, string>();
    for (const [key, role] of Object.entries(this.serviceAccountRoles)) {
      const name = SparkEksCluster.roleOutputName(key);
      if (names.has(name)) throw invalidProp(this, 'serviceAccount', key, `has the same output name ${name} as "${names.get(name)}"`);
      names.set(name, key);
      out(name, role.role.roleArn, `PlatformBindings.serviceAccountRoleArns["${key}"]`);
    }
  }
}
