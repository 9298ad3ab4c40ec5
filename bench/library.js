// One whole-process run of the library: build the scaled platform and `app.synth()` it into the given folder.
// Usage: node bench/library.js <jobs> <outdir>
'use strict';
const started = process.hrtime.bigint();
const { build } = require('./scaled-platform');
const loaded = process.hrtime.bigint();
const app = build(Number(process.argv[2]));
app.outdir = process.argv[3];
app.synth();
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({ loadMs: Number(loaded - started) / 1e6, workMs: Number(done - loaded) / 1e6, maxRssKiB: process.resourceUsage().maxRSS }));
