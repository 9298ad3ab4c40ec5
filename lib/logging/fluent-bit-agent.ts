import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { SyncWave } from '../delivery';
import { AppFacts } from '../facts';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { checkInteger, checkTaggedImage, cpuMillisOf } from '../validation';

/**
 * How fluent-bit runs on every node.
 */
export interface FluentBitOptions {
  /**
   * The fluent-bit image, pinned by tag.
   *
   * @default FluentBitAgent.DEFAULT_IMAGE
   */
  readonly image?: string;

  /**
   * The CPU request of each agent.
   *
   * @default Cpu.millis(100)
   */
  readonly cpu?: kplus.Cpu;

  /**
   * The memory of each agent (request and limit).
   *
   * @default Size.mebibytes(256)
   */
  readonly memory?: Size;
}

/** What a `Logging` gives its agent (internal). */
interface FluentBitAgentProps extends FluentBitOptions {
  readonly loggingName: string;
  readonly nodePools: NodePool[];
}

/**
 * The logging-operator `FluentbitAgent` of a `Logging`: fluent-bit on every node of every pool (it tolerates the
 * taints of all the platform's `NodePool`s, so logs leave the spot nodes where executors run), tailing container
 * logs with its read positions on the node's disk, so a restarted agent neither repeats nor skips a line.
 */
export class FluentBitAgent extends Construct {
  /** The fluent-bit image the library is tested with (the logging-operator 6.7 default). */
  public static readonly DEFAULT_IMAGE = 'ghcr.io/fluent/fluent-bit:5.0.5';
  /** The port of fluent-bit's HTTP server (metrics, probes): the operator's default. */
  public static readonly HTTP_PORT = 2020;

  /** @internal */
  public static _of(scope: Construct, id: string, props: FluentBitAgentProps): FluentBitAgent {
    return new FluentBitAgent(scope, id, props);
  }

  /** The FluentbitAgent. */
  public readonly apiObject: ApiObject;
  /** Its tolerations: one per distinct taint of the platform's pools. */
  public readonly tolerations: kplus.k8s.Toleration[];
  /** Where on each node the read positions are kept. */
  public readonly positionDbPath: string;

  private constructor(scope: Construct, id: string, props: FluentBitAgentProps) {
    super(scope, id);
    this.tolerations = Placement.onPools(props.nodePools).tolerations;
    // The operator's own default (common_types.go HostPath, fluentbit/daemonset.go), written out so it is seen.
    this.positionDbPath = `/opt/logging-operator/${props.loggingName}/positiondb`;
    const memoryMiB = checkInteger(this, 'fluentBit.memory', (props.memory ?? Size.mebibytes(256)).toMebibytes(), 32);
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'logging.banzaicloud.io/v1beta1',
      kind: 'FluentbitAgent',
      metadata: { name: props.loggingName },
      spec: {
        // Bound to the Logging without a loggingRef, as the Logging has none.
        image: checkTaggedImage(this, 'fluentBit.image', props.image ?? FluentBitAgent.DEFAULT_IMAGE),
        tolerations: this.tolerations,
        resources: {
          requests: { cpu: (props.cpu ?? kplus.Cpu.millis(100)).amount, memory: `${memoryMiB}Mi` },
          limits: { memory: `${memoryMiB}Mi` },
        },
        positiondb: { hostPath: { path: this.positionDbPath } },
        // containerd splits a line over 16 KiB into partial lines; the multiline `cri` parser joins them again
        // (the classic `cri` parser, the operator's default, does not), and writes the text to `log`
        // (fluent-bit src/multiline/flb_ml_parser_cri.c; logging-operator 6.7.0 pkg/resources/fluentbit/configsecret.go
        // drops the classic parser once it is set). A Spark event with a long stack trace is one line of JSON.
        inputTail: { 'multiline.parser': ['cri'] },
        // With the text in `log`, Merge_Log (on by default) would lift every container's JSON into the record's
        // top level, where two applications' fields of one name but different types collide in Elasticsearch;
        // the flows parse what they know instead.
        filterKubernetes: { Merge_Log: 'Off' },
        // A full node must still run its log agent.
        podPriorityClassName: 'system-node-critical',
        // It reads the node's container logs, files owned by root with mode 0640 (the kubelet's
        // pkg/kubelet/kuberuntime/kuberuntime_container.go creates them): it runs as uid 0, but as owner it needs
        // no capability, cannot escalate, and writes only to its mounted buffers and position database.
        security: {
          podSecurityContext: { runAsUser: 0, runAsGroup: 0, seccompProfile: { type: 'RuntimeDefault' } },
          // The operator sets the pod's seccomp profile from the container's security context
          // (kube-logging/logging-operator 6.7.0 pkg/resources/fluentbit/daemonset.go): on both, or it is dropped.
          securityContext: restrictedContainer({ runAsNonRoot: false, seccompProfile: true }),
        },
        // The operator serves fluent-bit's HTTP server on 2020 and probes "/" for liveness
        // (pkg/sdk/logging/api/v1beta1/logging_types.go); readiness on its health endpoint alike.
        livenessDefaultCheck: true,
        readinessProbe: { httpGet: { path: '/', port: FluentBitAgent.HTTP_PORT }, periodSeconds: 10 },
      },
    });
    SyncWave.markCustomResource(this.apiObject);
    // On every node of every pool: capacity checks count it.
    const cpuMillis = cpuMillisOf((props.cpu ?? kplus.Cpu.millis(100)).amount);
    AppFacts.of(this).platformDaemonSets.push(() => ({ name: 'fluent-bit', cpuMillis, memoryMiB }));
  }
}
