// What package.json (written by projen from .projenrc.ts) promises the users of the package.
import * as fs from 'fs';
import * as path from 'path';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf-8'));

describe('package.json', () => {
  test('says the API is experimental (a 0.x library)', () => {
    expect(manifest.version).toMatch(/^0\./);
    expect(manifest.stability).toBe('experimental');
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
