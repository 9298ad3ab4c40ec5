import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const ROOT = path.join(__dirname, '..');

// `cdk8s synth` of the example (examples/main.ts run as the CLI runs it), in a process of its own with the
// given time zone and locale, into its own folder; returns every file written, by name.
async function synthesize(env: { TZ: string; LANG: string; LC_ALL: string }): Promise<Map<string, Buffer>> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  await promisify(execFile)(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', '--project', 'examples/tsconfig.json', 'examples/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, CDK8S_OUTDIR: outdir },
  });
  return new Map(fs.readdirSync(outdir).sort().map(file => [file, fs.readFileSync(path.join(outdir, file))]));
}

describe('the output is the same bytes everywhere', () => {
  test('two syntheses in separate processes, with different time zones and locales, write identical files', async () => {
    const [a, b] = await Promise.all([
      synthesize({ TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }),
      synthesize({ TZ: 'Pacific/Chatham', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' }),
    ]);
    expect([...a.keys()]).toEqual(['gitops.k8s.yaml', 'spark-platform.k8s.yaml', 'spark-platform.mmd']);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [file, bytes] of a) expect({ file, same: Buffer.compare(bytes, b.get(file)!) === 0 }).toEqual({ file, same: true });
  });
});
