import { ApiObject } from 'cdk8s';

/**
 * Argo CD sync waves of the platform: lower waves are applied (and, for Applications, become healthy) first.
 */
export class SyncWave {
  /** The AppProject and repository credentials: everything else refers to them. */
  public static readonly PLATFORM = -20;
  /** Applications of operators that own CRDs (Spark Operator, Argo Workflows, logging-operator). */
  public static readonly OPERATORS = -10;
  /** Native objects: namespaces, service accounts, RBAC, workloads. */
  public static readonly NATIVE = 0;
  /** Custom resources, which need their operator's CRDs. */
  public static readonly CUSTOM_RESOURCES = 10;

  /**
   * Marks an API object as a custom resource for Argo CD: the `CUSTOM_RESOURCES` sync wave, and no dry-run
   * failure while its CRD does not exist yet (`SkipDryRunOnMissingResource=true`).
   */
  public static markCustomResource(apiObject: ApiObject): void {
    apiObject.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(SyncWave.CUSTOM_RESOURCES));
    apiObject.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=true');
  }

  /** Puts an API object in a sync wave. */
  public static set(apiObject: ApiObject, wave: number): void {
    apiObject.metadata.addAnnotation('argocd.argoproj.io/sync-wave', String(wave));
  }

  private constructor() {}
}
