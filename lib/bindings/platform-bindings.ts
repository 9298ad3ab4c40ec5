import { KarpenterNames } from './karpenter-names';
import { ServiceAccountIdentity } from './service-account-identity';
import { WorkloadIdentity } from './workload-identity';
import { EventLogLocation, S3Location } from '../storage';
import { checkArgs, checkAwsPartition, checkAwsRegion, checkEksClusterName, checkShape, invalidProp, isUnresolvedToken, partitionOfRegion } from '../validation';

/**
 * Properties of `PlatformBindings`.
 */
export interface PlatformBindingsProps {
  /** The AWS account of the cluster (12 digits): role ARNs are derived from it. */
  readonly accountId: string;

  /** The EKS cluster's name: role names are derived from it. */
  readonly clusterName: string;

  /** The AWS region of the cluster, e.g. `eu-west-1`. */
  readonly region: string;

  /** The platform bucket: event logs and job data. */
  readonly bucketName: string;

  /**
   * The key prefix of the Spark event logs in `bucketName`.
   *
   * @default EventLogLocation.DEFAULT_PREFIX ('spark-events')
   */
  readonly eventLogPrefix?: string;

  /**
   * The key prefix of Argo Workflows' artifact repository in `bucketName` (each namespace writes below
   * `<prefix>/<namespace>/`).
   *
   * @default 'argo-artifacts'
   */
  readonly artifactPrefix?: string;

  /**
   * Whether the Spark History Server's role may delete event logs (its cleaner is on): the history server
   * refuses a cleaner setting that disagrees.
   *
   * @default true
   */
  readonly historyServerCleaner?: boolean;

  /**
   * The AWS partition, for ARNs: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc, or a
   * token such as `Aws.PARTITION`.
   *
   * @default - the region's partition (`aws-cn` for `cn-north-1`, `aws-us-gov` for `us-gov-west-1`, ...)
   */
  readonly partition?: string;

  /**
   * The cluster's Kubernetes minor version ("1.33"): components that must match it (the cluster-autoscaler's
   * image and RBAC) read it here.
   *
   * @default '1.33'
   */
  readonly kubernetesVersion?: string;

  /**
   * The namespaces of the teams the AWS side made IAM roles for. When given, a team whose namespace is not
   * among them fails at synth: its pods would carry a role that does not exist (a namespace spelled differently
   * on the two sides).
   *
   * @default - not known: not checked
   */
  readonly teamNamespaces?: string[];

  /**
   * The values are AWS CDK tokens that the AWS CDK app resolves when it deploys the charts
   * (`cluster.addCdk8sChart()` in the same app). Without it, a token in the bindings fails the cdk8s synth:
   * `cdk8s synth` would write `${Token[TOKEN.1]}` into the manifests. `SparkEksCluster.bindings` and charts given
   * to `aws.DirectDelivery` need not set it.
   *
   * @default false
   */
  readonly deployedByAwsCdk?: boolean;
}

const ACCOUNT_ID = /^[0-9]{12}$/;
const OUTPUTS = ['AccountId', 'ClusterName', 'Region', 'BucketName', 'EventLogPrefix', 'ArtifactPrefix', 'KubernetesVersion', 'HistoryServerCleaner'];
const KUBERNETES_MINOR = /^1\.[0-9]+$/;

/**
 * The values the Kubernetes side needs from the AWS side, and what follows from them: the event-log location,
 * locations in the platform bucket, and the IAM role of every `ServiceAccountIdentity` (its name is derived from
 * the cluster's name, so no role ARN is ever typed or looked up by a string key).
 *
 * The AWS side makes them (`SparkEksCluster.bindings`, with CDK tokens in the same app); a pipeline that
 * synthesizes the Kubernetes side separately reads them from the stack outputs (`fromStackOutputs`) or types
 * them. The Kubernetes side never needs AWS to synthesize.
 *
 * @example
 *
 * const bindings = new PlatformBindings({
 *   accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark-platform',
 * });
 */
export class PlatformBindings {
  /**
   * Bindings from the outputs of the AWS side's stack (`AccountId`, `ClusterName`, `Region`, `BucketName`,
   * `EventLogPrefix`, `ArtifactPrefix`, `KubernetesVersion`, `HistoryServerCleaner`), e.g. the `OutputKey`/`OutputValue` pairs of
   * `aws cloudformation describe-stacks`.
   */
  public static fromStackOutputs(outputs: { [outputKey: string]: string }): PlatformBindings {
    checkArgs('PlatformBindings.fromStackOutputs', 'PlatformBindings', 'fromStackOutputs', [outputs]);
    const missing = OUTPUTS.filter(key => typeof outputs[key] !== 'string');
    if (missing.length > 0) throw invalidProp('PlatformBindings', 'outputs', Object.keys(outputs), `lacks ${missing.join(', ')}: the outputs of SparkEksCluster's stack have them`);
    return new PlatformBindings({
      accountId: outputs.AccountId,
      clusterName: outputs.ClusterName,
      region: outputs.Region,
      bucketName: outputs.BucketName,
      eventLogPrefix: outputs.EventLogPrefix,
      artifactPrefix: outputs.ArtifactPrefix,
      kubernetesVersion: outputs.KubernetesVersion,
      historyServerCleaner: outputs.HistoryServerCleaner === 'true',
      // Optional: stacks deployed by earlier versions do not have it.
      teamNamespaces: typeof outputs.TeamNamespaces === 'string' ? outputs.TeamNamespaces.split(',').filter(ns => ns !== '') : undefined,
    });
  }

  /**
   * Bindings from the JSON the AWS tools print, as they print it:
   * - `aws cloudformation describe-stacks --stack-name <stack>` (`{"Stacks": [{"StackName", "Outputs": [...]}]}`),
   *   or its `Outputs` list alone (`--query "Stacks[0].Outputs"`: `[{"OutputKey", "OutputValue"}, ...]`);
   * - `cdk deploy --outputs-file <file>` (`{"<stack>": {"<OutputKey>": "<value>"}}`).
   *
   * @param json the parsed JSON
   * @param stackName the stack to read when the JSON holds several
   */
  public static fromOutputsJson(json: any, stackName?: string): PlatformBindings {
    checkArgs('PlatformBindings.fromOutputsJson', 'PlatformBindings', 'fromOutputsJson', [json, stackName]);
    return PlatformBindings.fromStackOutputs(outputsOf(json, stackName));
  }

  /**
   * Bindings from a file holding what `fromOutputsJson()` reads, e.g. the one `cdk deploy --outputs-file
   * outputs.json` writes, or `aws cloudformation describe-stacks --stack-name SparkPlatform > outputs.json`.
   *
   * @param file the JSON file
   * @param stackName the stack to read when the file holds several
   */
  public static fromOutputsFile(file: string, stackName?: string): PlatformBindings {
    checkArgs('PlatformBindings.fromOutputsFile', 'PlatformBindings', 'fromOutputsFile', [file, stackName]);
    let json: any;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      json = JSON.parse((require('fs') as typeof import('fs')).readFileSync(file, 'utf-8'));
    } catch (e) {
      throw invalidProp('PlatformBindings', 'file', file, `must be a readable JSON file (${(e as Error).message})`);
    }
    return PlatformBindings.fromOutputsJson(json, stackName);
  }

  /** The AWS account of the cluster. */
  public readonly accountId: string;
  /** The EKS cluster's name. */
  public readonly clusterName: string;
  /** The AWS region of the cluster. */
  public readonly region: string;
  /** The platform bucket's name. */
  public readonly bucketName: string;
  /** The AWS partition. */
  public readonly partition: string;
  /** The one location every Spark job writes its event logs to and the history server reads. */
  public readonly eventLogs: EventLogLocation;
  /** The cluster's Kubernetes minor version. */
  public readonly kubernetesVersion: string;
  /** Argo Workflows' artifact repository in the platform bucket. */
  public readonly artifacts: S3Location;
  /** Whether the Spark History Server's role may delete event logs. */
  public readonly historyServerCleaner: boolean;
  /** Whether the AWS CDK app resolves the tokens in these bindings when it deploys the charts. */
  public readonly deployedByAwsCdk: boolean;
  /** The namespaces of the teams the AWS side made roles for, when known. */
  public readonly teamNamespaces?: string[];

  public constructor(props: PlatformBindingsProps) {
    checkShape('PlatformBindings', 'PlatformBindingsProps', props, 'props');
    const where = 'PlatformBindings';
    if (!isUnresolvedToken(props.accountId) && (typeof props.accountId !== 'string' || !ACCOUNT_ID.test(props.accountId))) {
      throw invalidProp(where, 'accountId', props.accountId, 'must be a 12-digit AWS account id');
    }
    this.accountId = props.accountId;
    this.clusterName = checkEksClusterName(where, 'clusterName', props.clusterName);
    this.region = checkAwsRegion(where, 'region', props.region);
    // The region's partition unless given (a role ARN of another partition than the region's is never found).
    const regionPartition = isUnresolvedToken(this.region) ? 'aws' : partitionOfRegion(this.region);
    this.partition = checkAwsPartition(where, 'partition', props.partition ?? regionPartition);
    if (!isUnresolvedToken(this.region) && !isUnresolvedToken(this.partition) && this.partition !== regionPartition) {
      throw invalidProp(where, 'partition', this.partition, `does not match region "${this.region}", which is in partition "${regionPartition}"`);
    }
    this.historyServerCleaner = props.historyServerCleaner ?? true;
    const version = props.kubernetesVersion ?? '1.33';
    if (!isUnresolvedToken(version) && (typeof version !== 'string' || !KUBERNETES_MINOR.test(version))) {
      throw invalidProp(where, 'kubernetesVersion', version, 'must be a Kubernetes minor version such as "1.33"');
    }
    this.kubernetesVersion = version;
    this.teamNamespaces = props.teamNamespaces === undefined ? undefined : [...props.teamNamespaces];
    this.deployedByAwsCdk = props.deployedByAwsCdk ?? false;
    const bucketProblem = isUnresolvedToken(props.bucketName) ? undefined : S3Location.bucketNameProblem(props.bucketName);
    if (bucketProblem) throw invalidProp(where, 'bucketName', props.bucketName, bucketProblem);
    this.bucketName = props.bucketName;
    const eventLogProblem = S3Location.prefixProblem(props.eventLogPrefix ?? EventLogLocation.DEFAULT_PREFIX);
    if (eventLogProblem) throw invalidProp(where, 'eventLogPrefix', props.eventLogPrefix, eventLogProblem);
    this.eventLogs = new EventLogLocation({ bucketName: props.bucketName, prefix: props.eventLogPrefix, partition: this.partition });
    const artifactProblem = S3Location.prefixProblem(props.artifactPrefix ?? 'argo-artifacts');
    if (artifactProblem) throw invalidProp(where, 'artifactPrefix', props.artifactPrefix, artifactProblem);
    this.artifacts = this.location(props.artifactPrefix ?? 'argo-artifacts');
  }

  /** A location in the platform bucket (a team's data prefix, the artifact repository). */
  public location(prefix: string): S3Location {
    checkArgs('PlatformBindings.location', 'PlatformBindings', 'location', [prefix]);
    return new S3Location({ bucketName: this.bucketName, prefix, partition: this.partition });
  }

  /** The ARN of a service account's IAM role: `arn:<partition>:iam::<account>:role/<cluster>-<region>-<namespace>-<name>`. */
  public roleArn(serviceAccount: ServiceAccountIdentity): string {
    checkArgs('PlatformBindings.roleArn', 'PlatformBindings', 'roleArn', [serviceAccount]);
    return `arn:${this.partition}:iam::${this.accountId}:role/${serviceAccount.roleName(this.clusterName, this.region)}`;
  }

  /** The IAM role of the nodes Karpenter launches (`KarpenterNames.nodeRoleName`), which the AWS side creates. */
  public get karpenterNodeRoleName(): string {
    return KarpenterNames.nodeRoleName(this.clusterName, this.region);
  }

  /** Karpenter's interruption queue (`KarpenterNames.interruptionQueueName`), which the AWS side creates. */
  public get karpenterInterruptionQueueName(): string {
    return KarpenterNames.interruptionQueueName(this.clusterName);
  }

  /**
   * The annotations a service account needs to get its role: the role's ARN for IRSA, none for EKS Pod Identity
   * (the association lives in EKS).
   */
  public serviceAccountAnnotations(serviceAccount: ServiceAccountIdentity): { [key: string]: string } {
    checkArgs('PlatformBindings.serviceAccountAnnotations', 'PlatformBindings', 'serviceAccountAnnotations', [serviceAccount]);
    return serviceAccount.identity === WorkloadIdentity.IRSA ? { 'eks.amazonaws.com/role-arn': this.roleArn(serviceAccount) } : {};
  }
}

// The `OutputKey` -> value map of one stack, from the shapes the AWS CLI and the CDK CLI print.
function outputsOf(json: any, stackName?: string): { [key: string]: string } {
  const fromList = (list: any[]) => Object.fromEntries(list.filter(o => o && typeof o.OutputKey === 'string').map(o => [o.OutputKey, String(o.OutputValue)]));
  const pick = <T>(candidates: Array<[string, T]>, what: string): T => {
    const chosen = stackName === undefined ? candidates : candidates.filter(([name]) => name === stackName);
    if (chosen.length === 1) return chosen[0][1];
    throw invalidProp('PlatformBindings', 'stackName', stackName,
      chosen.length === 0 ? `names none of the stacks in the ${what} (${candidates.map(([n]) => n).join(', ') || 'none'})`
        : `must be given: the ${what} holds several stacks (${candidates.map(([n]) => n).join(', ')})`);
  };
  if (Array.isArray(json)) return fromList(json);
  if (json && typeof json === 'object' && Array.isArray(json.Stacks)) {
    return fromList(pick(json.Stacks.map((s: any) => [s.StackName, s.Outputs ?? []] as [string, any[]]), 'describe-stacks output') as any[]);
  }
  if (json && typeof json === 'object' && Object.values(json).every(v => v && typeof v === 'object' && !Array.isArray(v))) {
    return pick(Object.entries(json) as Array<[string, { [key: string]: string }]>, 'outputs file');
  }
  throw invalidProp('PlatformBindings', 'json', typeof json === 'object' ? Object.keys(json ?? {}) : json,
    'must be what `aws cloudformation describe-stacks` or `cdk deploy --outputs-file` prints');
}
