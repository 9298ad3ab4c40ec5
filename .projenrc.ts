import { cdk8s, javascript } from 'projen';

// The layout is fixed by the design (../shared/DESIGN.md §2): source in lib/, tests in test/, examples in
// examples/, compiled output in build/ (never dist/: `cdk8s synth` empties it), packages in artifacts/.
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-spark-platform',
  description: 'Typed cdk8s + AWS CDK constructs for a production Spark platform on EKS: spot node pools, Spark Operator jobs, Argo delivery.',
  license: 'Apache-2.0',
  author: 'cdk8s-spark-platform developers',
  authorAddress: 'https://github.com/cdk8s-spark-platform/cdk8s-spark-platform',
  repositoryUrl: 'https://github.com/cdk8s-spark-platform/cdk8s-spark-platform.git',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  srcdir: 'lib',
  libdir: 'build',
  testdir: 'test',
  entrypoint: 'build/index.js',
  entrypointTypes: 'build/index.d.ts',
  artifactsDirectory: 'artifacts',
  // 0.x: the API may still change in any release (jsii and the package registry show this).
  stability: 'experimental',

  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  cdk8sPlusVersionPinning: false,
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  peerDeps: [
    'cdk8s-plus-33@^2.5.57',
    'aws-cdk-lib@^2.276.0',
    '@aws-cdk/lambda-layer-kubectl-v33@^2.2.2',
  ],
  // A PromQL parser checks alert and panel expressions at synth (lezer-promql, the Prometheus UI's own grammar).
  bundledDeps: [
    '@prometheus-io/lezer-promql@0.315.0',
    '@lezer/lr@^1.4.12',
    '@lezer/highlight@^1.2.5',
    // The policy check reads the SparkApplications inside workflow steps, which are YAML strings.
    'yaml@^2.9.1',
  ],
  devDeps: [
    'cdk8s-cli@^2.207.60',
    'ts-node@^10.9.2',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    'cdk-nag@^3.0.2',
    'aws-cdk-lib@2.276.0',
    '@aws-cdk/lambda-layer-kubectl-v33@2.2.2',
    'cdk8s-plus-33@2.5.57',
    '@types/node@^20',
    // Test-only: the IAM policy simulator the S3 call tests run (AGPL-3.0: a devDependency, never shipped).
    '@cloud-copilot/iam-simulate@0.1.173',
  ],

  // CI is `.ci/run`: no GitHub workflows, no release automation, no dependency bots.
  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,
  docgen: false,
  sampleCode: false,

  tsconfig: {
    compilerOptions: {
      skipLibCheck: true,
    },
  },
  tsconfigDev: {
    include: ['../examples/**/*.ts'],
    compilerOptions: {
      skipLibCheck: true,
    },
  },
  jestOptions: {
    jestVersion: '^29',
    passWithNoTests: false,
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // One cloud assembly folder per worker instead of one per AWS CDK App (tests synthesize hundreds).
      setupFiles: ['<rootDir>/test/setup-outdir.ts'],
      // Says once what the suite cannot find (../shared) and how to get it, instead of failing every test with it.
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/teardown-outdir.ts',
      // Type checking is the `typecheck` task's job (run before jest): ts-jest only transpiles.
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', {
          tsconfig: 'test/tsconfig.json',
        }),
      },
    },
  },
  gitignore: ['/dist/', '/cdk.out/', '/build/', '/artifacts/', '/.ci-out/', '/.upstream/', '/.doc-snippets-*/'],
});

// Examples are programs users run with ts-node: a tsconfig of their own (for ts-node and the linter) that
// extends the library's.
new javascript.TypescriptConfig(project, {
  fileName: 'examples/tsconfig.json',
  extends: javascript.TypescriptConfigExtends.fromPaths(['../tsconfig.json']),
  include: ['**/*.ts'],
  exclude: ['node_modules'],
  compilerOptions: { noEmit: true, rootDir: '..' },
});
project.eslint?.addLintPattern('examples');

// `cdk8s synth` renders examples/main.ts into dist/ (see cdk8s.yaml).
project.addTask('synth', {
  description: 'Render the example platform (examples/main.ts) into dist/',
  exec: 'cdk8s synth --no-check-upgrade',
});

// The synth benchmark (bench/run.js; docs/performance.md): whole processes against a plain cdk8s baseline. Not a
// test: it measures, and reports the targets it meets.
project.addTask('bench', {
  description: 'Benchmark synth against a plain cdk8s app emitting the same YAML (bench/run.js; options --sizes, --runs, --json)',
  steps: [{ spawn: 'compile' }, { exec: 'node bench/run.js', receiveArgs: true }],
});

// The pinned upstream files the tests read, for checkouts without ../shared beside them (by URL and SHA-256).
project.addTask('fetch-schemas', {
  description: 'Download the pinned upstream CRDs, Kubernetes OpenAPI and chart values the tests read into .upstream/',
  exec: 'ts-node --transpile-only --project test/tsconfig.json test/validation/fetch-upstream-files.ts',
  receiveArgs: true,
});

// Type-check everything jsii does not compile (tests, examples, bench, .projenrc.ts).
project.addTask('typecheck', {
  description: 'Type-check tests, examples and the benchmark',
  exec: 'tsc --noEmit -p test/tsconfig.json',
});
project.testTask.prependSpawn(project.tasks.tryFind('typecheck')!);

// The Kubernetes side never loads aws-cdk-lib (../shared/DESIGN.md §1): `export * as aws from './aws'` stays in
// lib/index.ts (it makes `aws` a jsii submodule), and after jsii this step rewrites its eager compiled form in
// build/index.js into a lazy getter, as aws-cdk-lib does with its own submodules. It fails if the pattern is gone.
project.compileTask.exec(
  `ts-node --transpile-only --project projenrc/tsconfig.json projenrc/lazy-submodules.ts ${project.libdir}/index.js aws`,
  { name: 'make the aws submodule lazy in the compiled entry point' },
);
// Some tests read the compiled package (build/, .jsii, the packed file list): compile first, then type-check.
project.testTask.prependSpawn(project.compileTask);

// The AWS side is optional: users of the Kubernetes side alone do not install aws-cdk-lib or the kubectl layer
// (npm 7+ would otherwise install every peer dependency).
project.package.addField('peerDependenciesMeta', {
  'aws-cdk-lib': { optional: true },
  '@aws-cdk/lambda-layer-kubectl-v33': { optional: true },
});

// The package ships the library only: build/**/*.js, build/**/*.d.ts, .jsii, README.md, LICENSE, CHANGELOG.md
// and package.json (test/package-contents.test.ts checks the packed file list). docs/ is not shipped: the README's
// links to it resolve against the repository on the registry's page, the pages link to examples/ and test/, which
// are not shipped either, and the API reference travels in the .d.ts files and .jsii.
project.npmignore?.exclude(
  '/.ci/', '/.ci-out/', '/cdk.out/', '/.upstream/', '/examples/', '/docs/', '/bench/', '/cdk8s.yaml', '*.tgz',
  // The packages (jsii outdir), spelled the way jsii-pacmak looks for it: otherwise `npx projen package` appends
  // it to .npmignore, and packaging changes a tracked file.
  'artifacts',
);

// A real pre-1.0 version (release automation is off): the API is experimental while it is 0.x.
project.package.addVersion('0.1.0');

project.synth();
