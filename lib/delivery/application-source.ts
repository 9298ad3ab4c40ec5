import { HelmRelease } from './helm-release';
import { checkArgs, checkShape, invalidProp } from '../validation';

/**
 * Options of a git directory source.
 */
export interface GitDirectoryOptions {
  /**
   * The git repository (https or ssh), e.g. `https://github.com/acme/spark-platform-infra.git`.
   */
  readonly repoUrl: string;

  /**
   * The branch, tag or commit.
   *
   * @default ApplicationSource.DEFAULT_REVISION ('main')
   */
  readonly revision?: string;

  /**
   * The directory in the repository, e.g. the committed `dist/` of `cdk8s synth`.
   *
   * @default ApplicationSource.DEFAULT_PATH ('dist')
   */
  readonly path?: string;
}

const GIT_HTTPS = /^https:\/\/[A-Za-z0-9.-]+(:[0-9]+)?(\/[A-Za-z0-9._~-]+)+(\.git)?\/?$/;
const GIT_SSH = /^(ssh:\/\/)?[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:[0-9]+)?[:/][A-Za-z0-9._~/-]+(\.git)?$/;
const GIT_REVISION = /^[A-Za-z0-9._/-]+$/;
const REPO_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * Where an Argo CD Application takes its manifests from: a Helm chart (`HelmRelease`) or a git directory.
 */
export class ApplicationSource {
  /** The branch a git directory source follows unless told otherwise. */
  public static readonly DEFAULT_REVISION = 'main';
  /** The directory of a git directory source unless told otherwise: the committed output of `cdk8s synth`. */
  public static readonly DEFAULT_PATH = 'dist';

  /** A pinned Helm chart with its values (rendered at synth, so later changes to the release are included). */
  public static fromHelmRelease(release: HelmRelease): ApplicationSource {
    checkArgs('ApplicationSource.fromHelmRelease', 'ApplicationSource', 'fromHelmRelease', [release]);
    return new ApplicationSource(release, undefined);
  }

  /** A directory of plain manifests in a git repository. */
  public static fromGitDirectory(options: GitDirectoryOptions): ApplicationSource {
    checkShape('ApplicationSource.fromGitDirectory', 'GitDirectoryOptions', options, 'options');
    const where = 'ApplicationSource';
    if (typeof options.repoUrl !== 'string' || !(GIT_HTTPS.test(options.repoUrl) || GIT_SSH.test(options.repoUrl))) {
      throw invalidProp(where, 'repoUrl', options.repoUrl,
        'must be a git repository URL: https (e.g. "https://github.com/acme/infra.git") or ssh (e.g. "git@github.com:acme/infra.git")');
    }
    const revision = options.revision ?? ApplicationSource.DEFAULT_REVISION;
    if (!GIT_REVISION.test(revision)) throw invalidProp(where, 'revision', revision, 'must be a branch, tag or commit');
    const path = options.path ?? ApplicationSource.DEFAULT_PATH;
    if (!REPO_PATH.test(path) || path.split('/').includes('..')) {
      throw invalidProp(where, 'path', path, 'must be a relative directory in the repository without ".." (e.g. "dist")');
    }
    return new ApplicationSource(undefined, { repoUrl: options.repoUrl, revision, path });
  }

  private constructor(
    /** The release, for Helm sources. */
    public readonly release: HelmRelease | undefined,
    private readonly git: { repoUrl: string; revision: string; path: string } | undefined,
  ) {}

  /**
   * The repository as Argo CD names it (and as the AppProject must allow it): the https URL, the OCI registry
   * path without `oci://` (a Helm source from an OCI registry), or the git URL.
   */
  public get repoUrl(): string {
    if (this.release) return this.release.isOci ? this.release.repository.replace(/^oci:\/\//, '') : this.release.repository;
    return this.git!.repoUrl;
  }

  /** @internal */
  public _render(): { [key: string]: any } {
    if (this.release) {
      const release = this.release;
      return {
        repoURL: this.repoUrl,
        chart: release.chartName,
        targetRevision: release.chartVersion,
        helm: { releaseName: release.releaseName, valuesObject: release.values },
      };
    }
    return { repoURL: this.git!.repoUrl, targetRevision: this.git!.revision, path: this.git!.path };
  }
}
