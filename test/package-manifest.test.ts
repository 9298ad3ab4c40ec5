// What package.json (written by projen from .projenrc.ts) promises the users of the package.
import * as fs from 'fs';
import * as path from 'path';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));

describe('package.json', () => {
  test('says the API is experimental (a 0.x library), with a real pre-1.0 version', () => {
    expect(manifest.version).toMatch(/^0\.[1-9][0-9]*\.[0-9]+$|^0\.0\.[1-9][0-9]*$/);
    expect(manifest.stability).toBe('experimental');
  });

  // On npm the README is read away from the repository: a relative link to docs/ leads nowhere.
  test('the README\'s links to the repository\'s files are absolute, and each file exists', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);
    expect(links.filter(l => !/^(https?:|#)/.test(l))).toEqual([]);
    const base = 'https://github.com/cdk8s-spark-platform/cdk8s-spark-platform/blob/main/';
    for (const link of links.filter(l => l.startsWith(base))) {
      expect({ link, exists: fs.existsSync(path.join(__dirname, '..', link.slice(base.length).split('#')[0])) }).toEqual({ link, exists: true });
    }
  });

  test('the AWS side\'s packages are optional peer dependencies: the Kubernetes side installs without them', () => {
    for (const name of ['aws-cdk-lib', '@aws-cdk/lambda-layer-kubectl-v33']) {
      expect(manifest.peerDependencies[name]).toMatch(/^\^2\./);
      expect(manifest.peerDependenciesMeta?.[name]).toEqual({ optional: true });
    }
  });

  test('the Kubernetes side\'s peer dependencies stay required', () => {
    for (const name of ['cdk8s', 'constructs', 'cdk8s-plus-33']) {
      expect(manifest.peerDependencies[name]).toBeDefined();
      expect(manifest.peerDependenciesMeta?.[name]?.optional).not.toBe(true);
    }
    expect(Object.keys(manifest.peerDependenciesMeta).sort()).toEqual(['@aws-cdk/lambda-layer-kubectl-v33', 'aws-cdk-lib']);
  });
});
