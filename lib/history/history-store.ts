import { Size } from 'cdk8s';
import { checkArgs, checkShape } from '../validation';

/**
 * Options of a persistent history store.
 */
export interface PersistentHistoryStoreOptions {
  /**
   * The volume's size.
   *
   * @default Size.gibibytes(20)
   */
  readonly size?: Size;

  /**
   * The StorageClass (on EKS, one of the EBS CSI driver's, e.g. `gp3`).
   *
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/**
 * Where the history server keeps its local store (`spark.history.store.path`): the applications it has parsed,
 * so a restart does not parse every event log again.
 */
export class HistoryStore {
  /**
   * An `emptyDir` volume: it survives container restarts (a crash, a failed liveness probe), not a new pod; works
   * on any cluster. The default.
   */
  public static emptyDir(size: Size = Size.gibibytes(10)): HistoryStore {
    checkArgs('HistoryStore.emptyDir', 'HistoryStore', 'emptyDir', [size]);
    return new HistoryStore(size, false, undefined);
  }

  /**
   * A PersistentVolumeClaim: the store survives new pods too (deploys, drains). ReadWriteOnce, so one replica,
   * replaced rather than rolled. Needs a StorageClass that provisions volumes (on EKS, the EBS CSI driver).
   */
  public static persistentVolume(options: PersistentHistoryStoreOptions = {}): HistoryStore {
    checkShape('HistoryStore.persistentVolume', 'PersistentHistoryStoreOptions', options, 'options', true);
    return new HistoryStore(options.size ?? Size.gibibytes(20), true, options.storageClassName);
  }

  private constructor(
    /** The volume's size. */
    public readonly size: Size,
    /** Whether it is a PersistentVolumeClaim (ReadWriteOnce: one replica). */
    public readonly persistent: boolean,
    /** The StorageClass of the claim, if any. */
    public readonly storageClassName: string | undefined,
  ) {}
}
