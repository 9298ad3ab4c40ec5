// The newcomer's path, offline: the library packed as npm publishes it, installed from the tarball into a scratch
// cdk8s app that has the cdk8s-cli template's tsconfig, and the README's example (its objects.ts and platform.ts,
// as the README prints them) type-checked with that tsconfig and synthesized. The library's dependencies come
// from this project's node_modules (linked, nothing downloaded); the test task compiles the package first.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const NODE_MODULES = path.join(ROOT, 'node_modules');

/** The README's TypeScript blocks that follow a "`<file>`" line naming the file they are. */
function readmeFiles(): { [file: string]: string } {
  const lines = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8').split('\n');
  const files: { [file: string]: string } = {};
  for (let i = 0; i < lines.length; i++) {
    const named = /^`([a-z-]+\.ts)`/.exec(lines[i]);
    const start = lines.findIndex((l, j) => j > i && j <= i + 4 && l.trim() === '```ts');
    if (!named || start < 0) continue;
    const end = lines.indexOf('```', start + 1);
    files[named[1]] = lines.slice(start + 1, end).join('\n');
  }
  return files;
}

let tarball: string;
beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'build', 'index.js'))) throw new Error('build/ is missing: compile first (`npx projen compile`; `npm test` does)');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-'));
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: ROOT, encoding: 'utf-8' }).trim().split('\n').pop()!;
  tarball = path.join(out, name);
}, 120_000);

/** A scratch cdk8s app with the package installed from the tarball, and the given peers linked. */
function scratchApp(peers: string[], files: string[]): string {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'newcomer-'));
  const modules = path.join(app, 'node_modules');
  fs.mkdirSync(path.join(modules, '@types'), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', app]);
  fs.renameSync(path.join(app, 'package'), path.join(modules, 'cdk8s-spark-platform'));
  for (const peer of [...peers, 'typescript', '@types/node']) {
    fs.mkdirSync(path.dirname(path.join(modules, peer)), { recursive: true });
    fs.symlinkSync(path.join(NODE_MODULES, peer), path.join(modules, peer), 'dir');
  }
  // The tsconfig `cdk8s init typescript-app` writes (cdk8s-cli templates/typescript-app), as it ships.
  fs.copyFileSync(path.join(NODE_MODULES, 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), path.join(app, 'tsconfig.json'));
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'infra', version: '0.0.0', private: true }));
  for (const [file, code] of Object.entries(readmeFiles()).filter(([name]) => files.includes(name))) fs.writeFileSync(path.join(app, file), `${code}\n`);
  return app;
}

function tsc(app: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(process.execPath, [path.join(NODE_MODULES, 'typescript', 'bin', 'tsc'), '-p', app], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e: any) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const KUBERNETES_SIDE = ['cdk8s', 'constructs', 'cdk8s-plus-33'];

test('the README names its files: objects.ts (shared, synthesizes nothing), platform.ts (the cdk8s app), aws.ts (the CDK app)', () => {
  const files = readmeFiles();
  expect(Object.keys(files).sort()).toEqual(['aws.ts', 'objects.ts', 'platform.ts']);
  expect(files['aws.ts']).toContain("from './objects'");
  expect(files['objects.ts']).not.toContain('synth()');
  expect(files['platform.ts']).toContain("from './objects'");
});

test('both sides type-check with the template\'s tsconfig and synthesize the README\'s example, with no AWS call', () => {
  const app = scratchApp([...KUBERNETES_SIDE, 'aws-cdk-lib', '@aws-cdk/lambda-layer-kubectl-v33', 'yaml'], ['objects.ts', 'platform.ts', 'aws.ts']);
  const compiled = tsc(app);
  expect(compiled.output).toBe('');
  expect(compiled.ok).toBe(true);
  const outdir = path.join(app, 'dist');
  execFileSync(process.execPath, [path.join(app, 'platform.js')], { cwd: app, env: { ...process.env, CDK8S_OUTDIR: outdir }, stdio: 'pipe' });
  const written = fs.readdirSync(outdir).sort();
  expect(written).toEqual(['gitops.k8s.yaml', 'spark-platform.k8s.yaml']);
  expect(fs.readFileSync(path.join(outdir, 'spark-platform.k8s.yaml'), 'utf-8')).toContain('kind: WorkflowTemplate');
  // The AWS side, as `cdk deploy --app "npx ts-node ... aws.ts"` runs it: it reads dist/gitops.k8s.yaml, and the
  // cloud assembly leaves no context lookup (no AWS call, no credentials).
  const assembly = path.join(app, 'cdk.out');
  execFileSync(process.execPath, [path.join(app, 'aws.js')], { cwd: app, env: { ...process.env, CDK_OUTDIR: assembly }, stdio: 'pipe' });
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly, 'manifest.json'), 'utf-8'));
  expect(manifest.missing ?? []).toEqual([]);
  const template = JSON.parse(fs.readFileSync(path.join(assembly, 'SparkPlatform.template.json'), 'utf-8'));
  expect(Object.keys(template.Resources).some(id => id.includes('ArgoCdBootstrap'))).toBe(true);
}, 300_000);

// The `aws` namespace's declarations name aws-cdk-lib's types: a tsconfig that checks libraries' declarations
// (the template's has no skipLibCheck) needs aws-cdk-lib installed; the README's install step says so.
test('without aws-cdk-lib, the template\'s tsconfig reports exactly that, and skipLibCheck lets the Kubernetes side through', () => {
  const app = scratchApp(KUBERNETES_SIDE, ['objects.ts', 'platform.ts']);
  const compiled = tsc(app);
  expect(compiled.ok).toBe(false);
  expect(compiled.output).toMatch(/Cannot find module 'aws-cdk-lib/);
  const tsconfig = JSON.parse(fs.readFileSync(path.join(app, 'tsconfig.json'), 'utf-8'));
  fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ ...tsconfig, compilerOptions: { ...tsconfig.compilerOptions, skipLibCheck: true } }));
  expect(tsc(app)).toEqual({ ok: true, output: '' });
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
  expect(readme).toMatch(/skipLibCheck/);
}, 180_000);
