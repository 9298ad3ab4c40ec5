import { KubectlV33Layer } from '@aws-cdk/lambda-layer-kubectl-v33';
import { Annotations, Aws, CfnOutput, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterEndpoint } from './cluster-endpoint';
import { HelmReleaseChart } from './helm-release-chart';
import { SparkPlatformBucket, SparkPlatformBucketProps } from './platform-bucket';
import { KarpenterInfrastructure } from './private/karpenter-infrastructure';
import { nodegroupOptions } from './private/node-group-options';
import { NodeLaunchTemplate } from './private/node-launch-template';
import { ServiceAccountRole } from './service-account-role';
import { WorkloadPolicies } from './workload-policies';
import { KarpenterNames, PlatformBindings, PlatformServiceAccounts, ServiceAccountIdentity, WorkloadIdentity } from '../bindings';
import { ApplicationSource, ArgoCdApplication, ArgoCdRelease, ArgoCdSso, GitDirectoryOptions, GitOps } from '../delivery';
import { NodePool, Placement } from '../scheduling';
import { SparkTeam } from '../spark';
import { S3Location } from '../storage';
import { eksClusterNameProblem, invalidProp, quote } from '../validation';
import { acknowledge, acknowledgePlatformFindings, managedPolicyFinding } from './private/nag-acknowledgments';

/**
 * Where the Spark History Server's role is and whether its cleaner deletes old event logs.
 */
export interface HistoryServerAccess {
  /**
   * The history server's service account.
   *
   * @default PlatformServiceAccounts.SPARK_HISTORY_SERVER
   */
  readonly serviceAccount?: ServiceAccountIdentity;

  /**
   * Whether the history server's cleaner deletes event logs (`spark.history.fs.cleaner.enabled`): only then
   * may it delete objects. It reaches the Kubernetes side as `PlatformBindings.historyServerCleaner`, and
   * `SparkHistoryServer` refuses a cleaner setting that disagrees.
   *
   * @default true
   */
  readonly cleaner?: boolean;
}

/**
 * Where Argo Workflows' artifact repository is and who writes it.
 */
export interface ArgoWorkflowsAccess {
  /**
   * The Argo Workflows server's service account: it reads the artifact repository (archived logs, artifacts in
   * the UI). Each team's pipelines write below `<artifactPrefix>/<namespace>/` with the team's pipeline role.
   *
   * @default PlatformServiceAccounts.ARGO_WORKFLOWS_SERVER
   */
  readonly serviceAccount?: ServiceAccountIdentity;

  /**
   * The key prefix of the artifact repository in the platform bucket.
   *
   * @default 'argo-artifacts'
   */
  readonly artifactPrefix?: string;
}

/**
 * Karpenter instead of the cluster-autoscaler: its controller's role, the role of the nodes it launches, its
 * interruption queue, and node groups that stay at their pools' baseline. Names are derived from the cluster's
 * (`KarpenterNames`), so the Kubernetes side's Karpenter finds them without a stack output.
 */
export interface KarpenterAccess {
  /**
   * Karpenter's controller's service account: its role is named `serviceAccount.roleName(<cluster>, <region>)` and
   * reached through IRSA or EKS Pod Identity, as the identity says. The Kubernetes side's Karpenter takes the same
   * object.
   *
   * @default PlatformServiceAccounts.KARPENTER
   */
  readonly serviceAccount?: ServiceAccountIdentity;
}

/**
 * The git repository Argo CD follows (the committed `dist/`).
 */
export interface GitOpsBootstrap extends GitDirectoryOptions {
  /**
   * The root Application's name: the same as the Kubernetes side's `GitOps` root Application, which takes it
   * over on the first sync.
   *
   * @default GitOps.DEFAULT_ROOT_APPLICATION_NAME ('spark-platform', the Kubernetes side's default)
   */
  readonly rootApplicationName?: string;

  /**
   * The objects of the Kubernetes side's `gitops.k8s.yaml` (the platform's AppProject, the root Application, the
   * operators' Applications), as `cdk8s synth` wrote them: the bootstrap applies exactly these once Argo CD runs,
   * so the root Application exists once, as dist/ holds it, and syncs itself from then on. Read the committed file
   * (`yaml.parseAllDocuments(fs.readFileSync('dist/gitops.k8s.yaml', 'utf-8')).map(d => d.toJS())`) or, in one
   * repository, render the Kubernetes side's `GitOps` chart (`gitOps.toJson()`). Its root Application must follow
   * `repoUrl`, `revision` and `path` and be named `rootApplicationName`.
   *
   * @default - a root Application of its own in Argo CD's `default` project, which the copy in dist/ replaces at
   * the first sync
   */
  readonly manifests?: any[];

  /**
   * Run Argo CD highly available.
   *
   * @default false
   */
  readonly highAvailability?: boolean;

  /**
   * Single sign-on for Argo CD through OIDC; with it, the local `admin` user is off.
   *
   * @default - no SSO: the local `admin` user (initial password in the `argocd-initial-admin-secret` Secret)
   */
  readonly sso?: ArgoCdSso;
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
   * The other pools (for example spot pools for executors), one managed node group each (with `karpenter`: only
   * the pools with a `minSize` above 0, fixed at it; Karpenter launches the rest of their nodes).
   *
   * @default - none
   */
  readonly nodePools?: NodePool[];

  /**
   * The Kubernetes version.
   *
   * @default eks.KubernetesVersion.V1_33
   */
  readonly kubernetesVersion?: eks.KubernetesVersion;

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
   * The VPC. Give it an S3 gateway endpoint (free): without one, every byte Spark reads from or writes to S3
   * goes through the NAT gateways, billed per GiB. A VPC of this app without one is reported as a warning.
   *
   * @default - a new VPC over three availability zones with flow logs and an S3 gateway endpoint
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
   * The teams that run Spark jobs: each gets an IAM role for its service account (write the event logs, read
   * its `readPrefixes`, read and write its `readWritePrefixes`). The Kubernetes side takes the same objects.
   *
   * @default - none
   */
  readonly teams?: SparkTeam[];

  /**
   * The cluster-autoscaler's service account (its role is created unless `karpenter` is given). The Kubernetes
   * side's `ClusterAutoscaler` takes the same object.
   *
   * @default PlatformServiceAccounts.CLUSTER_AUTOSCALER
   */
  readonly clusterAutoscaler?: ServiceAccountIdentity;

  /**
   * Scale with Karpenter instead of the cluster-autoscaler: Karpenter's controller role (upstream v1.14.1's
   * policy), its node role with an EKS access entry, its interruption queue with the EventBridge rules that feed
   * it, and the discovery tag on the nodes' subnets and the cluster security group. A pool with a `minSize` above
   * 0 keeps a managed node group fixed at `minSize` nodes (the baseline that runs Karpenter and the platform's
   * components); a pool with `minSize` 0 gets no node group. The system pool must have a `minSize` of at least 1
   * (Karpenter's controller cannot run on nodes it launches). No cluster-autoscaler role is created.
   *
   * @default - no Karpenter: one node group per pool between its `minSize` and `maxSize`, scaled by the
   * cluster-autoscaler
   */
  readonly karpenter?: KarpenterAccess;

  /**
   * The Spark History Server's role.
   *
   * @default - a role for PlatformServiceAccounts.SPARK_HISTORY_SERVER that reads the event logs and deletes old ones
   */
  readonly historyServer?: HistoryServerAccess;

  /**
   * Argo Workflows' artifact repository: the server's read role, and each team's pipeline role (write below
   * `<artifactPrefix>/<namespace>/`). Give it when the Kubernetes side runs pipelines (`ArgoWorkflows`): without
   * it no Argo Workflows role exists (no role that nothing uses).
   *
   * @default - no Argo Workflows roles
   */
  readonly argoWorkflows?: ArgoWorkflowsAccess;

  /**
   * The KMS key that encrypts the cluster's Kubernetes Secrets (EKS envelope encryption). EKS cannot turn this
   * off once on, and cannot change the key.
   *
   * @default - a new symmetric KMS key with yearly rotation, retained when the stack is deleted
   */
  readonly secretsEncryptionKey?: kms.IKey;

  /**
   * Install the EBS CSI driver (the `aws-ebs-csi-driver` EKS add-on, with an IRSA role holding the AWS managed
   * `AmazonEBSCSIDriverPolicy`), which provisions the volumes of PersistentVolumeClaims: fluentd's buffers, a
   * history server's store. Without it (or another CSI driver), such claims stay Pending on EKS.
   *
   * @default true
   */
  readonly ebsCsiDriver?: boolean;

  /**
   * Enforce NetworkPolicies: the `vpc-cni` EKS add-on with `enableNetworkPolicy` on (its network policy agent is
   * off by default, aws/aws-network-policy-agent `enable-network-policy`, and amazon-vpc-cni-k8s
   * `charts/aws-vpc-cni/values.yaml` `enableNetworkPolicy: "false"`), taking over the VPC CNI EKS installs. The
   * Kubernetes side renders default-deny policies for every namespace of the platform: without this they are
   * accepted and never enforced.
   *
   * @default true
   */
  readonly networkPolicies?: boolean;

  /**
   * Install Argo CD from its pinned chart and point it at the repository of the committed `dist/`.
   *
   * @default - no Argo CD
   */
  readonly gitOps?: GitOpsBootstrap;
}

// The object pattern of a location, as IAM resources and cdk-nag findings name it: "<prefix>/*".
function objectsOf(location: S3Location): string {
  return `${location.prefix}/*`;
}

// The bootstrap objects must be the Kubernetes side's GitOps output for this repository: an AppProject and the root
// Application (a git directory source) that follows gitOps' repository, revision and path under its name.
function checkedBootstrap(scope: Construct, gitOps: GitOpsBootstrap): any[] {
  const docs = (gitOps.manifests ?? []).filter(d => d && typeof d === 'object');
  const name = gitOps.rootApplicationName ?? GitOps.DEFAULT_ROOT_APPLICATION_NAME;
  const roots = docs.filter(d => d.kind === 'Application' && d.spec?.source?.path !== undefined);
  const root = roots.find(d => d.metadata?.name === name);
  if (!docs.some(d => d.kind === 'AppProject') || !root) {
    throw invalidProp(scope, 'gitOps.manifests', `${docs.length} objects (${[...new Set(docs.map(d => d.kind))].join(', ')})`,
      `must be the Kubernetes side's gitops.k8s.yaml: an AppProject and the root Application "${name}" (rootApplicationName)`);
  }
  const want = {
    repoURL: gitOps.repoUrl,
    targetRevision: gitOps.revision ?? ApplicationSource.DEFAULT_REVISION,
    path: gitOps.path ?? ApplicationSource.DEFAULT_PATH,
  };
  const got = { repoURL: root.spec.source.repoURL, targetRevision: root.spec.source.targetRevision, path: root.spec.source.path };
  if (JSON.stringify(want) !== JSON.stringify(got)) {
    throw invalidProp(scope, 'gitOps.manifests', JSON.stringify(got),
      `hold a root Application following another source than repoUrl, revision and path (${JSON.stringify(want)}): render the Kubernetes side with the same gitOps settings`);
  }
  return docs;
}

interface PrefixGrant {
  readonly owner: string;
  readonly prop: string;
  readonly prefix: string;
}

// S3A's status probe HEADs the bare key, so every role may list its prefixes without the '/' (WorkloadPolicies.s3Read):
// "curated/sessions" then also lists the keys of "curated/sessions-archive/...". Two owners' prefixes must not
// share leading characters that way.
function checkBarePrefixOverlaps(scope: Construct, grants: PrefixGrant[]): void {
  for (const a of grants) {
    for (const b of grants) {
      if (a.owner === b.owner || !b.prefix.startsWith(a.prefix) || b.prefix === a.prefix || b.prefix[a.prefix.length] === '/') continue;
      throw invalidProp(scope, b.prop, b.prefix,
        `begins with "${a.prefix}" (${a.prop}, ${a.owner}) without a '/' after it: S3A probes the bare prefix, so the grant to list "${a.prefix}" would list the keys of "${b.prefix}" too; `
        + `rename one, or nest them ("${a.prefix}/${b.prefix.slice(a.prefix.length).replace(/^[-_.]/, '')}")`);
    }
  }
}

const EBS_CSI_DRIVER_POLICY = 'service-role/AmazonEBSCSIDriverPolicy';

/**
 * The AWS side of the Spark platform: an EKS cluster with an on-demand system node group and one managed node
 * group per `NodePool`, the platform bucket, an IAM role for each workload's service account (named after the
 * cluster and the service account, so the Kubernetes side knows its ARN), optionally Argo CD, and the
 * `PlatformBindings` the Kubernetes side needs.
 */
export class SparkEksCluster extends Construct {
  /**
   * The name of the stack output holding the role ARN of a service account: `RoleArn` and the PascalCase words
   * of its namespace and name, e.g. `RoleArnKubeSystemClusterAutoscaler`.
   */
  public static roleOutputName(serviceAccount: ServiceAccountIdentity): string {
    const words = serviceAccount.key.split(/[^A-Za-z0-9]+/).filter(w => w.length > 0);
    return `RoleArn${words.map(w => w[0].toUpperCase() + w.slice(1)).join('')}`;
  }

  /**
   * The context entry that names a region's availability zones for an account, as `cdk.context.json` caches it
   * after a lookup. Put it in the App's `context` (or commit `cdk.context.json`) and `cdk synth` needs no AWS
   * credentials: a stack with an explicit account and region otherwise looks its zones up in the account
   * (aws-cdk-lib `Stack.availabilityZones`), and the new VPC spans up to three of them.
   *
   * @param account the stack's account
   * @param region the stack's region
   * @param zones the zones, e.g. `['eu-west-1a', 'eu-west-1b', 'eu-west-1c']`
   */
  public static availabilityZonesContext(account: string, region: string, zones: string[]): { [key: string]: any } {
    if (!/^[0-9]{12}$/.test(account)) throw invalidProp('SparkEksCluster', 'account', account, 'must be a 12-digit AWS account id');
    const problem = (zone: string) => typeof zone !== 'string' || !zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length));
    if (!Array.isArray(zones) || zones.length < 2 || zones.some(problem)) {
      throw invalidProp('SparkEksCluster', 'zones', zones, `must list at least two zones of ${region}, e.g. ["${region}a", "${region}b", "${region}c"]`);
    }
    return { [`availability-zones:account=${account}:region=${region}`]: [...zones] };
  }

  /** The EKS cluster. */
  public readonly cluster: eks.Cluster;
  /** The cluster's name. */
  public readonly clusterName: string;
  /** Who can reach the API endpoint. */
  public readonly endpoint: ClusterEndpoint;
  /** The platform bucket. */
  public readonly platformBucket: SparkPlatformBucket;
  /** The managed node group of each pool, by pool name (with `karpenter`: only the pools with a `minSize` above 0). */
  public readonly nodegroups: { [poolName: string]: eks.Nodegroup };
  /**
   * The role of the nodes Karpenter launches, named `KarpenterNames.nodeRoleName(<cluster>, <region>)`.
   *
   * @default - none without `karpenter`
   */
  public readonly karpenterNodeRole?: iam.IRole;
  /**
   * Karpenter's interruption queue, named `KarpenterNames.interruptionQueueName(<cluster>)`.
   *
   * @default - none without `karpenter`
   */
  public readonly karpenterInterruptionQueue?: sqs.IQueue;
  /** The values the Kubernetes side needs (deploy-time tokens in this app, stack outputs for others). */
  public readonly bindings: PlatformBindings;
  /** Argo CD's Helm chart, when `gitOps` is set. */
  public readonly argoCd?: HelmReleaseChart;
  /** The KMS key that encrypts the cluster's Kubernetes Secrets. */
  public readonly secretsEncryptionKey: kms.IKey;
  /** The `vpc-cni` add-on that enforces NetworkPolicies, unless `networkPolicies` is false. */
  public readonly vpcCni?: eks.CfnAddon;
  private readonly systemNodegroup: eks.Nodegroup;
  private readonly roles: ServiceAccountRole[] = [];
  private readonly rolePrefixes = new Map<ServiceAccountRole, Set<string>>();

  public constructor(scope: Construct, id: string, props: SparkEksClusterProps) {
    super(scope, id);
    const pools = this.checkProps(props);
    this.clusterName = props.clusterName;
    this.endpoint = props.endpoint ?? ClusterEndpoint.privateOnly();
    this.secretsEncryptionKey = props.secretsEncryptionKey ?? new kms.Key(this, 'SecretsKey', {
      description: `Envelope encryption of the Kubernetes Secrets of EKS cluster ${props.clusterName}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.cluster = this.createCluster(props);
    this.vpcCni = props.networkPolicies ?? true ? this.addVpcCni() : undefined;
    const karpenter = props.karpenter !== undefined;
    // With Karpenter, a pool without a baseline has no node group: Karpenter launches all its nodes.
    this.nodegroups = Object.fromEntries(pools.filter(pool => !karpenter || pool.minSize > 0).map(pool => {
      const nodegroup = this.cluster.addNodegroupCapacity(`NodeGroup-${pool.name}`,
        nodegroupOptions(pool, props.clusterName, new NodeLaunchTemplate(this, `LaunchTemplate-${pool.name}`, pool).launchTemplate, karpenter));
      // Nodes join with the network policy agent already on.
      if (this.vpcCni) nodegroup.node.addDependency(this.vpcCni);
      return [pool.name, nodegroup];
    }));
    this.systemNodegroup = this.nodegroups[props.systemPool.name];
    this.platformBucket = new SparkPlatformBucket(this, 'Bucket', props.bucket);
    this.bindings = new PlatformBindings({
      accountId: Stack.of(this).account,
      clusterName: this.clusterName,
      region: Stack.of(this).region,
      bucketName: this.platformBucket.bucket.bucketName,
      eventLogPrefix: this.platformBucket.eventLogs.prefix,
      artifactPrefix: this.artifactPrefixOf(props),
      historyServerCleaner: props.historyServer?.cleaner ?? true,
      partition: Aws.PARTITION,
      kubernetesVersion: (props.kubernetesVersion ?? eks.KubernetesVersion.V1_33).version,
      teamNamespaces: (props.teams ?? []).map(team => team.namespace),
      deployedByAwsCdk: true,
    });
    const karpenterParts = props.karpenter ? this.addKarpenter(props.karpenter) : undefined;
    this.karpenterNodeRole = karpenterParts?.infrastructure.nodeRole;
    this.karpenterInterruptionQueue = karpenterParts?.infrastructure.queue;
    const autoscalerRole = this.addWorkloadRoles(props);
    if (props.gitOps) this.argoCd = this.addArgoCd(props.gitOps, Placement.onPool(props.systemPool));
    this.addOutputs();
    acknowledgePlatformFindings({
      clusterName: this.clusterName,
      cluster: this.cluster,
      nodegroups: Object.values(this.nodegroups),
      bucket: this.platformBucket,
      rolePrefixes: this.rolePrefixes,
      clusterAutoscalerRole: autoscalerRole,
      karpenter: karpenterParts,
    });
  }

  /** The workload roles. */
  public get serviceAccountRoles(): ServiceAccountRole[] {
    return [...this.roles];
  }

  /** The role of a service account, or an error listing the service accounts that have one. */
  public roleFor(serviceAccount: ServiceAccountIdentity): ServiceAccountRole {
    const role = this.roles.find(r => r.serviceAccount.key === serviceAccount.key);
    if (!role) {
      throw invalidProp(this, 'serviceAccount', serviceAccount.key, `has no role; roles exist for ${this.roles.map(r => r.serviceAccount.key).join(', ')}`);
    }
    return role;
  }

  private checkProps(props: SparkEksClusterProps): NodePool[] {
    const nameProblem = eksClusterNameProblem(props.clusterName);
    if (nameProblem) throw invalidProp(this, 'clusterName', props.clusterName, nameProblem);
    if (!props.systemPool) {
      throw invalidProp(this, 'systemPool', props.systemPool, 'is required: an ON_DEMAND NodePool for operators, Argo CD and Spark drivers (spot pools alone cannot host them)');
    }
    if (props.systemPool.isSpot) {
      throw invalidProp(this, 'systemPool', props.systemPool.name,
        'is a spot pool: the system node group runs operators, Argo CD and Spark drivers, which must not be reclaimed; give an ON_DEMAND pool');
    }
    if (props.karpenter && props.systemPool.minSize < 1) {
      throw invalidProp(this, 'systemPool', props.systemPool.name,
        'has minSize 0 with karpenter: Karpenter\'s controller runs on the system node group and cannot run on nodes it launches; give the system pool a minSize of at least 1');
    }
    if (props.karpenter && props.clusterAutoscaler) {
      throw invalidProp(this, 'clusterAutoscaler', props.clusterAutoscaler.key,
        'is given with karpenter: Karpenter scales the cluster, and the platform runs one autoscaler; leave clusterAutoscaler out');
    }
    const pools = [props.systemPool, ...(props.nodePools ?? [])];
    const names = new Set<string>();
    for (const pool of pools) {
      if (names.has(pool.name)) throw invalidProp(this, 'nodePools', pool.name, 'is listed twice (or is the system pool): pool names name the node groups and must be unique');
      names.add(pool.name);
    }
    return pools;
  }

  private createCluster(props: SparkEksClusterProps): eks.Cluster {
    return new eks.Cluster(this, 'Cluster', {
      clusterName: props.clusterName,
      version: props.kubernetesVersion ?? eks.KubernetesVersion.V1_33,
      vpc: props.vpc ? this.checkVpc(props.vpc) : this.defaultVpc(),
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
      endpointAccess: this.endpoint.endpointAccess,
      secretsEncryptionKey: this.secretsEncryptionKey,
      clusterLogging: props.clusterLogging ?? [
        eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR,
        eks.ClusterLoggingTypes.CONTROLLER_MANAGER, eks.ClusterLoggingTypes.SCHEDULER,
      ],
      defaultCapacity: 0,
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      kubectlProviderOptions: { kubectlLayer: props.kubectlLayer ?? new KubectlV33Layer(this, 'KubectlLayer') },
    });
  }

  private checkVpc(vpc: ec2.IVpc): ec2.IVpc {
    const endpoints = vpc.node.findAll().filter((c): c is ec2.GatewayVpcEndpoint => c instanceof ec2.GatewayVpcEndpoint);
    const s3 = endpoints.some(e => {
      const service = (e.node.defaultChild as ec2.CfnVPCEndpoint).serviceName;
      return JSON.stringify(Stack.of(this).resolve(service)).includes('.s3');
    });
    if (!s3) {
      Annotations.of(this).addWarningV2('spark-platform:no-s3-gateway-endpoint', 'The VPC given has no S3 gateway endpoint this app can see: '
        + 'S3 traffic (every job\'s reads and writes, the event logs) goes through the NAT gateways, billed per GiB. '
        + 'Add one (vpc.addGatewayEndpoint("S3", { service: GatewayVpcEndpointAwsService.S3 })), or ignore this for a VPC that has it elsewhere.');
    }
    return vpc;
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
    // S3 traffic (event logs, data, shuffle fallback) through the route tables, not the NAT gateways.
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    // Load balancers find their subnets by these tags.
    for (const subnet of vpc.publicSubnets) Tags.of(subnet).add('kubernetes.io/role/elb', '1');
    for (const subnet of vpc.privateSubnets) Tags.of(subnet).add('kubernetes.io/role/internal-elb', '1');
    return vpc;
  }

  // Karpenter's node role, queue, rules and discovery tags, and its controller's role.
  private addKarpenter(access: KarpenterAccess): { infrastructure: KarpenterInfrastructure; controllerRole: ServiceAccountRole } {
    const region = Stack.of(this).region;
    const roleProblem = KarpenterNames.nodeRoleNameProblem(this.clusterName, region);
    if (roleProblem) throw invalidProp(this, 'clusterName', this.clusterName, roleProblem);
    const queueProblem = KarpenterNames.interruptionQueueNameProblem(this.clusterName);
    if (queueProblem) throw invalidProp(this, 'clusterName', this.clusterName, queueProblem);
    const infrastructure = new KarpenterInfrastructure(this, 'Karpenter', {
      cluster: this.cluster,
      clusterName: this.clusterName,
      nodeRoleName: KarpenterNames.nodeRoleName(this.clusterName, region),
      queueName: KarpenterNames.interruptionQueueName(this.clusterName),
      subnets: this.cluster.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnets,
    });
    const controllerRole = this.addRole('KarpenterControllerRole', access.serviceAccount ?? PlatformServiceAccounts.KARPENTER,
      WorkloadPolicies.karpenterController(this.clusterName, infrastructure.nodeRole.roleArn, infrastructure.queue.queueArn), []);
    return { infrastructure, controllerRole };
  }

  // One role per service account, named after the cluster and the service account; returns the autoscaler's
  // (none with Karpenter).
  private addWorkloadRoles(props: SparkEksClusterProps): ServiceAccountRole | undefined {
    const eventLogs = this.platformBucket.eventLogs;
    const autoscaler = props.karpenter ? undefined : this.addRole('ClusterAutoscalerRole', props.clusterAutoscaler ?? PlatformServiceAccounts.CLUSTER_AUTOSCALER,
      WorkloadPolicies.clusterAutoscaler(this.clusterName), []);
    const artifacts = this.bindings.artifacts;
    // Every prefix a role may list, by the prop that names it: checked for bare-prefix overlaps below.
    const grants: PrefixGrant[] = [{ owner: 'event logs', prop: 'bucket.eventLogPrefix', prefix: eventLogs.prefix }];
    (props.teams ?? []).forEach((team, i) => {
      team.readPrefixes.forEach((prefix, j) => grants.push({ owner: `team ${team.name}`, prop: `teams[${i}].readPrefixes[${j}]`, prefix }));
      team.readWritePrefixes.forEach((prefix, j) => grants.push({ owner: `team ${team.name}`, prop: `teams[${i}].readWritePrefixes[${j}]`, prefix }));
    });
    (props.teams ?? []).forEach((team, i) => {
      // Checked again here, where the error can name the team's place in `teams`.
      const reads = team.readPrefixes.map((prefix, j) => this.location(`teams[${i}].readPrefixes[${j}]`, prefix));
      const writes = team.readWritePrefixes.map((prefix, j) => this.location(`teams[${i}].readWritePrefixes[${j}]`, prefix));
      this.addRole(`SparkTeamRole-${team.namespace}`, team.serviceAccount, [
        ...WorkloadPolicies.eventLogWriter(eventLogs),
        ...reads.flatMap(location => WorkloadPolicies.s3Read(location)),
        ...writes.flatMap(location => WorkloadPolicies.s3ReadWrite(location)),
      ], [...[eventLogs, ...reads, ...writes].map(objectsOf), WorkloadPolicies.inProgressEventLogs(eventLogs)]);
      // The team's pipelines write their artifacts below <artifacts>/<namespace>/, and nowhere else.
      if (props.argoWorkflows) {
        const teamArtifacts = artifacts.child(team.namespace);
        this.addRole(`SparkPipelineRole-${team.namespace}`, team.pipelineServiceAccount, WorkloadPolicies.s3ReadWrite(teamArtifacts), [objectsOf(teamArtifacts)]);
      }
    });
    checkBarePrefixOverlaps(this, grants);
    const history = props.historyServer ?? {};
    this.addRole('HistoryServerRole', history.serviceAccount ?? PlatformServiceAccounts.SPARK_HISTORY_SERVER,
      WorkloadPolicies.historyServer(eventLogs, this.bindings.historyServerCleaner), [objectsOf(eventLogs)]);
    if (props.argoWorkflows) {
      this.addRole('ArgoWorkflowsServerRole', props.argoWorkflows.serviceAccount ?? PlatformServiceAccounts.ARGO_WORKFLOWS_SERVER,
        WorkloadPolicies.s3Read(artifacts), [objectsOf(artifacts)]);
    }

    if (props.ebsCsiDriver ?? true) this.addEbsCsiDriver();
    if (this.roles.some(role => role.serviceAccount.identity === WorkloadIdentity.POD_IDENTITY)) {
      new eks.Addon(this, 'PodIdentityAgent', { cluster: this.cluster, addonName: 'eks-pod-identity-agent' });
    }
    return autoscaler;
  }

  // The add-on annotates its own service account with the role (serviceAccountRoleArn): IRSA, no agent needed.
  private addEbsCsiDriver(): void {
    const role = this.addRole('EbsCsiDriverRole', PlatformServiceAccounts.EBS_CSI_CONTROLLER, [], []);
    role.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(EBS_CSI_DRIVER_POLICY));
    acknowledge(role, managedPolicyFinding('AmazonEBSCSIDriverPolicy', true),
      'The EBS CSI driver\'s own policy, maintained by AWS with the driver (volumes and snapshots it creates are tagged and scoped by it).');
    const driver = new eks.CfnAddon(this, 'EbsCsiDriver', {
      clusterName: this.cluster.clusterName,
      addonName: 'aws-ebs-csi-driver',
      serviceAccountRoleArn: role.role.roleArn,
      resolveConflicts: 'OVERWRITE',
    });
    // Its controller is a Deployment: created before any node it stays DEGRADED and can fail the stack.
    driver.node.addDependency(this.systemNodegroup);
  }

  // The VPC CNI EKS bootstraps (bootstrapSelfManagedAddons) taken over as an add-on, with its network policy agent
  // on: the JSON value is the string "true" (EKS user guide, cni-network-policy-configure).
  private addVpcCni(): eks.CfnAddon {
    return new eks.CfnAddon(this, 'VpcCni', {
      clusterName: this.cluster.clusterName,
      addonName: 'vpc-cni',
      configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
      resolveConflicts: 'OVERWRITE',
    });
  }

  // `objectPatterns`: the object resources (below the bucket) the role's statements name, e.g. "raw/*".
  private addRole(id: string, serviceAccount: ServiceAccountIdentity, statements: iam.PolicyStatement[],
    objectPatterns: string[]): ServiceAccountRole {
    const clash = this.roles.find(r => r.serviceAccount.key === serviceAccount.key);
    if (clash) throw invalidProp(this, id, serviceAccount.key, `already has a role (${clash.node.id}): one service account, one role`);
    const region = Stack.of(this).region;
    const problem = serviceAccount.roleNameProblem(this.clusterName, region);
    if (problem) {
      throw invalidProp(this, 'clusterName', this.clusterName, `makes the role name ${quote(serviceAccount._roleNameUnchecked(this.clusterName, region))}: ${problem}`);
    }
    const roleName = serviceAccount.roleName(this.clusterName, region);
    const role = new ServiceAccountRole(this, id, { cluster: this.cluster, serviceAccount, roleName, statements });
    this.roles.push(role);
    this.rolePrefixes.set(role, new Set(objectPatterns));
    return role;
  }

  private artifactPrefixOf(props: SparkEksClusterProps): string {
    const prefix = props.argoWorkflows?.artifactPrefix ?? 'argo-artifacts';
    this.location('argoWorkflows.artifactPrefix', prefix);
    return prefix;
  }

  private location(prop: string, prefix: string): S3Location {
    if (prefix === '') {
      throw invalidProp(this, prop, prefix, 'must not be empty: a key prefix such as "curated/sessions" (an empty prefix would grant the whole bucket)');
    }
    const problem = S3Location.prefixProblem(prefix);
    if (problem) throw invalidProp(this, prop, prefix, problem);
    return this.platformBucket.location(prefix);
  }

  private addArgoCd(gitOps: GitOpsBootstrap, placement: Placement): HelmReleaseChart {
    const release = new ArgoCdRelease({ placement, highAvailability: gitOps.highAvailability, sso: gitOps.sso });
    const argoCd = new HelmReleaseChart(this, 'ArgoCd', { cluster: this.cluster, release });
    // `wait` and `atomic`: started before a system node is Ready, it times out and rolls the stack back.
    argoCd.node.addDependency(this.systemNodegroup);

    if (gitOps.manifests !== undefined) {
      // The Kubernetes side's own gitops.k8s.yaml: one rendering of the project and the root Application.
      const manifest = this.cluster.addManifest('ArgoCdBootstrap', ...checkedBootstrap(this, gitOps));
      manifest.node.addDependency(argoCd);
      return argoCd;
    }
    // The root Application, rendered by the same construct as on the Kubernetes side. It starts in Argo CD's
    // `default` project; the copy in dist/ (in the platform project, created by the first sync) takes over.
    const bootstrap = new cdk8s.Chart(new cdk8s.App(), 'bootstrap');
    new ArgoCdApplication(bootstrap, 'RootApplication', {
      source: ApplicationSource.fromGitDirectory({ repoUrl: gitOps.repoUrl, revision: gitOps.revision, path: gitOps.path }),
      name: gitOps.rootApplicationName ?? GitOps.DEFAULT_ROOT_APPLICATION_NAME,
      argoCdNamespace: release.namespace,
      destinationNamespace: release.namespace,
    });
    const rootApplication = this.cluster.addCdk8sChart('ArgoCdRootApplication', bootstrap);
    rootApplication.node.addDependency(argoCd);
    return argoCd;
  }

  // Outputs have fixed names (never a hashed logical id), so a pipeline can read them by name
  // (`PlatformBindings.fromStackOutputs()`).
  private addOutputs(): void {
    const out = (name: string, value: string, description: string) => {
      const output = new CfnOutput(this, name, { value, description });
      output.overrideLogicalId(name);
    };
    out('AccountId', Aws.ACCOUNT_ID, 'PlatformBindings.accountId');
    out('ClusterName', this.clusterName, 'PlatformBindings.clusterName');
    out('Region', Aws.REGION, 'PlatformBindings.region');
    out('BucketName', this.platformBucket.bucket.bucketName, 'PlatformBindings.bucketName');
    out('EventLogPrefix', this.platformBucket.eventLogs.prefix, 'PlatformBindings.eventLogPrefix');
    out('ArtifactPrefix', this.bindings.artifacts.prefix, 'PlatformBindings.artifactPrefix');
    out('EventLogUri', this.platformBucket.eventLogs.s3aUri, 'spark.eventLog.dir of every job');
    out('KubernetesVersion', this.bindings.kubernetesVersion, 'PlatformBindings.kubernetesVersion');
    out('HistoryServerCleaner', String(this.bindings.historyServerCleaner), 'PlatformBindings.historyServerCleaner');
    if (this.karpenterNodeRole && this.karpenterInterruptionQueue) {
      out('KarpenterNodeRoleName', this.karpenterNodeRole.roleName, 'KarpenterNames.nodeRoleName(): the role of the EC2NodeClass');
      out('KarpenterInterruptionQueueName', this.karpenterInterruptionQueue.queueName, 'KarpenterNames.interruptionQueueName(): Karpenter\'s settings.interruptionQueue');
    }
    // CloudFormation outputs cannot be empty: a stack without teams has none.
    if (this.bindings.teamNamespaces?.length) out('TeamNamespaces', this.bindings.teamNamespaces.join(','), 'PlatformBindings.teamNamespaces');
    const names = new Map<string, string>();
    for (const role of this.roles) {
      const name = SparkEksCluster.roleOutputName(role.serviceAccount);
      if (names.has(name)) throw invalidProp(this, 'serviceAccount', role.serviceAccount.key, `has the same output name ${name} as "${names.get(name)}"`);
      names.set(name, role.serviceAccount.key);
      out(name, role.role.roleArn, `the role of ${role.serviceAccount.key} (PlatformBindings.roleArn())`);
    }
  }
}
