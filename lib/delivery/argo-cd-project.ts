import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { GroupKind } from './helm-release';
import { SyncWave } from './sync-wave';
import { checkArgs, checkDns1123Label, checkDns1123Subdomain, checkShape } from '../validation';

/**
 * Properties of an `ArgoCdProject`.
 */
export interface ArgoCdProjectProps {
  /**
   * The project's name.
   *
   * @default 'spark-platform'
   */
  readonly name?: string;

  /**
   * The namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * What the project is for.
   *
   * @default 'The Spark platform'
   */
  readonly description?: string;
}

/**
 * An Argo CD `AppProject` that allows exactly the source repositories, destinations and cluster-scoped kinds
 * added to it: never `*`.
 */
export class ArgoCdProject extends Construct {
  /** The project's name. */
  public readonly name: string;
  /** The Argo CD namespace. */
  public readonly argoCdNamespace: string;
  private readonly sourceRepos = new Set<string>();
  private readonly destinations = new Map<string, { server: string; namespace: string }>();
  private readonly destinationProducers: Array<() => string[]> = [];
  private readonly clusterKinds = new Map<string, GroupKind>();
  private readonly clusterKindProducers: Array<() => GroupKind[]> = [];

  public constructor(scope: Construct, id: string, props: ArgoCdProjectProps = {}) {
    super(scope, id);
    checkShape(this, 'ArgoCdProjectProps', props, 'props', true);
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? 'spark-platform');
    this.argoCdNamespace = checkDns1123Label(this, 'argoCdNamespace', props.argoCdNamespace ?? 'argocd');
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: this.name, namespace: this.argoCdNamespace },
      spec: Lazy.any({
        produce: () => ({
          description: props.description ?? 'The Spark platform',
          sourceRepos: [...this.sourceRepos].sort(),
          destinations: this.allDestinations(),
          clusterResourceWhitelist: this.allClusterKinds(),
        }),
      }),
    });
    SyncWave.set(resource, SyncWave.PLATFORM);
  }

  /** Allows a source repository (as Argo CD names it: https URL, OCI registry path, git URL). */
  public addSourceRepository(repoUrl: string): void {
    checkArgs(this, 'ArgoCdProject', 'addSourceRepository', [repoUrl]);
    this.sourceRepos.add(repoUrl);
  }

  /** Allows a destination namespace on a cluster. */
  public addDestination(namespace: string, server = 'https://kubernetes.default.svc'): void {
    checkArgs(this, 'ArgoCdProject', 'addDestination', [namespace, server]);
    this.destinations.set(`${server} ${namespace}`, { server, namespace });
  }

  /**
   * Allows, on the in-cluster destination, the namespaces `produce` returns at synth.
   *
   * @internal
   */
  public _addDestinationsAtSynth(produce: () => string[]): void {
    this.destinationProducers.push(produce);
  }

  /** Allows a cluster-scoped kind (a CRD, a ClusterRole, a Namespace). */
  public addClusterResourceKind(kind: GroupKind): void {
    checkShape(this, 'GroupKind', kind, 'kind');
    this.clusterKinds.set(`${kind.group}/${kind.kind}`, { group: kind.group, kind: kind.kind });
  }

  /**
   * Allows the cluster-scoped kinds `produce` returns at synth.
   *
   * @internal
   */
  public _addClusterResourceKindsAtSynth(produce: () => GroupKind[]): void {
    this.clusterKindProducers.push(produce);
  }

  private allClusterKinds(): GroupKind[] {
    for (const produce of this.clusterKindProducers) {
      for (const kind of produce()) this.addClusterResourceKind(kind);
    }
    return [...this.clusterKinds.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, kind]) => kind);
  }

  private allDestinations(): Array<{ server: string; namespace: string }> {
    for (const produce of this.destinationProducers) {
      for (const namespace of produce()) this.addDestination(namespace);
    }
    return [...this.destinations.values()].sort((a, b) => (`${a.server} ${a.namespace}` < `${b.server} ${b.namespace}` ? -1 : 1));
  }
}
