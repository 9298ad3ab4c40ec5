import { ApiObject, Duration, Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { LogIndex } from './log-index';
import { SyncWave } from '../delivery';
import { checkDns1123Subdomain, checkInteger, checkNoCredentials, checkOneOf, invalidProp } from '../validation';

/**
 * The log store an output writes to.
 */
export enum LogStore {
  /** Elasticsearch (`elasticsearch` output, fluent-plugin-elasticsearch). */
  ELASTICSEARCH = 'elasticsearch',
  /** OpenSearch, which many EKS users run instead (Amazon OpenSearch Service; `opensearch` output). */
  OPENSEARCH = 'opensearch',
}

/**
 * What an output does when its buffer is full.
 */
export enum BufferOverflowAction {
  /** Stop reading until there is room: logs wait, none is lost. The default. */
  BLOCK = 'block',
  /** Drop the oldest buffered chunk to make room: logs are lost. */
  DROP_OLDEST_CHUNK = 'drop_oldest_chunk',
  /** Fail the write, which fluentd reports as an error. */
  THROW_EXCEPTION = 'throw_exception',
}

/**
 * A key of a Kubernetes Secret in the output's namespace.
 */
export interface SecretKeyReference {
  /** The Secret's name. */
  readonly secretName: string;
  /** The key in the Secret. */
  readonly key: string;
}

/**
 * How an output buffers: on fluentd's persistent volume, in chunks flushed at an interval, retried with
 * exponential backoff, blocking rather than dropping when full.
 */
export interface LogBufferOptions {
  /**
   * The largest chunk.
   *
   * @default Size.mebibytes(8)
   */
  readonly chunkLimit?: Size;

  /**
   * The most this output may buffer (on fluentd's buffer volume, shared by every output).
   *
   * @default Size.gibibytes(2)
   */
  readonly totalLimit?: Size;

  /**
   * How often chunks are flushed.
   *
   * @default Duration.seconds(10)
   */
  readonly flushInterval?: Duration;

  /**
   * The longest wait between two retries of a failed flush (the waits grow exponentially up to it).
   *
   * @default Duration.minutes(5)
   */
  readonly retryMaxInterval?: Duration;

  /**
   * What happens when the buffer is full.
   *
   * @default BufferOverflowAction.BLOCK
   */
  readonly overflowAction?: BufferOverflowAction;
}

/**
 * Options of an output.
 */
export interface LogOutputOptions {
  /**
   * The Output's (or ClusterOutput's) name.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The log store.
   *
   * @default LogStore.ELASTICSEARCH
   */
  readonly store?: LogStore;

  /** The host of the cluster, e.g. `logs.acme.internal` or an Amazon OpenSearch Service domain endpoint. */
  readonly host: string;

  /**
   * The port.
   *
   * @default 9200 (use 443 for Amazon OpenSearch Service)
   */
  readonly port?: number;

  /**
   * `https` or `http`. `http` sends logs (and the password) in clear: only with `allowInsecure`.
   *
   * @default 'https'
   */
  readonly scheme?: string;

  /**
   * Whether the server's TLS certificate is verified. Off only with `allowInsecure`.
   *
   * @default true
   */
  readonly verifyTls?: boolean;

  /**
   * The explicit opt-in to `scheme: 'http'` or `verifyTls: false` (a test cluster, say).
   *
   * @default false
   */
  readonly allowInsecure?: boolean;

  /**
   * The index.
   *
   * @default - a team output: `LogIndex.daily('spark-<namespace>')`; a cluster output: `LogIndex.daily('spark-platform')`
   */
  readonly index?: LogIndex;

  /**
   * The user name.
   *
   * @default - no authentication by user name (e.g. Amazon OpenSearch Service with IAM)
   */
  readonly user?: string;

  /**
   * The password: a key of a Secret in the output's namespace (never inline).
   *
   * @default - none
   */
  readonly password?: SecretKeyReference;

  /**
   * Buffering, flushing and retries.
   *
   * @default - 8 MiB chunks, 2 GiB at most, flushed every 10 s, retried with backoff up to 5 minutes apart, forever; blocking when full
   */
  readonly buffer?: LogBufferOptions;

  /**
   * More settings of the `elasticsearch` / `opensearch` output the library does not type (the escape hatch), e.g.
   * `{ suppress_type_name: true }`. They may not set the password.
   *
   * @default - none
   */
  readonly extraSettings?: { [key: string]: any };
}

/** What a `Logging` gives the outputs it makes (internal: outputs are made by `Logging` only). */
interface LogOutputProps extends LogOutputOptions {
  /** The `Logging` whose fluentd runs the output. */
  readonly logging: IConstruct;
  /** The namespace of the Output, or the control namespace of a ClusterOutput. */
  readonly namespace: string;
  /** Whether it is a platform-wide `ClusterOutput` (in the control namespace) rather than a team's `Output`. */
  readonly cluster: boolean;
  /** The index when none is given. */
  readonly defaultIndex: LogIndex;
}

const DEFAULT_TOTAL_LIMIT = Size.gibibytes(2);
const HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Where logs go: a logging-operator `Output` (a team's, in its namespace) or `ClusterOutput` (platform-wide, in
 * the control namespace) writing to Elasticsearch or OpenSearch over verified TLS, with its password from a
 * Secret and its buffer on fluentd's persistent volume. Made by `Logging.addTeamOutput` and
 * `Logging.addClusterOutput`.
 */
export class LogOutput extends Construct {
  /**
   * An output of a `Logging`.
   *
   * @internal
   */
  public static _of(scope: Construct, id: string, props: LogOutputProps): LogOutput {
    return new LogOutput(scope, id, props);
  }

  /** The output's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Whether it is a ClusterOutput. */
  public readonly cluster: boolean;
  /** The Output or ClusterOutput. */
  public readonly apiObject: ApiObject;
  /** The most this output buffers on fluentd's volume. */
  public readonly bufferTotalLimit: Size;
  /** The `Logging` whose fluentd runs the output. */
  public readonly logging: IConstruct;

  private constructor(scope: Construct, id: string, props: LogOutputProps) {
    super(scope, id);
    this.logging = props.logging;
    this.bufferTotalLimit = props.buffer?.totalLimit ?? DEFAULT_TOTAL_LIMIT;
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? id);
    this.namespace = props.namespace;
    this.cluster = props.cluster;
    const store = checkOneOf(this, 'store', props.store ?? LogStore.ELASTICSEARCH, Object.values(LogStore));
    const settings = {
      ...this.connection(props),
      ...(props.index ?? props.defaultIndex)._render(this),
      ...(props.user !== undefined ? { user: props.user } : {}),
      ...(props.password ? { password: { valueFrom: { secretKeyRef: secretKeyRef(this, props.password) } } } : {}),
      buffer: renderBuffer(this, props.buffer ?? {}),
      ...checkExtraSettings(this, props.extraSettings ?? {}),
    };
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind: this.cluster ? 'ClusterOutput' : 'Output',
      metadata: { name: this.name, namespace: this.namespace },
      spec: { [store]: settings },
    });
    SyncWave.markCustomResource(this.apiObject);
  }

  private connection(props: LogOutputOptions): { [key: string]: any } {
    if (typeof props.host !== 'string' || !HOST.test(props.host)) {
      throw invalidProp(this, 'host', props.host, 'must be a host name such as "logs.acme.internal" (no scheme, no port, no path)');
    }
    const port = checkInteger(this, 'port', props.port ?? 9200, 1, 65535);
    const scheme = checkOneOf(this, 'scheme', props.scheme ?? 'https', ['https', 'http']);
    const verifyTls = props.verifyTls ?? true;
    if (scheme === 'http' && !props.allowInsecure) {
      throw invalidProp(this, 'scheme', scheme, 'sends logs and credentials in clear: use https, or say so with allowInsecure: true');
    }
    if (!verifyTls && !props.allowInsecure) {
      throw invalidProp(this, 'verifyTls', verifyTls, 'lets anyone on the path impersonate the log store: keep it on, or say so with allowInsecure: true');
    }
    return { host: props.host, port, scheme, ssl_verify: verifyTls };
  }
}

function secretKeyRef(where: Construct, ref: SecretKeyReference): { name: string; key: string } {
  checkDns1123Subdomain(where, 'password.secretName', ref.secretName);
  if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) {
    throw invalidProp(where, 'password.key', ref.key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
  }
  return { name: ref.secretName, key: ref.key };
}

function renderBuffer(where: Construct, buffer: LogBufferOptions): { [key: string]: any } {
  const bytes = (prop: string, size: Size, min: number) => `${checkInteger(where, prop, size.toMebibytes(), min)}MB`;
  const seconds = (prop: string, duration: Duration) => `${checkInteger(where, prop, duration.toSeconds(), 1)}s`;
  return {
    type: 'file',
    // Near real time: chunks flushed every interval, keyed by tag and minute.
    flush_mode: 'interval',
    flush_interval: seconds('buffer.flushInterval', buffer.flushInterval ?? Duration.seconds(10)),
    flush_thread_count: 2,
    timekey: '1m',
    timekey_wait: '30s',
    timekey_use_utc: true,
    chunk_limit_size: bytes('buffer.chunkLimit', buffer.chunkLimit ?? Size.mebibytes(8), 1),
    total_limit_size: bytes('buffer.totalLimit', buffer.totalLimit ?? DEFAULT_TOTAL_LIMIT, 64),
    retry_type: 'exponential_backoff',
    retry_wait: '10s',
    retry_max_interval: seconds('buffer.retryMaxInterval', buffer.retryMaxInterval ?? Duration.minutes(5)),
    retry_forever: true,
    overflow_action: checkOneOf(where, 'buffer.overflowAction', buffer.overflowAction ?? BufferOverflowAction.BLOCK, Object.values(BufferOverflowAction)),
  };
}

function checkExtraSettings(where: Construct, extra: { [key: string]: any }): { [key: string]: any } {
  checkNoCredentials(where, 'extraSettings', Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'password')),
    'give it as a Secret reference ({ valueFrom: { secretKeyRef: { name, key } } }, logging-operator\'s secret type), which the operator reads from the output\'s namespace');
  for (const key of ['password', 'host', 'port', 'scheme', 'ssl_verify', 'buffer']) {
    if (key in extra) {
      throw invalidProp(where, `extraSettings.${key}`, key === 'password' ? '<redacted>' : extra[key],
        key === 'password' ? 'is never inline: give password as a Secret reference' : `is a typed prop: give ${key === 'ssl_verify' ? 'verifyTls' : key} instead`);
    }
  }
  return extra;
}

