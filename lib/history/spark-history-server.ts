import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { HistoryStore } from './history-store';
import { S3AConnector } from './s3a-connector';
import { PlatformBindings, PlatformServiceAccounts, ServiceAccountIdentity } from '../bindings';
import { requireLiteralBindings } from '../bindings/internal';
import { SyncWave } from '../delivery';
import { AppFacts } from '../facts';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { PlatformPriority, SparkSettings } from '../spark';
import { bundledHadoopVersion, checkHadoopVersion, checkSparkVersion } from '../spark/internal';
import { EventLogLocation } from '../storage';
import { checkDns1123Label, checkInteger, checkPinnedImage, checkPlatformNamespace, checkShape, invalidProp, wiringProblem } from '../validation';

/**
 * The history server's cleaner: it deletes event logs older than `maxAge`.
 */
export interface HistoryCleanerOptions {
  /**
   * Whether the cleaner runs (`spark.history.fs.cleaner.enabled`). The AWS side's `historyServer.cleaner` must
   * agree (`PlatformBindings.historyServerCleaner`): it grants the delete.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How often it runs (`spark.history.fs.cleaner.interval`).
   *
   * @default Duration.days(1)
   */
  readonly interval?: Duration;

  /**
   * How old an event log must be to be deleted (`spark.history.fs.cleaner.maxAge`).
   *
   * @default Duration.days(30)
   */
  readonly maxAge?: Duration;
}

/**
 * An Ingress in front of the UI. The UI has no authentication: put an authenticating proxy or load balancer in
 * front of it (oauth2-proxy, an ALB with an OIDC or Cognito action).
 */
export interface HistoryServerIngressOptions {
  /** The host name, e.g. `spark-history.acme.internal`. */
  readonly host: string;

  /**
   * The IngressClass.
   *
   * @default - the cluster's default IngressClass
   */
  readonly ingressClassName?: string;

  /**
   * A Secret with the TLS certificate for `host`.
   *
   * @default - no TLS on the Ingress
   */
  readonly tlsSecretName?: string;

  /**
   * Annotations (the authentication of your ingress controller).
   *
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/**
 * Properties of a `SparkHistoryServer`.
 */
export interface SparkHistoryServerProps {
  /** Every node pool of the platform: the server runs on the on-demand ones. */
  readonly nodePools: NodePool[];

  /** The values from the AWS side: the event-log location every job writes, the region, the role. */
  readonly bindings: PlatformBindings;

  /**
   * The server's service account (its namespace is the server's): the AWS side creates its role for the same
   * object.
   *
   * @default PlatformServiceAccounts.SPARK_HISTORY_SERVER (spark-history/spark-history-server)
   */
  readonly serviceAccount?: ServiceAccountIdentity;

  /**
   * The Spark version of the server. It reads the event logs of this version and older ones, so it should be
   * the newest the platform's jobs run. It picks the image, the Hadoop and so the S3A connector.
   *
   * @default '4.0.3'
   */
  readonly sparkVersion?: string;

  /**
   * The image, instead of `apache/spark:<sparkVersion>-scala` (pin a tag or a digest).
   *
   * @default - the official apache/spark image of `sparkVersion`
   */
  readonly image?: string;

  /**
   * The Hadoop of the image, for images built with another one than their Spark release bundles.
   *
   * @default - the Hadoop `sparkVersion` bundles
   */
  readonly hadoopVersion?: string;

  /**
   * How the server gets the S3A connector the `apache/spark` images lack.
   *
   * @default S3AConnector.fromMavenRepository()
   */
  readonly s3aConnector?: S3AConnector;

  /**
   * How often the server looks for new and updated event logs (`spark.history.fs.update.interval`).
   *
   * @default Duration.seconds(30)
   */
  readonly updateInterval?: Duration;

  /**
   * The cleaner.
   *
   * @default - on: daily, deleting event logs older than 30 days
   */
  readonly cleaner?: HistoryCleanerOptions;

  /**
   * The local store of parsed applications.
   *
   * @default HistoryStore.emptyDir(Size.gibibytes(10))
   */
  readonly store?: HistoryStore;

  /**
   * The server's memory (request and limit); its heap is three quarters of it (`SPARK_DAEMON_MEMORY`).
   *
   * @default Size.gibibytes(2)
   */
  readonly memory?: Size;

  /**
   * The server's CPU request.
   *
   * @default Cpu.millis(500)
   */
  readonly cpu?: kplus.Cpu;

  /**
   * Replicas. More than one only with an `emptyDir` store (each parses on its own).
   *
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Where the server runs. Must not include a spot pool.
   *
   * @default - the on-demand pools
   */
  readonly placement?: Placement;

  /**
   * The UI's port (`spark.history.ui.port`), on the pod and on the Service.
   *
   * @default 18080
   */
  readonly port?: number;

  /**
   * An Ingress in front of the UI.
   *
   * @default - none: the UI is reached through the ClusterIP Service (`kubectl port-forward`)
   */
  readonly ingress?: HistoryServerIngressOptions;

  /**
   * Whether to render the namespace (in sync wave `SyncWave.NAMESPACES`, enforcing the `restricted` Pod
   * Security profile the server meets). Turn it off for a namespace something else creates.
   *
   * @default true
   */
  readonly createNamespace?: boolean;
}

const SPARK_UID = 185;
const NAME = 'spark-history-server';
const JARS_DIR = '/opt/spark/extra-jars';
const STORE_DIR = '/var/lib/spark-history';
const TMP_DIR = '/tmp';

/**
 * The Spark History Server (what EMR's persistent UI was), rendered natively: it reads the event logs every job
 * writes to the platform's one event-log location in S3, so a finished job's UI outlives its cluster, its pods
 * and its nodes.
 *
 * A Deployment running `start-history-server.sh` in the foreground as Spark's uid 185 with a read-only root
 * filesystem, an init container that fetches and checks the S3A connector, the settings in `SPARK_HISTORY_OPTS`,
 * a local store on a volume, a ClusterIP Service, a PodDisruptionBudget, its ServiceAccount with the IAM role
 * the AWS side made, and an optional Ingress.
 */
export class SparkHistoryServer extends Construct {
  /** The namespace. */
  public readonly namespace: string;
  /** The event-log location it reads: the bindings', the one every job writes. */
  public readonly eventLogs: EventLogLocation;
  /** The service account and how it gets its IAM role. */
  public readonly serviceAccount: ServiceAccountIdentity;
  /** The UI's port. */
  public readonly port: number;
  /** Whether the cleaner deletes old event logs. */
  public readonly cleanerEnabled: boolean;
  /** The image. */
  public readonly image: string;
  /** The Service in front of the UI. */
  public readonly serviceName: string;
  /** Where the server runs. */
  public readonly placement: Placement;
  private readonly props: SparkHistoryServerProps;
  private readonly hadoopVersion: string;
  private readonly labels = { 'app.kubernetes.io/name': NAME, 'app.kubernetes.io/part-of': 'spark-platform' };

  public constructor(scope: Construct, id: string, props: SparkHistoryServerProps) {
    super(scope, id);
    checkShape(this, 'SparkHistoryServerProps', props, 'props');
    if (!props.bindings) throw invalidProp(this, 'bindings', props.bindings, 'is required: the AWS side\'s PlatformBindings (event logs, region, role)');
    this.props = props;
    this.serviceAccount = props.serviceAccount ?? PlatformServiceAccounts.SPARK_HISTORY_SERVER;
    this.namespace = checkPlatformNamespace(this, 'serviceAccount.namespace', this.serviceAccount.namespace);
    this.serviceName = NAME;
    this.eventLogs = props.bindings.eventLogs;
    requireLiteralBindings(this, props.bindings);
    const sparkVersion = checkSparkVersion(this, 'sparkVersion', props.sparkVersion ?? '4.0.3', props.hadoopVersion !== undefined);
    this.hadoopVersion = props.hadoopVersion !== undefined ? checkHadoopVersion(this, 'hadoopVersion', props.hadoopVersion) : bundledHadoopVersion(sparkVersion);
    this.image = checkPinnedImage(this, 'image', props.image ?? `apache/spark:${sparkVersion}-scala`);
    this.port = checkInteger(this, 'port', props.port ?? 18080, 1024, 65535);
    this.cleanerEnabled = props.cleaner?.enabled ?? true;
    this.placement = componentPlacement(this, props.nodePools, props.placement, 'the history server');
    PlatformPriority._ensure(this);
    const store = props.store ?? HistoryStore.emptyDir();
    const replicas = checkInteger(this, 'replicas', props.replicas ?? 1, 1);
    if (store.persistent && replicas > 1) {
      throw invalidProp(this, 'replicas', replicas, 'must be 1 with a persistent store: its ReadWriteOnce volume cannot be shared; use HistoryStore.emptyDir() for more replicas');
    }
    this.historyOptions();
    (props.s3aConnector ?? S3AConnector.fromMavenRepository())._jars(this, this.hadoopVersion);

    if (props.createNamespace ?? true) this.renderNamespace();
    this.renderServiceAccount();
    this.renderDeployment(store, replicas);
    this.renderService();
    if (props.ingress) this.renderIngress(props.ingress);
    this.node.addValidation({ validate: () => this.checkWiring() });
  }

  /**
   * The server's settings (`SPARK_HISTORY_OPTS`): the log directory from the one event-log location, S3A
   * credentials for the image's Hadoop and the server's identity, the update interval, the cleaner, the store.
   */
  public get settings(): { [key: string]: string } {
    return this.historyOptions();
  }

  private historyOptions(): { [key: string]: string } {
    const props = this.props;
    const cleaner = props.cleaner ?? {};
    const seconds = (prop: string, duration: Duration) => `${checkInteger(this, prop, duration.toSeconds(), 1)}s`;
    const hadoop = {
      ...SparkSettings.s3aCredentials(this.hadoopVersion, this.serviceAccount.identity),
      ...SparkSettings.s3aDirectoryMarkers(this.hadoopVersion),
    };
    return {
      'spark.history.fs.logDirectory': this.eventLogs.s3aUri,
      'spark.history.fs.update.interval': seconds('updateInterval', props.updateInterval ?? Duration.seconds(30)),
      'spark.history.fs.cleaner.enabled': String(this.cleanerEnabled),
      'spark.history.fs.cleaner.interval': seconds('cleaner.interval', cleaner.interval ?? Duration.days(1)),
      'spark.history.fs.cleaner.maxAge': seconds('cleaner.maxAge', cleaner.maxAge ?? Duration.days(30)),
      'spark.history.store.path': STORE_DIR,
      'spark.history.ui.port': String(this.port),
      ...Object.fromEntries(Object.entries(hadoop).map(([key, value]) => [`spark.hadoop.${key}`, value])),
      'spark.hadoop.fs.s3a.endpoint.region': this.props.bindings.region,
    };
  }

  /** The labels that select the server's pods (its Service's selector): what NetworkPolicies select it by. */
  public get podLabels(): { [key: string]: string } {
    return { 'app.kubernetes.io/name': NAME };
  }

  private metadata(name = NAME): k8s.ObjectMeta {
    return { name, namespace: this.namespace, labels: this.labels };
  }

  private renderNamespace(): void {
    const namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.namespace, labels: { ...this.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    SyncWave.set(namespace, SyncWave.NAMESPACES);
  }

  private renderServiceAccount(): void {
    const annotations = this.props.bindings.serviceAccountAnnotations(this.serviceAccount);
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...this.metadata(this.serviceAccount.name), annotations: Object.keys(annotations).length ? annotations : undefined },
    });
  }

  private renderDeployment(store: HistoryStore, replicas: number): void {
    const props = this.props;
    const memory = props.memory ?? Size.gibibytes(2);
    const memoryMiB = checkInteger(this, 'memory', memory.toMebibytes(), 512);
    const jars = (props.s3aConnector ?? S3AConnector.fromMavenRepository())._jars(this, this.hadoopVersion);
    const podLabels = { 'app.kubernetes.io/name': NAME };
    const http = k8s.IntOrString.fromString('http');
    const options = Object.entries(this.historyOptions()).map(([key, value]) => `-D${key}=${value}`).join(' ');
    const storeVolume: k8s.Volume = store.persistent
      ? { name: 'store', persistentVolumeClaim: { claimName: `${NAME}-store` } }
      : { name: 'store', emptyDir: { sizeLimit: k8s.Quantity.fromString(`${store.size.toMebibytes()}Mi`) } };
    const podSpec: k8s.PodSpec = this.placement.applyToPodSpec({
      serviceAccountName: this.serviceAccount.name,
      priorityClassName: PlatformPriority.COMPONENTS,
      securityContext: { runAsNonRoot: true, runAsUser: SPARK_UID, runAsGroup: SPARK_UID, fsGroup: SPARK_UID, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: jars.length ? [{
        name: 's3a-connector',
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        command: ['/bin/sh', '-c', S3AConnector._fetchScript(jars)],
        workingDir: JARS_DIR,
        // wget keeps its HSTS database in $HOME; the spark user's is /nonexistent.
        env: [{ name: 'HOME', value: TMP_DIR }],
        resources: { requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('64Mi') }, limits: { memory: k8s.Quantity.fromString('256Mi') } },
        securityContext: restrictedContainer(),
        volumeMounts: [{ name: 'jars', mountPath: JARS_DIR }, { name: 'tmp', mountPath: TMP_DIR }],
      }] : undefined,
      containers: [{
        name: 'history-server',
        image: this.image,
        imagePullPolicy: 'IfNotPresent',
        // The start script runs the server in the foreground with SPARK_NO_DAEMONIZE (sbin/spark-daemon.sh).
        command: ['/opt/spark/sbin/start-history-server.sh'],
        env: [
          { name: 'SPARK_NO_DAEMONIZE', value: 'true' },
          { name: 'SPARK_HISTORY_OPTS', value: options },
          { name: 'SPARK_DAEMON_MEMORY', value: `${Math.floor(memoryMiB * 0.75)}m` },
          ...(jars.length ? [{ name: 'SPARK_DAEMON_CLASSPATH', value: `${JARS_DIR}/*` }] : []),
          // The start script creates these (mkdir -p) even in the foreground: writable volumes, not the image.
          { name: 'SPARK_LOG_DIR', value: `${TMP_DIR}/logs` },
          { name: 'SPARK_PID_DIR', value: TMP_DIR },
        ],
        ports: [{ name: 'http', containerPort: this.port, protocol: 'TCP' }],
        // The REST API answers once the UI is up; parsing a large store can take minutes on a first start.
        startupProbe: { httpGet: { path: '/api/v1/version', port: http }, periodSeconds: 10, failureThreshold: 60 },
        readinessProbe: { httpGet: { path: '/api/v1/version', port: http }, periodSeconds: 10, failureThreshold: 3 },
        livenessProbe: { httpGet: { path: '/api/v1/version', port: http }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 5 },
        resources: {
          requests: { cpu: k8s.Quantity.fromString((props.cpu ?? kplus.Cpu.millis(500)).amount), memory: k8s.Quantity.fromString(`${memoryMiB}Mi`) },
          limits: { memory: k8s.Quantity.fromString(`${memoryMiB}Mi`) },
        },
        securityContext: restrictedContainer(),
        volumeMounts: [
          { name: 'tmp', mountPath: TMP_DIR },
          { name: 'store', mountPath: STORE_DIR },
          ...(jars.length ? [{ name: 'jars', mountPath: JARS_DIR, readOnly: true }] : []),
        ],
      }],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('1Gi') } },
        storeVolume,
        ...(jars.length ? [{ name: 'jars', emptyDir: { sizeLimit: k8s.Quantity.fromString('2Gi') } }] : []),
      ],
    });
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: this.metadata(),
      spec: {
        replicas,
        // A ReadWriteOnce store cannot be mounted by the old and the new pod at once.
        strategy: store.persistent ? { type: 'Recreate' } : undefined,
        selector: { matchLabels: podLabels },
        template: { metadata: { labels: { ...podLabels, ...this.labels } }, spec: podSpec },
      },
    });
    if (store.persistent) {
      new k8s.KubePersistentVolumeClaim(this, 'Store', {
        metadata: this.metadata(`${NAME}-store`),
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: store.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(`${store.size.toMebibytes()}Mi`) } },
        },
      });
    }
    new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: this.metadata(),
      spec: replicas > 1
        ? { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } }
        : { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: podLabels } },
    });
  }

  private renderService(): void {
    new k8s.KubeService(this, 'Service', {
      metadata: this.metadata(this.serviceName),
      spec: {
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': NAME },
        ports: [{ name: 'http', port: this.port, targetPort: k8s.IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
  }

  private renderIngress(ingress: HistoryServerIngressOptions): void {
    const host = ingress.host;
    if (typeof host !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(host)) {
      throw invalidProp(this, 'ingress.host', host, 'must be a DNS host name such as "spark-history.acme.internal"');
    }
    if (ingress.tlsSecretName !== undefined) checkDns1123Label(this, 'ingress.tlsSecretName', ingress.tlsSecretName, 253);
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { ...this.metadata(), annotations: ingress.annotations },
      spec: {
        ingressClassName: ingress.ingressClassName,
        tls: ingress.tlsSecretName ? [{ hosts: [host], secretName: ingress.tlsSecretName }] : undefined,
        rules: [{
          host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.serviceName, port: { name: 'http' } } } }] },
        }],
      },
    });
  }

  // One event-log location: every job of the app writes where the server reads; the cleaner agrees with the
  // delete the AWS side grants.
  private checkWiring(): string[] {
    const errors = [...AppFacts.of(this).eventLogWriters].map(([writer, directory]) => ({ writer, directory: directory() }))
      .filter(w => w.directory !== undefined && w.directory !== this.eventLogs.s3aUri)
      .map(w => wiringProblem(w.writer, `writes its event logs to ${w.directory}, but the history server ${this.node.path} reads ${this.eventLogs.s3aUri}: `
        + 'every job must write to the platform\'s one event-log location (remove spark.eventLog.dir from its sparkConf)'));
    const granted = this.props.bindings.historyServerCleaner;
    if (granted !== this.cleanerEnabled) {
      errors.push(wiringProblem(this, this.cleanerEnabled
        ? 'the cleaner is on, but the AWS side does not let the history server delete event logs (historyServer.cleaner: false, PlatformBindings.historyServerCleaner): '
          + 'turn it on there, or give cleaner: { enabled: false }'
        : 'the cleaner is off, but the AWS side lets the history server delete event logs (PlatformBindings.historyServerCleaner): give historyServer.cleaner: false there, or turn the cleaner on'));
    }
    return errors;
  }
}
