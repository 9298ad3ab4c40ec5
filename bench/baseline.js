// The baseline: a plain cdk8s app that renders the same objects with the same content, built directly with cdk8s'
// ApiObject on top of cdk8s-plus-33 (loaded, as a plain app built on its k8s L1 classes loads it). Its objects come
// from a JSON file (bench/export-objects.js): what a hand-written app would compute, it reads.
// Usage: node bench/baseline.js <file.json> <outdir>
'use strict';
const started = process.hrtime.bigint();
const fs = require('fs');
const { ApiObject, App, Chart } = require('cdk8s');
require('cdk8s-plus-33');
const loaded = process.hrtime.bigint();
const charts = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
const parsed = process.hrtime.bigint();
const app = new App({ outdir: process.argv[3] });
for (const { file, objects } of charts) {
  const chart = new Chart(app, file.replace(/\.k8s\.yaml$/, ''));
  objects.forEach((object, i) => new ApiObject(chart, `o${i}`, object));
}
app.synth();
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({
  loadMs: Number(loaded - started) / 1e6, readMs: Number(parsed - loaded) / 1e6, workMs: Number(done - parsed) / 1e6, maxRssKiB: process.resourceUsage().maxRSS,
}));
