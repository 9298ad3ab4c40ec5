import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { MetricsMonitor, MonitorTarget } from './metrics-monitor';
import { PrometheusStack } from './prometheus-stack';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { PlatformPriority } from '../spark';
import { checkDns1123Subdomain, checkInteger, checkPinnedImage, checkShape, invalidProp } from '../validation';

/**
 * Where the Pushgateway keeps what was pushed across restarts.
 */
export interface PushgatewayPersistence {
  /**
   * The size of the volume.
   *
   * @default Size.gibibytes(1)
   */
  readonly size?: Size;

  /**
   * The StorageClass (e.g. an `EbsStorageClass`'s name).
   *
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;

  /**
   * Keep the pushed series in an emptyDir instead: they survive a container restart, not a new pod. A lost group
   * resolves its pipeline's failure alert, and its overdue alert waits for its `absent()` branch.
   *
   * @default false
   */
  readonly ephemeral?: boolean;
}

/**
 * Properties of a `Pushgateway`.
 */
export interface PushgatewayProps {
  /** Every node pool of the platform: the Pushgateway runs on the on-demand ones. */
  readonly nodePools: NodePool[];

  /** The namespace (the monitoring construct's). */
  readonly namespace: string;

  /** The Prometheus stack: its ServiceMonitor carries the stack's monitor labels. */
  readonly stack: PrometheusStack;

  /**
   * Where it runs. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * The image, pinned.
   *
   * @default Pushgateway.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * Where pushed series are kept across pod restarts and moves: a PersistentVolumeClaim (one replica, recreated
   * rather than rolled), written every minute. The pipelines' failure and overdue alerts read them: a lost
   * group would resolve a firing failure alert.
   *
   * @default - a 1 GiB claim of the cluster's default StorageClass
   */
  readonly persistence?: PushgatewayPersistence;
}

const NAME = 'pushgateway';

const PORT = 9091;
// The image's USER (Dockerfile `USER 65534`, nobody).
const NOBODY = 65534;
const DATA_DIR = '/data';

/**
 * A Prometheus Pushgateway, where batch work that ends before Prometheus could scrape it (a pipeline run)
 * leaves its last outcome: a hardened Deployment on on-demand capacity, a ClusterIP Service on 9091, and a
 * ServiceMonitor with `honorLabels`, so the series keep the job and labels their pusher gave them.
 */
export class Pushgateway extends Construct {
  /** The Pushgateway image the library is tested with. */
  /**
   * The labels the Prometheus Operator adds from a ServiceMonitor's target (pod, container, endpoint, service):
   * not the pushing pipeline's, so they are dropped from the Pushgateway's series.
   */
  public static readonly TARGET_LABELS = ['pod', 'container', 'endpoint', 'service'];

  public static readonly DEFAULT_IMAGE = 'quay.io/prometheus/pushgateway:v1.11.3';

  /** The namespace. */
  public readonly namespace: string;
  /** The Service's name. */
  public readonly serviceName: string;
  /** The port. */
  public readonly port: number;
  /** The in-cluster URL pushers use (`http://<service>.<namespace>.svc:9091`). */
  public readonly url: string;
  /** The ServiceMonitor. */
  public readonly monitor: MetricsMonitor;
  /** The pod labels the Service selects. */
  public readonly podLabels: { [key: string]: string };

  public constructor(scope: Construct, id: string, props: PushgatewayProps) {
    super(scope, id);
    checkShape(this, 'PushgatewayProps', props, 'props');
    this.namespace = props.namespace;
    this.serviceName = NAME;
    this.port = PORT;
    this.url = `http://${NAME}.${this.namespace}.svc:${PORT}`;
    this.podLabels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'spark-platform' };
    const placement = componentPlacement(this, props.nodePools, props.placement, 'the Pushgateway');
    PlatformPriority._ensure(this);
    const image = checkPinnedImage(this, 'image', props.image ?? Pushgateway.DEFAULT_IMAGE);
    const persistence = props.persistence ?? {};
    if (persistence.storageClassName !== undefined) checkDns1123Subdomain(this, 'persistence.storageClassName', persistence.storageClassName);
    const sizeMiB = checkInteger(this, 'persistence.size', (persistence.size ?? Size.gibibytes(1)).toMebibytes(), 64);
    if (persistence.ephemeral && persistence.storageClassName !== undefined) {
      throw invalidProp(this, 'persistence.storageClassName', persistence.storageClassName, 'is for a claim, and persistence.ephemeral keeps the series in an emptyDir: give one of them');
    }
    const claim = !persistence.ephemeral;

    if (claim) this.renderClaim(persistence.storageClassName, sizeMiB);
    this.renderDeployment(placement, image, claim, sizeMiB);
    this.renderService();
    this.monitor = new MetricsMonitor(this, 'Monitor', {
      name: NAME,
      namespace: this.namespace,
      stack: props.stack,
      target: MonitorTarget.SERVICES,
      selector: this.podLabels,
      namespaces: [this.namespace],
      // The pushed series keep their own job and labels (Pushgateway README: "honor_labels: true"), and none of
      // the Pushgateway pod's: a new pod would otherwise make new series, resolving and re-firing every alert.
      endpoints: [{ port: 'http', honorLabels: true, dropLabels: Pushgateway.TARGET_LABELS }],
    });
  }

  private get metadata(): k8s.ObjectMeta {
    return { name: NAME, namespace: this.namespace, labels: this.podLabels };
  }

  private renderClaim(storageClassName: string | undefined, sizeMiB: number): void {
    new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { ...this.metadata, name: `${NAME}-data` },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(`${sizeMiB}Mi`) } },
      },
    });
  }

  private renderDeployment(placement: Placement, image: string, persistent: boolean, sizeMiB: number): void {
    const http = k8s.IntOrString.fromString('http');
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: this.metadata,
      spec: {
        replicas: 1,
        // One writer of the persistence file: the old pod goes before the new one starts.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: this.podLabels },
        template: {
          metadata: { labels: this.podLabels },
          spec: placement.applyToPodSpec({
            automountServiceAccountToken: false,
            priorityClassName: PlatformPriority.COMPONENTS,
            securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, fsGroup: NOBODY, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: NAME,
              image,
              args: [`--web.listen-address=:${PORT}`, `--persistence.file=${DATA_DIR}/pushgateway.db`, '--persistence.interval=1m'],
              ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/-/ready', port: http }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: '/-/healthy', port: http }, periodSeconds: 30, timeoutSeconds: 5 },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
                limits: { memory: k8s.Quantity.fromString('256Mi') },
              },
              securityContext: restrictedContainer(),
              volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
            }],
            volumes: [persistent
              ? { name: 'data', persistentVolumeClaim: { claimName: `${NAME}-data` } }
              : { name: 'data', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${sizeMiB}Mi`) } }],
          }),
        },
      },
    });
  }

  private renderService(): void {
    const http = k8s.IntOrString.fromString('http');
    new k8s.KubeService(this, 'Service', {
      metadata: this.metadata,
      spec: { type: 'ClusterIP', selector: this.podLabels, ports: [{ name: 'http', port: PORT, targetPort: http, protocol: 'TCP' }] },
    });
  }
}
