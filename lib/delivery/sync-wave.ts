import { ApiObject } from 'cdk8s';
import { checkArgs } from '../validation';

const WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * Argo CD sync waves of the platform, in the order a first sync must apply them.
 *
 * Argo CD (gitops-engine `sync_context.go`) applies one wave at a time and moves on only when every resource of
 * the wave is Healthy (a Degraded one fails the sync); it does not wait on the resources of the last wave.
 * So: the AppProject first; then the Namespaces, because operator charts render Roles into the job namespaces
 * and an operator Application never becomes Healthy while those are missing; then the operators (their
 * Applications are Healthy once their CRDs and controllers are); then native objects; then custom resources;
 * and last the one-shot runs (a running Spark job is Progressing for hours and must not hold a sync).
 */
export class SyncWave {
  /** The AppProject and repository credentials: everything else refers to them. */
  public static readonly PLATFORM = -20;
  /** Namespaces: operator charts render Roles and RoleBindings into them. */
  public static readonly NAMESPACES = -15;
  /** Applications of operators that own CRDs (Spark Operator, Argo Workflows, logging-operator). */
  public static readonly OPERATORS = -10;
  /** Native objects: service accounts, RBAC, workloads. */
  public static readonly NATIVE = 0;
  /** Custom resources, which need their operator's CRDs. */
  public static readonly CUSTOM_RESOURCES = 10;
  /**
   * Objects that start work when they are created (a SparkApplication): the last wave, which Argo CD does not
   * wait on, so a long or failed run never holds or fails the sync of anything else.
   */
  public static readonly RUNS = 20;

  /**
   * Marks an API object as a custom resource for Argo CD: the `CUSTOM_RESOURCES` sync wave, and no dry-run
   * failure while its CRD does not exist yet (`SkipDryRunOnMissingResource=true`).
   */
  public static markCustomResource(apiObject: ApiObject, wave: number = SyncWave.CUSTOM_RESOURCES): void {
    checkArgs('SyncWave.markCustomResource', 'SyncWave', 'markCustomResource', [apiObject, wave]);
    SyncWave.set(apiObject, wave);
    apiObject.metadata.addAnnotation('argocd.argoproj.io/sync-options', 'SkipDryRunOnMissingResource=true');
  }

  /** Puts an API object in a sync wave. */
  public static set(apiObject: ApiObject, wave: number): void {
    checkArgs('SyncWave.set', 'SyncWave', 'set', [apiObject, wave]);
    apiObject.metadata.addAnnotation(WAVE_ANNOTATION, String(wave));
  }

  /** The sync wave of an API object (Argo CD's default is 0). */
  public static of(apiObject: ApiObject): number {
    checkArgs('SyncWave.of', 'SyncWave', 'of', [apiObject]);
    // The annotation as set (a string), without rendering the whole metadata (the checks read every object's
    // wave); rendered when cdk8s keeps its annotations elsewhere or holds a token there.
    const set = (apiObject.metadata as unknown as { annotations?: { [key: string]: unknown } }).annotations;
    const raw = set && typeof set === 'object' ? set[WAVE_ANNOTATION] : undefined;
    const known = set && typeof set === 'object' && (raw === undefined || typeof raw === 'string');
    const wave = known ? raw as string | undefined : apiObject.metadata.toJson().annotations?.[WAVE_ANNOTATION];
    return wave === undefined ? 0 : Number(wave);
  }

  private constructor() {}
}
