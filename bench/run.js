// `npm run bench`: the library's synth cost against a plain cdk8s app that renders byte-identical YAML (baseline)
// and against serializing the same objects alone (floor), for the example platform scaled to N jobs, each run a
// whole process; the load time of the package's Kubernetes side against cdk8s-plus-33 alone; the AWS example.
// Options: --sizes 10,100,1000,10000  --runs 5  --json <file>
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const SIZES = option('sizes', '10,100,1000,10000').split(',').map(Number);
const RUNS = Number(option('runs', '5'));
const LOAD_RUNS = Math.max(RUNS * 2, 10);

if (!fs.existsSync(path.join(ROOT, 'build', 'index.js'))) throw new Error('build/index.js is missing: `npx projen compile` first (npm run bench does)');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spark-platform-bench-'));

/** Runs `node <script> ...args` as a whole process: wall time (ms) and what the script reports (peak RSS...). */
function run(script, ...scriptArgs) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(__dirname, script), ...scriptArgs.map(String)], { encoding: 'utf-8', maxBuffer: 1 << 26 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${script} ${scriptArgs.join(' ')} failed:\n${result.stderr}`);
  return { wallMs, ...JSON.parse(result.stdout || '{}') };
}

/** Runs inline code as a whole process (for load times). */
function runCode(code) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', code], { cwd: ROOT, encoding: 'utf-8' });
  if (result.status !== 0) throw new Error(`node -e ${code} failed:\n${result.stderr}`);
  return { wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The same files with the same bytes in each folder, or an error naming the first difference. */
function expectIdentical(dirs) {
  const files = fs.readdirSync(dirs[0]).sort();
  for (const dir of dirs.slice(1)) {
    const other = fs.readdirSync(dir).sort();
    if (JSON.stringify(other) !== JSON.stringify(files)) throw new Error(`${dir} has ${other.join(', ')}, ${dirs[0]} has ${files.join(', ')}`);
    for (const file of files) {
      if (!fs.readFileSync(path.join(dirs[0], file)).equals(fs.readFileSync(path.join(dir, file)))) {
        throw new Error(`${path.join(dir, file)} differs from ${path.join(dirs[0], file)}: the baseline must render byte-identical YAML`);
      }
    }
  }
  return files;
}

const results = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` }, sizes: [] };

for (const jobs of SIZES) {
  const dir = path.join(work, String(jobs));
  const objects = path.join(dir, 'objects.json');
  fs.mkdirSync(dir, { recursive: true });
  run('export-objects.js', jobs, objects);
  // Checked before anything is timed: the three write the same bytes. This run is also the warm-up.
  run('library.js', jobs, path.join(dir, 'library'));
  run('baseline.js', objects, path.join(dir, 'baseline'));
  run('floor.js', objects, path.join(dir, 'floor'));
  const files = expectIdentical([path.join(dir, 'library'), path.join(dir, 'baseline'), path.join(dir, 'floor')]);
  const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dir, 'library', f)).size, 0);
  const documents = JSON.parse(fs.readFileSync(objects, 'utf-8')).reduce((sum, c) => sum + c.objects.length, 0);
  const samples = { library: [], baseline: [], floor: [] };
  // Alternating, so a slow moment of the machine hits all three alike.
  for (let i = 0; i < RUNS; i++) {
    samples.library.push(run('library.js', jobs, path.join(dir, 'library')));
    samples.baseline.push(run('baseline.js', objects, path.join(dir, 'baseline')));
    samples.floor.push(run('floor.js', objects, path.join(dir, 'floor')));
  }
  const summary = Object.fromEntries(Object.entries(samples).map(([name, runs]) => [name, {
    wallMs: median(runs.map(r => r.wallMs)), peakRssMiB: Math.max(...runs.map(r => r.maxRssKiB)) / 1024, workMs: median(runs.map(r => r.workMs)),
  }]));
  const entry = {
    jobs, documents, megabytes: bytes / 2 ** 20, ...summary,
    libraryOverBaseline: summary.library.wallMs / summary.baseline.wallMs,
    libraryOverFloor: summary.library.wallMs / summary.floor.wallMs,
    msPerJob: summary.library.wallMs / jobs,
  };
  results.sizes.push(entry);
  process.stderr.write(`N=${jobs}: library ${entry.library.wallMs.toFixed(0)} ms, baseline ${entry.baseline.wallMs.toFixed(0)} ms, floor ${entry.floor.wallMs.toFixed(0)} ms\n`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// Load: the package's Kubernetes side (build/index.js; aws stays unloaded) against cdk8s-plus-33 alone.
const load = { library: [], cdk8sPlus: [] };
runCode("require('./build')");
runCode("require('cdk8s-plus-33')");
for (let i = 0; i < LOAD_RUNS; i++) {
  load.library.push(runCode("require('./build')").wallMs);
  load.cdk8sPlus.push(runCode("require('cdk8s-plus-33')").wallMs);
}
results.load = { libraryMs: median(load.library), cdk8sPlusMs: median(load.cdk8sPlus) };
results.load.ratio = results.load.libraryMs / results.load.cdk8sPlusMs;

// The AWS example (one warm-up; the kubectl layer asset is staged once into the reused folder).
const awsOut = path.join(work, 'aws');
run('aws-example.js', awsOut);
const awsRuns = Array.from({ length: RUNS }, () => run('aws-example.js', awsOut));
results.awsExample = {
  loadMs: median(awsRuns.map(r => r.loadMs)),
  firstSynthMs: median(awsRuns.map(r => r.firstSynthMs)),
  warmSynthMs: median(awsRuns.map(r => r.workMs)),
  wallMs: median(awsRuns.map(r => r.wallMs)),
  peakRssMiB: Math.max(...awsRuns.map(r => r.maxRssKiB)) / 1024,
};
fs.rmSync(work, { recursive: true, force: true });

const targets = {
  'library / baseline <= 1.10 at every N': results.sizes.every(s => s.libraryOverBaseline <= 1.10),
  'Kubernetes side loads in <= 1.05x cdk8s-plus-33': results.load.ratio <= 1.05,
  'time per job at 10,000 <= 1.5x that at 1,000': (() => {
    const [k, tk] = [results.sizes.find(s => s.jobs === 1000), results.sizes.find(s => s.jobs === 10000)];
    return k && tk ? tk.msPerJob <= 1.5 * k.msPerJob : undefined;
  })(),
  '10,000 jobs in < 1 GiB peak RSS': (() => {
    const tk = results.sizes.find(s => s.jobs === 10000);
    return tk ? tk.library.peakRssMiB < 1024 : undefined;
  })(),
  'AWS example synthesizes in <= 0.7 s (first synth in its process)': results.awsExample.firstSynthMs <= 700,
};
results.targets = targets;

const f = (n, d = 0) => n.toFixed(d);
const lines = [
  `Machine: ${results.machine.cpus} x ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node ${results.machine.node}, ${results.machine.platform}. `
    + `Median of ${RUNS} whole-process runs after a warm-up, library, baseline and floor alternating.`,
  '',
  '| jobs | objects | YAML MiB | library ms | baseline ms | floor ms | library / baseline | library / floor | ms per job | library peak RSS MiB | baseline peak RSS MiB |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...results.sizes.map(s => `| ${s.jobs} | ${s.documents} | ${f(s.megabytes, 1)} | ${f(s.library.wallMs)} | ${f(s.baseline.wallMs)} | ${f(s.floor.wallMs)} | `
    + `${f(s.libraryOverBaseline, 2)} | ${f(s.libraryOverFloor, 2)} | ${f(s.msPerJob, 2)} | ${f(s.library.peakRssMiB)} | ${f(s.baseline.peakRssMiB)} |`),
  '',
  `| load | ms |`,
  '| --- | ---: |',
  `| the package's Kubernetes side (\`require('cdk8s-spark-platform')\`) | ${f(results.load.libraryMs)} |`,
  `| \`cdk8s-plus-33\` alone | ${f(results.load.cdk8sPlusMs)} |`,
  `| ratio | ${f(results.load.ratio, 2)} |`,
  '',
  `AWS example (examples/aws.ts, without aws-cdk-lib's built-in validation): first synth ${f(results.awsExample.firstSynthMs)} ms (constructing and `
    + `synthesizing, and loading the aws-cdk-lib classes it uses on first access), a second synth in the same process ${f(results.awsExample.warmSynthMs)} ms, `
    + `loading aws-cdk-lib and the package ${f(results.awsExample.loadMs)} ms, ${f(results.awsExample.wallMs)} ms whole process, `
    + `${f(results.awsExample.peakRssMiB)} MiB peak RSS.`,
  '',
  ...Object.entries(targets).map(([name, met]) => `- ${met === undefined ? 'not measured' : met ? 'met' : 'MISSED'}: ${name}`),
];
process.stdout.write(`${lines.join('\n')}\n`);
const json = option('json', undefined);
if (json) fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
