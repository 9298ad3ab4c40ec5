import { App } from 'cdk8s';
import { ImageUser, PLATFORM_IMAGE_USERS } from './image-users';
import { ClusterWriteGrant, PolicyException, PolicyViolation } from './policy-violation';
import { checkArgs, checkShape } from '../validation';
import { containerViolations } from './private/container-rules';
import { exposedServiceViolations, inlineSecretViolations } from './private/exposure-rules';
import { PLATFORM_CLUSTER_WRITES, PLATFORM_EXCEPTIONS } from './private/platform-exceptions';
import { policyContainers } from './private/pod-containers';
import { clusterWriteViolations, wildcardViolations } from './private/rbac-rules';

/**
 * Properties of a `ManifestPolicy`.
 */
export interface ManifestPolicyProps {
  /**
   * Exceptions for objects that break a rule on purpose, each with its reason (added to the library's own).
   *
   * @default - only the library's exceptions (`ManifestPolicy.PLATFORM_EXCEPTIONS`)
   */
  readonly exceptions?: PolicyException[];

  /**
   * Cluster-wide write grants accepted, each with its reason (added to the library's own).
   *
   * @default - only the library's (`ManifestPolicy.PLATFORM_CLUSTER_WRITES`)
   */
  readonly clusterWrites?: ClusterWriteGrant[];

  /**
   * The users your images are built with (their Dockerfile's `USER`), for containers that set `runAsNonRoot`
   * without `runAsUser` (added to the library's own, `ManifestPolicy.PLATFORM_IMAGE_USERS`).
   *
   * @default - only the library's
   */
  readonly imageUsers?: ImageUser[];

  /**
   * Services allowed to be of type LoadBalancer or NodePort, as `namespace/name`.
   *
   * @default - none
   */
  readonly exposedServices?: string[];
}

/**
 * The checks careful platform teams run in admission control, over rendered manifests: no RBAC wildcards, no
 * unexplained cluster-wide writes, pinned images, requests and a memory limit, non-root, no privilege
 * escalation, no capabilities, seccomp `RuntimeDefault`, a read-only root filesystem, probes on long-running
 * workloads, no LoadBalancer or NodePort Services, no Secret values in manifests. It looks into the custom
 * resources the platform renders (Spark driver and executor, workflow steps and their SparkApplications,
 * fluentd and fluent-bit). Run it in your unit tests:
 *
 * ```ts
 * expect(new ManifestPolicy().checkApp(app)).toEqual([]);
 * ```
 */
export class ManifestPolicy {
  /** The exceptions the library's own objects need, with reasons. */
  public static readonly PLATFORM_EXCEPTIONS: PolicyException[] = PLATFORM_EXCEPTIONS;
  /** The cluster-wide writes of the library's own components, with reasons. */
  public static readonly PLATFORM_CLUSTER_WRITES: ClusterWriteGrant[] = PLATFORM_CLUSTER_WRITES;
  /** The users of the images the library and its pinned charts run, each with the Dockerfile it is read from. */
  public static readonly PLATFORM_IMAGE_USERS: ImageUser[] = PLATFORM_IMAGE_USERS;

  private readonly exceptions: PolicyException[];
  private readonly clusterWrites: ClusterWriteGrant[];
  private readonly exposedServices: Set<string>;
  private readonly imageUsers: ImageUser[];

  public constructor(props: ManifestPolicyProps = {}) {
    checkShape('ManifestPolicy', 'ManifestPolicyProps', props, 'props', true);
    for (const exception of [...props.exceptions ?? [], ...props.clusterWrites ?? []]) {
      if (!exception.reason || exception.reason.trim().length < 10) {
        throw new Error(`ManifestPolicy: every exception must say why (reason), got ${JSON.stringify(exception)}`);
      }
    }
    this.exceptions = [...PLATFORM_EXCEPTIONS, ...props.exceptions ?? []];
    this.clusterWrites = [...PLATFORM_CLUSTER_WRITES, ...props.clusterWrites ?? []];
    this.exposedServices = new Set(props.exposedServices ?? []);
    this.imageUsers = [...props.imageUsers ?? []];
  }

  /** The violations of the documents (plain Kubernetes objects), in document order. */
  public check(documents: any[]): PolicyViolation[] {
    checkArgs('ManifestPolicy.check', 'ManifestPolicy', 'check', [documents]);
    const docs = documents.filter(d => d && typeof d === 'object');
    const found = [
      ...wildcardViolations(docs),
      ...clusterWriteViolations(docs, this.clusterWrites),
      ...policyContainers(docs).flatMap(c => containerViolations(c, this.imageUsers)),
      ...exposedServiceViolations(docs.filter(d => !this.exposedServices.has(`${d.metadata?.namespace}/${d.metadata?.name}`))),
      ...inlineSecretViolations(docs.filter(d => !isRepositoryDeclaration(d))),
    ];
    return found.filter(v => !this.exceptions.some(e => excepts(e, v)));
  }

  /** The violations of everything a cdk8s app renders. */
  public checkApp(app: App): PolicyViolation[] {
    checkArgs('ManifestPolicy.checkApp', 'ManifestPolicy', 'checkApp', [app]);
    return this.check(app.charts.flatMap(chart => chart.toJson()));
  }
}

function excepts(exception: PolicyException, violation: PolicyViolation): boolean {
  const [kind, ref] = violation.object.split(' ');
  const name = ref?.split('/').pop();
  return exception.rule === violation.rule && exception.kind === kind
    && (exception.name === undefined || exception.name === name)
    && (exception.path === undefined || violation.path.startsWith(exception.path));
}

// Argo CD reads repositories only from Secrets labelled argocd.argoproj.io/secret-type=repository (declarative
// setup, docs/operator-manual/declarative-setup.md); one that names a public repository holds no secret.
const REPOSITORY_FIELDS = ['enableOCI', 'name', 'project', 'type', 'url'];

function isRepositoryDeclaration(doc: any): boolean {
  if (doc.kind !== 'Secret' || doc.metadata?.labels?.['argocd.argoproj.io/secret-type'] !== 'repository') return false;
  const keys = [...Object.keys(doc.stringData ?? {}), ...Object.keys(doc.data ?? {})];
  return keys.every(k => REPOSITORY_FIELDS.includes(k));
}
