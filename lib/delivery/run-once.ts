import { ApiObject } from 'cdk8s';
import { SyncWave } from './sync-wave';
import { AppFacts } from '../facts';
import { checkArgs, checkShape } from '../validation';

/**
 * Options of `RunOnce.mark()`.
 */
export interface RunOnceOptions {
  /**
   * The field that makes the object's controller delete it once its run is over (a SparkApplication's
   * `spec.timeToLiveSeconds`), if it has one. GitOps refuses such an object: Argo CD's self-heal re-creates a
   * deleted object, and so starts the run again, forever.
   *
   * @default - the object stays until it is removed from the code
   */
  readonly deletedBy?: string;
}

/**
 * Objects whose creation starts a run (a Spark Operator `SparkApplication`: the operator submits it when it is
 * created, and re-submits it whenever its spec changes, even after it completed).
 *
 * Delivered by `GitOps`, such an object is created once and its spec is never patched: the root Application
 * ignores differences in its `.spec` and respects that on sync (`RespectIgnoreDifferences=true`), so a library
 * upgrade or a reordered setting never re-runs a finished job. It sits in the last sync wave
 * (`SyncWave.RUNS`), which Argo CD does not wait on, so a long or failed run neither holds nor fails the sync,
 * and its health does not count in the root Application's.
 * To run it again, give it a new name (a new object).
 */
export class RunOnce {
  /** Marks an API object as a run: the `SyncWave.RUNS` wave, and created once by GitOps. */
  public static mark(apiObject: ApiObject, options: RunOnceOptions = {}): void {
    checkArgs('RunOnce.mark', 'RunOnce', 'mark', [apiObject, options]);
    checkShape('RunOnce.mark', 'RunOnceOptions', options, 'options', true);
    SyncWave.markCustomResource(apiObject, SyncWave.RUNS);
    // A failed run is the job's news, not the platform's: it does not make the root Application Degraded
    // (argo-cd controller/health.go skips resources with this annotation).
    apiObject.metadata.addAnnotation('argocd.argoproj.io/ignore-healthcheck', 'true');
    AppFacts.of(apiObject).runs.set(apiObject, { ...options });
  }

  /** The options an API object was marked with, or undefined when it is not a run. */
  public static of(apiObject: ApiObject): RunOnceOptions | undefined {
    checkArgs('RunOnce.of', 'RunOnce', 'of', [apiObject]);
    return AppFacts.of(apiObject).runs.get(apiObject);
  }

  private constructor() {}
}
