import { ApiObject, Chart, ChartProps } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ApplicationSource } from './application-source';
import { ArgoCdApplication, ArgoCdApplicationOptions } from './argo-cd-application';
import { ArgoCdProject } from './argo-cd-project';
import { HelmRelease } from './helm-release';
import { SyncWave } from './sync-wave';
import { checkDns1123Label, invalidProp } from '../core';

/**
 * Properties of `GitOps`.
 */
export interface GitOpsProps extends ChartProps {
  /**
   * The git repository where the synthesized `dist/` is committed, e.g.
   * `https://github.com/acme/spark-platform-infra.git`.
   */
  readonly repoUrl: string;

  /**
   * The branch, tag or commit Argo CD follows.
   *
   * @default 'main'
   */
  readonly revision?: string;

  /**
   * The directory of the synthesized manifests in the repository.
   *
   * @default 'dist'
   */
  readonly path?: string;

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
   * @default 'spark-platform'
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
    this.argoCdNamespace = checkDns1123Label(this, 'argoCdNamespace', props.argoCdNamespace ?? 'argocd');
    this.project = new ArgoCdProject(this, 'Project', { name: props.projectName, argoCdNamespace: this.argoCdNamespace });

    const source = ApplicationSource.fromGitDirectory({ repoUrl: props.repoUrl, revision: props.revision, path: props.path });
    this.rootApplication = new ArgoCdApplication(this, 'RootApplication', {
      source,
      name: props.rootApplicationName ?? 'spark-platform',
      projectName: this.project.name,
      argoCdNamespace: this.argoCdNamespace,
      destinationNamespace: this.argoCdNamespace,
    });
    this.project.addSourceRepository(source.repoUrl);
    this.project.addDestination(this.argoCdNamespace);
    // Every namespace the synthesized objects live in is a destination of the root Application.
    this.project._addDestinationsAtSynth(() => this.appNamespaces());
  }

  /**
   * Delivers a Helm release as an Argo CD Application in the platform project (sync wave
   * `SyncWave.OPERATORS` by default), allowing its repository and namespace in the project.
   */
  public addHelmRelease(release: HelmRelease, options: ArgoCdApplicationOptions = {}): ArgoCdApplication {
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

  private appNamespaces(): string[] {
    const namespaces = new Set<string>();
    for (const construct of this.node.root.node.findAll()) {
      if (construct instanceof ApiObject && construct.metadata.namespace) namespaces.add(construct.metadata.namespace);
    }
    return [...namespaces];
  }
}
