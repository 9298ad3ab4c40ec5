// The packed package ships the library only (`npx projen package` writes it to artifacts/js/; the file list comes
// from .npmignore, written by .projenrc.ts). These tests read the compiled package: the `test` task compiles first.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

/** What may ship: the compiled library, its jsii assembly, and the files npm ships with every package. */
const ALLOWED = [/^build\/.+\.js$/, /^build\/.+\.d\.ts$/, /^\.jsii$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/,
  // The bundled PromQL parser and YAML parser (package.json bundledDependencies) and what they need.
  /^node_modules\/(@prometheus-io\/lezer-promql|@lezer\/(lr|common|highlight)|yaml)\//];
const notAllowed = (files: string[]) => files.filter((file) => !ALLOWED.some((re) => re.test(file)));

/** The files `npm pack` would put in the tarball of the package in `dir` (no network, no scripts). */
function packedFiles(dir: string): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf-8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'silent', npm_config_update_notifier: 'false' },
  });
  return (JSON.parse(out)[0].files as Array<{ path: string }>).map((f) => f.path).sort();
}

/** The TypeScript sources in lib/, as paths relative to lib/ without the extension. */
function librarySources(dir = path.join(root, 'lib'), prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) {
      return librarySources(path.join(dir, entry.name), `${prefix}${entry.name}/`);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [`${prefix}${entry.name.replace(/\.ts$/, '')}`] : [];
  });
}

describe('the packed package', () => {
  let files: string[];
  beforeAll(() => {
    if (!fs.existsSync(path.join(root, 'build', 'index.js')) || !fs.existsSync(path.join(root, '.jsii'))) {
      throw new Error('build/ or .jsii is missing: compile first (`npx projen compile`; `npm test` does)');
    }
    files = packedFiles(root);
  });

  test('has no file outside the library', () => {
    expect(notAllowed(files)).toEqual([]);
  });

  test('has the whole library: every lib/ source compiled (.js and .d.ts), the jsii assembly, README, LICENSE', () => {
    const expected = librarySources().flatMap((source) => [`build/${source}.js`, `build/${source}.d.ts`]);
    expect(expected).toContain('build/aws/index.js');
    expect(expected.filter((file) => !files.includes(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['.jsii', 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']));
  });

  test('the jsii assembly says experimental (a 0.x library)', () => {
    const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf-8'));
    expect(assembly.docs?.stability).toBe('experimental');
  });
});

describe('.npmignore', () => {
  // Everything a working copy can hold, whether or not it exists right now (CI output, synth output, packages,
  // downloaded schemas, coverage), packed with the project's package.json and .npmignore in a scratch directory.
  const workingCopy = [
    '.ci/run', '.ci-out/jest.json', 'cdk.out/manifest.json', 'dist/spark-platform.k8s.yaml', 'artifacts/js/x.jsii.tgz',
    '.upstream/crds/x.yaml', 'examples/main.ts', 'examples/tsconfig.json', 'docs/aws.md', 'test/node-pool.test.ts',
    'test/fixtures/spark-platform.ts', 'test/tsconfig.json', 'test-reports/junit.xml', 'coverage/lcov.info',
    'junit.xml', 'lib/index.ts', 'projenrc/lazy-submodules.ts', 'projenrc/tsconfig.json', '.projenrc.ts',
    '.projen/tasks.json', 'bench/synth.ts', 'build/index.js', 'build/index.d.ts', 'build/aws/index.js',
    'build/tsconfig.tsbuildinfo', '.jsii', 'README.md', 'LICENSE', 'CHANGELOG.md', 'cdk8s.yaml', 'tsconfig.json',
    '.eslintrc.json', '.gitattributes', '.gitignore', 'cdk8s-spark-platform-0.0.0.tgz',
  ];

  test('keeps everything but the library out, whatever the working copy holds', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npmignore-'));
    try {
      for (const file of ['package.json', '.npmignore']) {
        fs.copyFileSync(path.join(root, file), path.join(dir, file));
      }
      for (const file of workingCopy) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), '{}\n');
      }
      const packed = packedFiles(dir);
      expect(notAllowed(packed)).toEqual([]);
      expect(packed).toEqual(['.jsii', 'CHANGELOG.md', 'LICENSE', 'README.md',
        'build/aws/index.js', 'build/index.d.ts', 'build/index.js', 'package.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('names the jsii outdir the way jsii-pacmak looks for it, so packaging does not rewrite .npmignore', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    const lines = fs.readFileSync(path.join(root, '.npmignore'), 'utf-8').split('\n');
    expect(lines).toContain(manifest.jsii.outdir);
    expect(lines).toContain('!.jsii');
  });
});
