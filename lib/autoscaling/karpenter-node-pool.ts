import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { KarpenterNames, PlatformBindings } from '../bindings';
import { SyncWave } from '../delivery';
import { CpuArchitecture, NodePool, NodeTaint } from '../scheduling';
import { checkInteger, checkShape, invalidProp, keyInDomains } from '../validation';

/**
 * Which nodes Karpenter's consolidation may remove or replace (a NodePool's `disruption.consolidationPolicy`).
 */
export enum KarpenterConsolidation {
  /**
   * Only nodes that run no pod but daemon sets: a Spark executor is never moved to save cost, so no stage is
   * recomputed; a node goes once its last executor ends.
   */
  WHEN_EMPTY = 'WhenEmpty',
  /**
   * Also nodes whose pods fit elsewhere or on a cheaper node: Karpenter evicts them (Spark executors lose their
   * shuffle files and cached blocks; the driver reruns what they held). Drivers are never evicted this way
   * (`karpenter.sh/do-not-disrupt`).
   */
  WHEN_EMPTY_OR_UNDERUTILIZED = 'WhenEmptyOrUnderutilized',
}

/**
 * How Karpenter renews and consolidates the nodes of every NodePool it renders.
 */
export interface KarpenterDisruptionOptions {
  /**
   * Which nodes consolidation may remove.
   *
   * @default KarpenterConsolidation.WHEN_EMPTY
   */
  readonly consolidation?: KarpenterConsolidation;

  /**
   * How long a node must be a consolidation candidate (empty, with `WHEN_EMPTY`) before Karpenter removes it.
   *
   * @default Duration.minutes(5)
   */
  readonly consolidateAfter?: Duration;

  /**
   * How many of a NodePool's nodes Karpenter may disrupt at once (consolidation, drift, emptiness): a percentage
   * (`'10%'`) or a count (`'2'`).
   *
   * @default '10%' (Karpenter's default budget, written out)
   */
  readonly budget?: string;

  /**
   * How long a node lives before Karpenter replaces it (fresh AMI patches, no long-lived node). An expired node takes
   * no new pods; Spark drivers on it (`karpenter.sh/do-not-disrupt`) run to their end before it goes.
   *
   * @default Duration.days(30) (Karpenter's default, 720h)
   */
  readonly expireAfter?: Duration;
}

/**
 * Properties of a `KarpenterNodePool`.
 */
export interface KarpenterNodePoolProps extends KarpenterDisruptionOptions {
  /** The pool: its capacity type, instance types, taints, labels, sizes and root volume. */
  readonly pool: NodePool;

  /** The cluster's bindings: its name (the discovery tag's value) and Karpenter's node role. */
  readonly bindings: PlatformBindings;

  /**
   * The EKS-optimized AL2023 AMI release the nodes boot, e.g. `'v20260714'` (an `EC2NodeClass` alias
   * `al2023@v20260714`), or `'latest'`.
   */
  readonly amiVersion: string;

  /** The NodePool's weight: Karpenter tries pools of higher weight first (1 to 100). */
  readonly weight: number;
}

const BUDGET = /^([0-9]|[1-9][0-9]|100)%$|^[0-9]+$/;
/** The label and taint domains Karpenter keeps for itself (kubernetes-sigs/karpenter `pkg/apis/v1/labels.go`; provider `pkg/apis/v1/labels.go`). */
const KARPENTER_DOMAINS = ['karpenter.sh', 'karpenter.k8s.aws'];
const ARCH: { [arch: string]: string } = { [CpuArchitecture.X86_64]: 'amd64', [CpuArchitecture.ARM_64]: 'arm64' };

/**
 * One `NodePool` as Karpenter runs it: a `karpenter.sh/v1` NodePool (its capacity type, instance types, taints
 * and labels, a limit of `maxSize - minSize` nodes, consolidation with a budget) and the `karpenter.k8s.aws/v1`
 * EC2NodeClass its nodes launch from (the node role, subnets and security groups by the cluster's discovery tag, a
 * pinned AL2023 AMI, IMDSv2 with a hop limit of 1, the pool's encrypted gp3 root volume, NVMe instance store as
 * one RAID0 array). Both named after the pool. The pool's `minSize` nodes are a managed node group's (the AWS
 * side), which Karpenter neither counts nor removes.
 */
export class KarpenterNodePool extends Construct {
  /** The pool. */
  public readonly pool: NodePool;
  /** The `karpenter.sh/v1` NodePool. */
  public readonly nodePool: ApiObject;
  /** The `karpenter.k8s.aws/v1` EC2NodeClass. */
  public readonly nodeClass: ApiObject;

  public constructor(scope: Construct, id: string, props: KarpenterNodePoolProps) {
    super(scope, id);
    checkShape(this, 'KarpenterNodePoolProps', props, 'props');
    const pool = props.pool;
    if (!(pool instanceof NodePool)) throw invalidProp(this, 'pool', pool, 'must be a NodePool');
    this.pool = pool;
    checkInteger(this, 'weight', props.weight, 1, 100);
    checkExpressible(this, pool);
    const budget = props.budget ?? '10%';
    if (typeof budget !== 'string' || !BUDGET.test(budget)) {
      throw invalidProp(this, 'budget', budget, 'must be a percentage from 0% to 100% ("10%") or a whole number of nodes ("2")');
    }
    this.nodeClass = new ApiObject(this, 'NodeClass', {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: pool.name },
      spec: nodeClassSpec(pool, props.bindings, props.amiVersion),
    });
    this.nodePool = new ApiObject(this, 'NodePool', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: pool.name },
      spec: {
        weight: props.weight,
        template: {
          metadata: { labels: pool.labels },
          spec: {
            nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: pool.name },
            requirements: [
              { key: 'karpenter.sh/capacity-type', operator: 'In', values: [pool.isSpot ? 'spot' : 'on-demand'] },
              { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [...pool.instanceTypes] },
              { key: 'kubernetes.io/arch', operator: 'In', values: [ARCH[pool.cpuArchitecture]] },
              { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
            ],
            ...(pool.taints.length ? { taints: pool.taints.map(taintOf) } : {}),
            expireAfter: goDuration(props.expireAfter ?? Duration.days(30)),
          },
        },
        disruption: {
          consolidationPolicy: props.consolidation ?? KarpenterConsolidation.WHEN_EMPTY,
          consolidateAfter: goDuration(props.consolidateAfter ?? Duration.minutes(5)),
          budgets: [{ nodes: budget }],
        },
        // Karpenter counts the nodes it launched only: the node group's minSize nodes are not among them.
        limits: { nodes: String(pool.maxSize - pool.minSize) },
      },
    });
    // Their kinds come with Karpenter's chart (its Application, an earlier wave).
    SyncWave.markCustomResource(this.nodeClass);
    SyncWave.markCustomResource(this.nodePool);
  }
}

function nodeClassSpec(pool: NodePool, bindings: PlatformBindings, amiVersion: string): { [key: string]: any } {
  const discovery = [{ tags: { [KarpenterNames.DISCOVERY_TAG]: bindings.clusterName } }];
  return {
    role: bindings.karpenterNodeRoleName,
    amiSelectorTerms: [{ alias: `al2023@${amiVersion}` }],
    subnetSelectorTerms: discovery,
    securityGroupSelectorTerms: discovery,
    // Pods cannot reach the node's role through the instance metadata: they have their own.
    metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' },
    // The node groups' launch template's volume: shuffle and spill go there on types without instance store.
    blockDeviceMappings: [{
      deviceName: '/dev/xvda',
      ebs: { volumeSize: `${pool.rootVolumeSize.toGibibytes()}Gi`, volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
    }],
    // The NVMe instance store as one RAID0 array holding the kubelet's and containerd's directories, as the node
    // groups' nodeadm NodeConfig does (localStorage strategy RAID0).
    ...(pool.hasLocalNvme ? { instanceStorePolicy: 'RAID0' } : {}),
  };
}

// A pool Karpenter cannot run as it is described.
function checkExpressible(where: Construct, pool: NodePool): void {
  const inKarpenterDomain = (key: string) => keyInDomains(key, KARPENTER_DOMAINS);
  const label = Object.keys(pool.labels).find(inKarpenterDomain);
  if (label) {
    throw invalidProp(where, `NodePool "${pool.name}" labels`, label, `uses a domain Karpenter keeps for itself (${KARPENTER_DOMAINS.join(', ')}): use your own prefix`);
  }
  const taint = pool.taints.find(t => inKarpenterDomain(t.key));
  if (taint) {
    throw invalidProp(where, `NodePool "${pool.name}" taints`, taint.key, `uses a domain Karpenter keeps for its own taints (${KARPENTER_DOMAINS.join(', ')}): use your own prefix`);
  }
}

function taintOf(taint: NodeTaint): { [key: string]: string } {
  return { key: taint.key, ...(taint.value !== undefined ? { value: taint.value } : {}), effect: taint.effect };
}

/** A cdk8s Duration as a Go duration ("720h", "5m", "90s"), in the largest unit that keeps it whole. */
function goDuration(duration: Duration): string {
  const seconds = duration.toSeconds();
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
