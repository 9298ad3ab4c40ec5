import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplicationSource } from './application-source';
import { OwnedElsewhere } from './helm-release';
import { SyncWave } from './sync-wave';
import { checkDns1123Label, checkDns1123Subdomain, checkShape, invalidProp } from '../validation';

/**
 * Options for an Argo CD Application.
 */
export interface ArgoCdApplicationOptions {
  /**
   * The Application's name.
   *
   * @default - the Helm release name, or the construct id for git sources
   */
  readonly name?: string;

  /**
   * The namespace of the destination: where the release is installed.
   *
   * @default - the Helm release's namespace, or `argoCdNamespace` for git sources
   */
  readonly destinationNamespace?: string;

  /**
   * The destination cluster's API server.
   *
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;

  /**
   * The sync wave of the Application in its parent (app of apps).
   *
   * @default - SyncWave.OPERATORS for Helm sources, none for git sources
   */
  readonly syncWave?: number;

  /**
   * Whether Argo CD syncs automatically, pruning what was removed from the source and reverting manual
   * changes (self-heal).
   *
   * @default true
   */
  readonly automatedSync?: boolean;
}

/**
 * Properties of an `ArgoCdApplication`.
 */
export interface ArgoCdApplicationProps extends ArgoCdApplicationOptions {
  /** Where the manifests come from. */
  readonly source: ApplicationSource;

  /**
   * The Argo CD project of the Application.
   *
   * @default 'default'
   */
  readonly projectName?: string;

  /**
   * The namespace Argo CD runs in (where Applications live).
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;
}

const IN_CLUSTER = 'https://kubernetes.default.svc';

/**
 * An Argo CD `Application` (argoproj.io/v1alpha1): automated sync with prune and self-heal, namespaces created
 * on demand, server-side apply (some operators' CRDs, Argo Workflows' among them, are too big for the
 * client-side last-applied annotation), and retries with backoff while CRDs settle.
 */
export class ArgoCdApplication extends Construct {
  /** The Application's name. */
  public readonly name: string;
  /** The destination namespace. */
  public readonly destinationNamespace: string;
  /** The destination cluster's API server. */
  public readonly destinationServer: string;
  /** The source. */
  public readonly source: ApplicationSource;
  /** The Application object. */
  public readonly apiObject: ApiObject;
  private readonly ignoredFieldProducers: Array<() => OwnedElsewhere[]> = [];

  public constructor(scope: Construct, id: string, props: ArgoCdApplicationProps) {
    super(scope, id);
    checkShape(this, 'ArgoCdApplicationProps', props, 'props');
    const release = props.source.release;
    const argoCdNamespace = checkDns1123Label(this, 'argoCdNamespace', props.argoCdNamespace ?? 'argocd');
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? release?.releaseName ?? id);
    this.destinationNamespace = checkDns1123Label(this, 'destinationNamespace', props.destinationNamespace ?? release?.namespace ?? argoCdNamespace);
    this.destinationServer = props.destinationServer ?? IN_CLUSTER;
    if (!/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(this.destinationServer)) {
      throw invalidProp(this, 'destinationServer', this.destinationServer, 'must be the https URL of a cluster API server known to Argo CD');
    }
    this.source = props.source;
    const projectName = checkDns1123Subdomain(this, 'projectName', props.projectName ?? 'default');
    const syncWave = props.syncWave ?? (release ? SyncWave.OPERATORS : undefined);
    const automated = props.automatedSync ?? true;

    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: this.name,
        namespace: argoCdNamespace,
        annotations: syncWave !== undefined ? { 'argocd.argoproj.io/sync-wave': String(syncWave) } : undefined,
      },
      spec: Lazy.any({
        produce: () => {
          // Fields other controllers own at run time are neither drift nor reverted by self-heal.
          const ignoreDifferences = [...(release?.ownedElsewhere ?? []), ...this.ignoredFieldProducers.flatMap(produce => produce())]
            .map(o => ({ group: o.group, kind: o.kind, jqPathExpressions: [...o.jqPathExpressions] }));
          return {
            project: projectName,
            source: this.source._render(),
            destination: { server: this.destinationServer, namespace: this.destinationNamespace },
            ignoreDifferences: ignoreDifferences.length ? ignoreDifferences : undefined,
            syncPolicy: {
              automated: automated ? { prune: true, selfHeal: true } : undefined,
              syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', ...(ignoreDifferences.length ? ['RespectIgnoreDifferences=true'] : [])],
              retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
            },
          };
        },
      }),
    });
  }

  /**
   * Ignores, at synth, the fields `produce` returns: neither drift nor reverted by self-heal, and kept as they
   * are live on sync (`RespectIgnoreDifferences=true`).
   *
   * @internal
   */
  public _ignoreAtSynth(produce: () => OwnedElsewhere[]): void {
    this.ignoredFieldProducers.push(produce);
  }
}
