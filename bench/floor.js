// The floor: only serialize the same plain objects with the `yaml` package, the way cdk8s writes them
// (cdk8s Yaml.stringify: YAML 1.1 schema, no line wrapping, one document per object).
// Usage: node bench/floor.js <file.json> <outdir>
'use strict';
const started = process.hrtime.bigint();
const fs = require('fs');
const path = require('path');
const YAML = require('yaml');
const loaded = process.hrtime.bigint();
const charts = JSON.parse(fs.readFileSync(process.argv[2], 'utf-8'));
const parsed = process.hrtime.bigint();
fs.mkdirSync(process.argv[3], { recursive: true });
for (const { file, objects } of charts) {
  const text = objects.map(o => YAML.stringify(o, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
  fs.writeFileSync(path.join(process.argv[3], file), text);
}
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({
  loadMs: Number(loaded - started) / 1e6, readMs: Number(parsed - loaded) / 1e6, workMs: Number(done - parsed) / 1e6, maxRssKiB: process.resourceUsage().maxRSS,
}));
