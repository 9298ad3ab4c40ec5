import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { PipelineOutcomeMetrics } from './pipeline-outcome-push';
import { Pushgateway } from './pushgateway';
import { restrictedContainer } from '../policy/internal';
import { NodePool, Placement } from '../scheduling';
import { componentPlacement } from '../scheduling/internal';
import { PlatformPriority } from '../spark';
import { checkShape } from '../validation';
import { ArgoWorkflows } from '../workflows';

/** What `PlatformMonitoring` gives the cleanup. */
export interface PipelineGroupCleanupProps {
  /** The Pushgateway the pipelines push to. */
  readonly pushgateway: Pushgateway;
  /** The pipelines whose groups are kept (those added later too). */
  readonly workflows: ArgoWorkflows;
  /** The platform's pools: the job runs on on-demand capacity. */
  readonly nodePools: NodePool[];
  /** Where it runs. @default - the on-demand pools */
  readonly placement?: Placement;
  /** The curl image (pinned). */
  readonly image: string;
}

// The curl image's user (curl/curl-container 8.11.1: `curl_user`, uid 100), numeric so the kubelet can verify it.
const CURL_UID = 100;

/**
 * The lifecycle of the pipelines' Pushgateway groups: the Pushgateway keeps a group until it is deleted
 * (prometheus/pushgateway README: no TTL by design), so an hourly CronJob deletes the `spark_pipeline` groups of
 * pipelines the platform no longer has (removed or renamed), read from the Pushgateway's own `push_time_seconds`
 * series, one per group.
 */
export class PipelineGroupCleanup extends Construct {
  /**
   * The cleanup script (POSIX sh, curl, sed): reads `PUSHGATEWAY_URL` and `KEEP` (the platform's pipelines as
   * `<namespace>/<pipeline>`, space-separated), deletes every other `spark_pipeline` group.
   */
  public static script(): string {
    const job = PipelineOutcomeMetrics.JOB;
    const label = (name: string) => `$(printf '%s' "$line" | sed -n 's/.*[{,]${name}="\\([^"]*\\)".*/\\1/p')`;
    return [
      'set -eu',
      `curl --silent --show-error --fail --max-time 30 "$PUSHGATEWAY_URL/metrics" | grep '^push_time_seconds{' | grep 'job="${job}"' | while IFS= read -r line; do`,
      `  ns=${label('namespace')}; pipeline=${label('pipeline')}; team=${label('team')}`,
      '  case " $KEEP " in *" $ns/$pipeline "*) continue ;; esac',
      `  curl --silent --show-error --fail --max-time 30 -X DELETE "$PUSHGATEWAY_URL/metrics/job/${job}/namespace/$ns/pipeline/$pipeline/team/$team"`,
      '  echo "deleted the group of pipeline $ns/$pipeline, which the platform no longer has"',
      'done',
    ].join('\n');
  }

  /** The labels of the cleanup's pods (what the NetworkPolicies select it by). */
  public readonly podLabels: { [key: string]: string } = { 'app.kubernetes.io/name': 'pushgateway-cleanup', 'app.kubernetes.io/part-of': 'spark-platform' };

  public constructor(scope: Construct, id: string, props: PipelineGroupCleanupProps) {
    super(scope, id);
    checkShape(this, 'PipelineGroupCleanupProps', props, 'props');
    const placement = componentPlacement(this, props.nodePools, props.placement, 'the Pushgateway cleanup');
    const keep = Lazy.any({ produce: () => props.workflows.pipelines.map(p => `${p.namespace.name}/${p.name}`).sort().join(' ') });
    new k8s.KubeCronJob(this, 'Resource', {
      metadata: { name: 'pushgateway-cleanup', namespace: props.pushgateway.namespace, labels: this.podLabels },
      spec: {
        schedule: '17 * * * *',
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 1,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            ttlSecondsAfterFinished: 3600,
            template: {
              metadata: { labels: this.podLabels },
              spec: placement.applyToPodSpec({
                restartPolicy: 'Never',
                automountServiceAccountToken: false,
                priorityClassName: PlatformPriority.COMPONENTS,
                securityContext: { runAsNonRoot: true, runAsUser: CURL_UID, runAsGroup: CURL_UID, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{
                  name: 'cleanup',
                  image: props.image,
                  command: ['sh', '-c', PipelineGroupCleanup.script()],
                  env: [{ name: 'PUSHGATEWAY_URL', value: props.pushgateway.url }, { name: 'KEEP', value: keep as unknown as string }],
                  resources: {
                    requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('16Mi') },
                    limits: { memory: k8s.Quantity.fromString('64Mi') },
                  },
                  securityContext: restrictedContainer({ runAsNonRoot: false }),
                }],
              }),
            },
          },
        },
      },
    });
  }
}
