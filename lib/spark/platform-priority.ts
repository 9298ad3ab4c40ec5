import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { SyncWave } from '../delivery';
import { AppFacts } from '../facts';

/**
 * The platform's PriorityClasses, from the most to the least important: its own components (operators,
 * controllers, the autoscaler, servers), Spark drivers (and pipeline pods), Spark executors. When a node is
 * full the scheduler preempts lower-priority pods for higher ones; executors never preempt anything
 * (`preemptionPolicy: Never`), so a pending executor makes the cluster-autoscaler add a node instead of
 * evicting a driver. Every value is above the autoscaler's `--expendable-pods-priority-cutoff` (-10), below
 * which pending pods would not trigger a scale-up.
 */
export class PlatformPriority {
  /** The platform's components. */
  public static readonly COMPONENTS = 'spark-platform-components';
  /** Spark drivers and pipeline pods: losing one loses the job or the run. */
  public static readonly DRIVERS = 'spark-driver';
  /** Spark executors: replaceable, never preempting. */
  public static readonly EXECUTORS = 'spark-executor';

  /**
   * Renders the PriorityClasses once per app (in the chart of `scope`, in the namespaces' sync wave, before
   * any pod that names them): called by every construct that uses them.
   *
   * @internal
   */
  public static _ensure(scope: IConstruct): void {
    const facts = AppFacts.of(scope);
    if (facts.priorityClassesRendered) return;
    facts.priorityClassesRendered = true;
    const chart = Chart.of(scope);
    const classes: Array<[string, number, string, string | undefined]> = [
      [PlatformPriority.COMPONENTS, 1_000_000, 'Spark platform components: operators, controllers, the autoscaler, servers.', undefined],
      [PlatformPriority.DRIVERS, 10_000, 'Spark drivers and pipeline pods: losing one loses the job.', undefined],
      [PlatformPriority.EXECUTORS, 1_000, 'Spark executors: replaceable; they wait for a new node rather than preempt.', 'Never'],
    ];
    for (const [name, value, description, preemptionPolicy] of classes) {
      const priorityClass = new k8s.KubePriorityClass(chart, `PriorityClass-${name}`, {
        metadata: { name, labels: { 'app.kubernetes.io/part-of': 'spark-platform' } },
        value,
        description,
        preemptionPolicy,
        globalDefault: false,
      });
      SyncWave.set(priorityClass, SyncWave.NAMESPACES);
    }
  }

  private constructor() {}
}
