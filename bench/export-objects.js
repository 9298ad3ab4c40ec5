// Writes the plain objects the library renders for <jobs>, chart by chart, as the input of the baseline and the
// floor (not timed). Usage: node bench/export-objects.js <jobs> <file.json>
'use strict';
const fs = require('fs');
const { build } = require('./scaled-platform');
const app = build(Number(process.argv[2]));
// The chart names cdk8s gives the files (FILE_PER_CHART, no dependencies between charts): <chart id>.k8s.yaml.
const charts = app.charts.map(chart => ({ file: `${chart.node.id}.k8s.yaml`, objects: chart.toJson() }));
fs.writeFileSync(process.argv[3], JSON.stringify(charts));
