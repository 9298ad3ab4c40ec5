import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { SyncWave } from './sync-wave';
import { checkDns1123Label, checkDns1123Subdomain } from '../core';

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
 * An Argo CD `AppProject` that allows exactly the source repositories and destinations added to it (never
 * `*` source repositories). Operators install CRDs, cluster roles and webhooks, so cluster-scoped kinds are
 * allowed.
 */
export class ArgoCdProject extends Construct {
  /** The project's name. */
  public readonly name: string;
  /** The Argo CD namespace. */
  public readonly argoCdNamespace: string;
  private readonly sourceRepos = new Set<string>();
  private readonly destinations = new Map<string, { server: string; namespace: string }>();
  private readonly destinationProducers: Array<() => string[]> = [];

  public constructor(scope: Construct, id: string, props: ArgoCdProjectProps = {}) {
    super(scope, id);
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
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        }),
      }),
    });
    SyncWave.set(resource, SyncWave.PLATFORM);
  }

  /** Allows a source repository (as Argo CD names it: https URL, OCI registry path, git URL). */
  public addSourceRepository(repoUrl: string): void {
    this.sourceRepos.add(repoUrl);
  }

  /** Allows a destination namespace on a cluster. */
  public addDestination(namespace: string, server = 'https://kubernetes.default.svc'): void {
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

  private allDestinations(): Array<{ server: string; namespace: string }> {
    for (const produce of this.destinationProducers) {
      for (const namespace of produce()) this.addDestination(namespace);
    }
    return [...this.destinations.values()].sort((a, b) => (`${a.server} ${a.namespace}` < `${b.server} ${b.namespace}` ? -1 : 1));
  }
}
