// Downloads the pinned upstream files the tests read (CRDs, the Kubernetes OpenAPI, charts' values) by URL
// and checks each one's SHA-256, for checkouts without ../shared beside them:
//   npm run fetch-schemas               # into .upstream/ (the tests find it there)
//   npm run fetch-schemas -- <dir>      # elsewhere; then set SPARK_PLATFORM_SCHEMA_DIR=<dir>/crds and
//                                       # SPARK_PLATFORM_CHARTS_DIR=<dir>/charts
// `--verify <crds dir> <charts dir>` checks files already there without downloading.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { FETCHED_DIR } from './schema-dirs';

/** One pinned upstream file: where it goes (`crds/...` or `charts/...`), where it comes from, its SHA-256. */
export interface UpstreamFile {
  readonly file: string;
  readonly url: string;
  readonly sha256: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const UPSTREAM_FILES: UpstreamFile[] = require('./upstream-files.json');

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The path of a pinned file given the folders of the CRDs and of the charts. */
export function localPath(entry: UpstreamFile, crdsDir: string, chartsDir: string): string {
  const [kind, ...rest] = entry.file.split('/');
  return path.join(kind === 'crds' ? crdsDir : chartsDir, ...rest);
}

/** Every pinned file that is missing or differs from its pin, with the reason. */
export function verify(crdsDir: string, chartsDir: string): string[] {
  return UPSTREAM_FILES.flatMap(entry => {
    const file = localPath(entry, crdsDir, chartsDir);
    if (!fs.existsSync(file)) return [`${entry.file}: missing at ${file}`];
    const actual = sha256(fs.readFileSync(file));
    return actual === entry.sha256 ? [] : [`${entry.file}: sha256 ${actual}, pinned ${entry.sha256}`];
  });
}

async function fetchAll(root: string): Promise<void> {
  for (const entry of UPSTREAM_FILES) {
    const target = path.join(root, entry.file);
    if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === entry.sha256) continue;
    const response = await fetch(entry.url).catch((error: Error) => {
      throw new Error(`${entry.url}: ${error.message} (${(error.cause as Error | undefined)?.message ?? 'no network?'})`);
    });
    if (!response.ok) throw new Error(`${entry.url}: HTTP ${response.status}`);
    const content = Buffer.from(await response.arrayBuffer());
    const actual = sha256(content);
    if (actual !== entry.sha256) throw new Error(`${entry.url}: sha256 ${actual}, pinned ${entry.sha256}: not written`);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    console.log(`fetched ${entry.file}`);
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--verify') {
    const problems = verify(path.resolve(args[1]), path.resolve(args[2]));
    for (const problem of problems) console.error(problem);
    process.exit(problems.length ? 1 : 0);
  }
  const root = path.resolve(args[0] ?? FETCHED_DIR);
  fetchAll(root).then(
    () => console.log(`${UPSTREAM_FILES.length} pinned files in ${root}: set SPARK_PLATFORM_SCHEMA_DIR=${root}/crds SPARK_PLATFORM_CHARTS_DIR=${root}/charts unless it is ${FETCHED_DIR}`),
    (error: Error) => { console.error(error.message); process.exit(1); },
  );
}
