// The Kubernetes side never loads aws-cdk-lib (../shared/DESIGN.md §1): `aws` is a jsii submodule that the compiled
// entry point loads on first access (projenrc/lazy-submodules.ts rewrites build/index.js after jsii). These tests
// read the compiled package, as users get it: the `test` task compiles first.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeSubmodulesLazy } from '../projenrc/lazy-submodules';

const root = path.join(__dirname, '..');
const entryPoint = path.join(root, 'build', 'index.js');

/**
 * Runs `script` in a fresh `node` process (nothing preloaded, unlike jest's module registry) and returns what it
/* cannot be resolved, as when not installed.
 */
function runNode(script: string, withoutAwsCdk = false): any {
  const hideAwsCdk = `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      if (/^(aws-cdk-lib|@aws-cdk\\/)/.test(request)) {
        const e = new Error("Cannot find module '" + request + "' (hidden by the test)");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      }
      return resolve.call(this, request, ...rest);
    };
  `;
  const out = execFileSync(process.execPath, ['-e', (withoutAwsCdk ? hideAwsCdk : '') + script], {
    cwd: root,
    encoding: 'utf-8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Uses the Kubernetes side of the compiled package: pools, the Spark Operator, a job, the autoscaler, synth. */
const useKubernetesSide = `
  const lib = require(${JSON.stringify(entryPoint)});
  const { App, Chart } = require('cdk8s');
  const awsCdkModules = () => Object.keys(require.cache).filter((p) => p.includes('aws-cdk-lib'));
  const bindings = new lib.PlatformBindings({
    accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark', eventLogPrefix: 'spark-events',
  });
  const system = new lib.NodePool({ name: 'system', capacityType: lib.CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge'], minSize: 2 });
  const spot = new lib.NodePool({
    name: 'spark-spot', capacityType: lib.CapacityType.SPOT, instanceTypes: ['m5.2xlarge', 'm5a.2xlarge'],
    taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: 'NoSchedule' }],
  });
  const app = new App();
  const chart = new Chart(app, 'platform');
  const spark = new lib.SparkOperator(chart, 'spark-operator', { nodePools: [system, spot], bindings });
  spark.addTeam(new lib.SparkTeam({ name: 'data-engineering', costCenter: 'cc-1001' })).addJob('daily', {
    type: lib.SparkJobType.SCALA, image: 'spark-jobs/daily:1.0.0', mainApplicationFile: 'local:///opt/spark/jars/daily.jar',
    mainClass: 'com.acme.Daily', sparkVersion: '3.5.5',
  });
  new lib.ClusterAutoscaler(chart, 'cluster-autoscaler', { nodePools: [system, spot], bindings, kubernetesVersion: '1.33' });
  const objects = chart.toJson().length;
  app.synthYaml();
  const afterKubernetesSide = awsCdkModules();
`;

describe('the compiled package (build/index.js)', () => {
  beforeAll(() => {
    if (!fs.existsSync(entryPoint)) {
      throw new Error(`${entryPoint} does not exist: compile first (\`npx projen compile\`; \`npm test\` does)`);
    }
  });

  test('importing the root and using the Kubernetes side loads no aws-cdk-lib module; `.aws` loads it on access', () => {
    const result = runNode(`${useKubernetesSide}
      const aws = lib.aws;
      console.log(JSON.stringify({
        objects,
        afterKubernetesSide,
        afterAws: awsCdkModules().length,
        sparkEksCluster: typeof aws.SparkEksCluster,
        enumerable: Object.keys(lib).includes('aws'),
        memoized: lib.aws === aws,
        // __importStar of a module with __esModule set returns the module itself
        sameAsSubmodule: aws === require(${JSON.stringify(path.join(root, 'build', 'aws'))}),
      }));
    `);
    expect(result.objects).toBeGreaterThan(5);
    expect(result.afterKubernetesSide).toEqual([]);
    expect(result.afterAws).toBeGreaterThan(0);
    expect(result.sparkEksCluster).toBe('function');
    expect(result.enumerable).toBe(true);
    expect(result.memoized).toBe(true);
    expect(result.sameAsSubmodule).toBe(true);
  });

  test('the Kubernetes side works where aws-cdk-lib is not installed; `.aws` then fails naming it', () => {
    const result = runNode(`${useKubernetesSide}
      let awsError;
      try { lib.aws; } catch (e) { awsError = e.message; }
      console.log(JSON.stringify({ objects, afterKubernetesSide, awsError }));
    `, true);
    expect(result.objects).toBeGreaterThan(5);
    expect(result.afterKubernetesSide).toEqual([]);
    expect(result.awsError).toMatch(/Cannot find module '(aws-cdk-lib|@aws-cdk\/)/);
  });

  test('native ESM still sees `aws` as a named export', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e',
      `const { aws, NodePool } = await import(${JSON.stringify(entryPoint)}); console.log(typeof aws.SparkEksCluster, typeof NodePool);`], { cwd: root, encoding: 'utf-8' });
    expect(out.trim()).toBe('function function');
  });
});

describe('projenrc/lazy-submodules.ts (the post-compile rewrite)', () => {
  const eager = [
    '"use strict";',
    'exports.aws = void 0;',
    '__exportStar(require("./scheduling"), exports);',
    'exports.aws = __importStar(require("./aws"));',
    '//# sourceMappingURL=data:application/json;base64,xyz',
  ].join('\n');

  test('rewrites the eager assignment into a memoizing getter with __importStar, on the same line', () => {
    const lazy = makeSubmodulesLazy(eager, ['aws']);
    const lines = lazy.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(/^var _noFold; Object\.defineProperty\(exports, _noFold = "aws", \{ enumerable: true, configurable: true, get: \(\) => \{ const value = __importStar\(require\("\.\/aws"\)\);/);
    expect(lazy).not.toContain('exports.aws = __importStar');
    expect(lines.slice(0, 3).concat(lines[4])).toEqual(eager.split('\n').slice(0, 3).concat(eager.split('\n')[4]));
  });

  test('the rewritten module loads the submodule on first access only, once', () => {
    const lazy = makeSubmodulesLazy(eager.replace('__exportStar(require("./scheduling"), exports);', ''), ['aws']);
    const loaded: string[] = [];
    const exports: any = {};
    const submodule = { __esModule: true, SparkEksCluster: class {} };
    const fakeRequire = (id: string) => { loaded.push(id); return submodule; };
    const importStar = (mod: any) => mod;
    new Function('exports', 'require', '__importStar', lazy)(exports, fakeRequire, importStar);
    expect(loaded).toEqual([]);
    expect(Object.keys(exports)).toEqual(['aws']);
    expect(exports.aws).toBe(submodule);
    expect(exports.aws).toBe(submodule);
    expect(loaded).toEqual(['./aws']);
  });

  test('running it again on its own output changes nothing', () => {
    const lazy = makeSubmodulesLazy(eager, ['aws']);
    expect(makeSubmodulesLazy(lazy, ['aws'])).toBe(lazy);
  });

  test('fails loudly when the compiler emits something else', () => {
    // e.g. a TypeScript without esModuleInterop, or a different helper name
    expect(() => makeSubmodulesLazy(eager.replace('__importStar(require("./aws"))', 'require("./aws")'), ['aws']))
      .toThrow(/expected exactly one line `exports\.aws = __importStar\(require\("\.\/aws"\)\);` \(found 0/);
    expect(() => makeSubmodulesLazy(eager.replace('__importStar', '__importStar2'), ['aws'])).toThrow(/found 0/);
    expect(() => makeSubmodulesLazy(eager, ['gcp'])).toThrow(/found 0/);
    expect(() => makeSubmodulesLazy(`${eager}\nexports.aws = __importStar(require("./aws"));`, ['aws'])).toThrow(/found 2/);
    expect(() => makeSubmodulesLazy(`${eager}\nconst x = require("./aws");`, ['aws'])).toThrow(/required 2 times/);
    expect(() => makeSubmodulesLazy(eager, [])).toThrow(/no submodule names/);
  });
});
