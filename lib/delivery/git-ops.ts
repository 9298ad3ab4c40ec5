import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ApplicationSource, GitDirectoryOptions } from './application-source';
import { ArgoCdApplication, ArgoCdApplicationOptions } from './argo-cd-application';
import { ArgoCdProject } from './argo-cd-project';
import { GroupKind, HelmRelease } from './helm-release';
import { RunOnce } from './run-once';
import { SyncWave } from './sync-wave';
import { checkArgs, checkPlatformNamespace, checkShape, invalidProp, wiringProblem } from '../validation';

/**
 * Properties of `GitOps`.
 */
export interface GitOpsProps extends ChartProps, GitDirectoryOptions {
  /**
   * The namespace Argo CD runs in.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * The name of the platform's AppProject.
   *
   * @default 'spark-platform'
   */
  readonly projectName?: string;

  /**
   * The name of the root Application (the app of apps that syncs `path`).
   *
   * @default GitOps.DEFAULT_ROOT_APPLICATION_NAME ('spark-platform')
   */
  readonly rootApplicationName?: string;
}

/**
 * The platform's GitOps delivery with Argo CD, as a chart of its own (`dist/<id>.k8s.yaml`, the bootstrap
 * file): the platform's `AppProject`, the root Application (app of apps) that syncs the committed `dist/`
 * directory, and one Application per operator `HelmRelease`.
 *
 * The flow: `cdk8s synth` in CI, commit `dist/`, Argo CD syncs it. The project allows exactly the chart
 * repositories and namespaces the platform uses: every release added registers its repository and namespace,
 * and the root Application's destinations are the namespaces of every object in the cdk8s app.
 */
export class GitOps extends Chart {
  /**
   * The root Application's name unless told otherwise: the AWS side's bootstrap (`aws.GitOpsBootstrap`) names it
   * alike, so the Kubernetes side's copy takes it over.
   */
  public static readonly DEFAULT_ROOT_APPLICATION_NAME = 'spark-platform';

  /** The platform's AppProject. */
  public readonly project: ArgoCdProject;
  /** The root Application (app of apps). */
  public readonly rootApplication: ArgoCdApplication;
  /** The namespace Argo CD runs in. */
  public readonly argoCdNamespace: string;
  private readonly applications = new Map<string, ArgoCdApplication>();
  private readonly ociRepositories = new Set<string>();

  public constructor(scope: Construct, id: string, props: GitOpsProps) {
    super(scope, id, props);
    checkShape(this, 'GitOpsProps', props, 'props');
    this.argoCdNamespace = checkPlatformNamespace(this, 'argoCdNamespace', props.argoCdNamespace ?? 'argocd');
    this.project = new ArgoCdProject(this, 'Project', { name: props.projectName, argoCdNamespace: this.argoCdNamespace });

    const source = ApplicationSource.fromGitDirectory({ repoUrl: props.repoUrl, revision: props.revision, path: props.path });
    this.rootApplication = new ArgoCdApplication(this, 'RootApplication', {
      source,
      name: props.rootApplicationName ?? GitOps.DEFAULT_ROOT_APPLICATION_NAME,
      projectName: this.project.name,
      argoCdNamespace: this.argoCdNamespace,
      destinationNamespace: this.argoCdNamespace,
      // The root Application is one of the objects it syncs (dist/ holds it), and Argo CD waits for the health
      // of every wave but the last: its own health covers the whole platform, so it goes last.
      syncWave: SyncWave.RUNS,
    });
    this.project.addSourceRepository(source.repoUrl);
    this.project.addDestination(this.argoCdNamespace);
    // Every namespace the synthesized objects live in is a destination of the root Application, and exactly
    // the cluster-scoped kinds of the app and of the releases are allowed.
    this.project._addDestinationsAtSynth(() => this.appNamespaces());
    this.project._addClusterResourceKindsAtSynth(() => this.clusterScopedKinds());
    // Runs (SparkApplications) are created once: a changed spec must not re-submit a finished job.
    this.rootApplication._ignoreAtSynth(() => this.runKinds().map(kind => ({ ...kind, jqPathExpressions: ['.spec'] })));
    this.node.addValidation({
      validate: () => {
        // One walk of the app for both checks (cdk8s validates once per chart and once per synth).
        const objects = this.appObjects();
        return [...this.checkReleaseNamespaces(objects), ...this.checkRuns(objects)];
      },
    });
  }

  /**
   * Delivers a Helm release as an Argo CD Application in the platform project (sync wave
   * `SyncWave.OPERATORS` by default), allowing its repository and namespace in the project.
   */
  public addHelmRelease(release: HelmRelease, options: ArgoCdApplicationOptions = {}): ArgoCdApplication {
    checkArgs(this, 'GitOps', 'addHelmRelease', [release, options]);
    checkShape(this, 'ArgoCdApplicationOptions', options, 'options', true);
    const name = options.name ?? release.releaseName;
    if (this.applications.has(name)) {
      throw invalidProp(this, 'release', release.releaseName, `an Application named "${name}" is already delivered (${this.applications.get(name)!.node.path}); give options.name`);
    }
    const application = new ArgoCdApplication(this, `Release-${name}`, {
      ...options,
      source: ApplicationSource.fromHelmRelease(release),
      projectName: this.project.name,
      argoCdNamespace: this.argoCdNamespace,
    });
    this.applications.set(name, application);
    this.project.addSourceRepository(application.source.repoUrl);
    this.project.addDestination(application.destinationNamespace, application.destinationServer);
    if (release.isOci) this.addOciRepository(application.source.repoUrl);
    return application;
  }

  /** The Applications of the releases delivered so far. */
  public get releaseApplications(): ArgoCdApplication[] {
    return [...this.applications.values()];
  }

  // Argo CD pulls Helm charts from an OCI registry only from a repository declared with enableOCI.
  private addOciRepository(registryPath: string): void {
    if (this.ociRepositories.has(registryPath)) return;
    this.ociRepositories.add(registryPath);
    const name = `helm-oci-${registryPath.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.slice(0, 253).replace(/-+$/, '');
    const secret = new k8s.KubeSecret(this, `OciRepository-${name}`, {
      metadata: { name, namespace: this.argoCdNamespace, labels: { 'argocd.argoproj.io/secret-type': 'repository' } },
      stringData: { type: 'helm', name, url: registryPath, enableOCI: 'true' },
    });
    SyncWave.set(secret, SyncWave.PLATFORM);
  }

  private appObjects(): ApiObject[] {
    return this.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  }

  private appNamespaces(): string[] {
    return [...new Set(this.appObjects().map(o => o.metadata.namespace).filter((ns): ns is string => !!ns))];
  }

  // Objects without a namespace are cluster-scoped (the schema harness rejects a namespaced kind without one).
  private clusterScopedKinds(): GroupKind[] {
    const native = this.appObjects().filter(o => !o.metadata.namespace).map(groupKindOf);
    return [...native, ...this.releaseApplications.flatMap(a => a.source.release?.clusterScopedKinds ?? [])];
  }

  private runKinds(): GroupKind[] {
    const kinds = new Map<string, GroupKind>();
    for (const run of this.appObjects().filter(o => RunOnce.of(o))) kinds.set(`${run.apiVersion} ${run.kind}`, groupKindOf(run));
    return [...kinds.values()];
  }

  // An operator's Application is Healthy only once its chart's objects are applied; objects it renders into a
  // namespace that does not exist yet fail, and Argo CD waits on the Application's wave forever.
  private checkReleaseNamespaces(objects: ApiObject[]): string[] {
    const namespaces = new Map(objects.filter(o => o.kind === 'Namespace' && o.apiVersion === 'v1').map(o => [o.name, o]));
    const errors: string[] = [];
    for (const application of this.releaseApplications) {
      const release = application.source.release!;
      const wave = SyncWave.of(application.apiObject);
      for (const name of release.otherNamespaces) {
        const namespace = namespaces.get(name);
        if (!namespace) {
          errors.push(wiringProblem(application, `the chart "${release.chartName}" renders objects into namespace "${name}", which no Namespace of this app creates: `
            + 'Argo CD would wait forever for the release to become healthy; create the Namespace in the app (a JobNamespace does)'));
        } else if (SyncWave.of(namespace) >= wave) {
          errors.push(wiringProblem(namespace, `Namespace "${name}" is applied in sync wave ${SyncWave.of(namespace)}, but the chart "${release.chartName}" `
            + `renders objects into it in wave ${wave}: put it in an earlier wave (SyncWave.NAMESPACES)`));
        }
      }
    }
    return errors;
  }

  private checkRuns(objects: ApiObject[]): string[] {
    const errors: string[] = [];
    for (const object of objects) {
      const run = RunOnce.of(object);
      if (run?.deletedBy) {
        errors.push(wiringProblem(object, `${run.deletedBy} makes the operator delete ${object.kind} "${object.name}" once it has run, and Argo CD's `
          + `self-heal (${this.node.path}) re-creates what git still holds: it would run again, forever. Drop ${run.deletedBy}, or run one-shot work `
          + 'as a pipeline or an on-demand run (docs/spark-jobs.md)'));
      }
      if (!run && object !== this.rootApplication.apiObject && SyncWave.of(object) >= SyncWave.RUNS) {
        errors.push(wiringProblem(object, `sync wave ${SyncWave.of(object)} is at or after SyncWave.RUNS (${SyncWave.RUNS}): `
          + 'Argo CD would wait for every run before the wave to finish; use an earlier wave'));
      }
    }
    return errors;
  }
}

function groupKindOf(apiObject: ApiObject): GroupKind {
  const slash = apiObject.apiVersion.indexOf('/');
  return { group: slash < 0 ? '' : apiObject.apiVersion.slice(0, slash), kind: apiObject.kind };
}
