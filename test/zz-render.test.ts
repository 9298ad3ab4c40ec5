import * as fs from 'fs';
import { ManifestPolicy } from '../lib';
test('render', () => {
  for (const c of ['spark-operator', 'argo-workflows', 'logging-operator']) {
    const docs = JSON.parse(fs.readFileSync(`/tmp/scratch/${c}.json`, 'utf-8'));
    console.log(c, JSON.stringify(new ManifestPolicy().check(docs).filter(v => v.rule !== "cluster-write"), null, 1));
  }
});
