import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Every TypeScript block of the README and docs/ is compiled against the library, as a reader would paste it:
// library names resolve as if imported from 'cdk8s-spark-platform' (a block may import them itself), and the
// objects a page builds on (a chart, the pools, the bindings, a team's namespace, ...) are declared once below.
const ROOT = path.join(__dirname, '..');
const PAGES = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md')).sort().map(f => `docs/${f}`)];

/** The objects the pages refer to without building them. */
const CONTEXT = `
import type * as cdk8s from 'cdk8s';
import type * as kplus from 'cdk8s-plus-33';
import type * as cdk from 'aws-cdk-lib';
import type * as lib from 'cdk8s-spark-platform';
declare global {
  const app: cdk8s.App;
  const chart: cdk8s.Chart;
  const stack: cdk.Stack;
  const bindings: lib.PlatformBindings;
  const pools: lib.NodePool[];
  const nodePools: lib.NodePool[];
  const systemPool: lib.NodePool;
  const spotPool: lib.NodePool;
  const onDemandPool: lib.NodePool;
  const dataEngineering: lib.SparkTeam;
  const analytics: lib.SparkTeam;
  const teams: lib.SparkTeam[];
  const spark: lib.SparkOperator;
  const operator: lib.SparkOperator;
  const workflows: lib.ArgoWorkflows;
  const history: lib.SparkHistoryServer;
  const autoscaler: lib.ClusterAutoscaler;
  const jobs: lib.JobNamespace;
  const namespace: lib.JobNamespace;
  const platform: lib.SparkPlatform;
  const logging: lib.Logging;
  const monitoring: lib.PlatformMonitoring;
  const gitops: lib.GitOps;
  const deployment: kplus.Deployment;
  const podSpec: cdk8s.ApiObjectMetadata & any;
  const image: string;
  const mainApplicationFile: string;
  const mainClass: string;
  const team: lib.JobNamespace;
  const analyticsTeam: lib.JobNamespace;
  const ingest: lib.SparkApplicationOptions;
  const sessionize: lib.SparkApplicationOptions;
  const publish: lib.SparkApplicationOptions;
  const extractOrders: lib.SparkApplicationOptions;
  const extractClicks: lib.SparkApplicationOptions;
  const join: lib.SparkApplicationOptions;
  const platformLogs: lib.LogOutput;
  const Size: typeof import('cdk8s').Size;
  const Duration: typeof import('cdk8s').Duration;
  const Testing: typeof import('cdk8s').Testing;
  const Cpu: typeof import('cdk8s-plus-33').Cpu;
  const TaintEffect: typeof import('cdk8s-plus-33').TaintEffect;
  type TaintEffect = import('cdk8s-plus-33').TaintEffect;
  const cdk8s: typeof import('cdk8s');
}
export {};
`;

interface Block { readonly page: string; readonly line: number; readonly code: string }

function blocks(): Block[] {
  return PAGES.flatMap(page => {
    const lines = fs.readFileSync(path.join(ROOT, page), 'utf-8').split('\n');
    const found: Block[] = [];
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() !== '```ts') continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && lines[end].trim() !== '```') end++;
      found.push({ page, line: start + 1, code: lines.slice(start, end).join('\n') });
      i = end;
    }
    return found;
  });
}

// Library names, made global (a block's own import shadows them).
function libraryGlobals(program: ts.Program): string {
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(ROOT, 'lib', 'index.ts'))!;
  const names = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).map(s => s.name).filter(n => n !== 'aws');
  const lines = names.map(n => {
    const symbol = checker.getExportsOfModule(checker.getSymbolAtLocation(index)!).find(s => s.name === n)!;
    const has = (s: ts.Symbol, flag: ts.SymbolFlags) => (s.flags & flag) !== 0; // eslint-disable-line no-bitwise
    const target = has(symbol, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol;
    const value = has(target, ts.SymbolFlags.Value) ? `  const ${n}: typeof import('cdk8s-spark-platform').${n};\n` : '';
    const type = has(target, ts.SymbolFlags.Type) ? `  type ${n} = import('cdk8s-spark-platform').${n};\n` : '';
    return value + type;
  });
  return `declare global {\n${lines.join('')}  const aws: typeof import('cdk8s-spark-platform').aws;\n  const kplus: typeof import('cdk8s-plus-33');\n}\nexport {};\n`;
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2020,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  baseUrl: ROOT,
  paths: { 'cdk8s-spark-platform': ['lib/index.ts'] },
  types: ['node', 'jest'],
  noUnusedLocals: false,
  lib: ['lib.es2020.d.ts'],
};

describe('every code block of the README and docs/ compiles', () => {
  const all = blocks();

  test('there are blocks to compile', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  test('each TypeScript block type-checks against the library', () => {
    const dir = fs.mkdtempSync(path.join(ROOT, '.doc-snippets-'));
    try {
      const indexOnly = ts.createProgram([path.join(ROOT, 'lib', 'index.ts')], OPTIONS);
      fs.writeFileSync(path.join(dir, 'context.d.ts'), CONTEXT);
      fs.writeFileSync(path.join(dir, 'library.d.ts'), libraryGlobals(indexOnly));
      // The relative modules pages import, as in the repository: the example platform and the test harness.
      fs.writeFileSync(path.join(dir, 'main.ts'), 'export * from \'../examples/main\';\n');
      fs.writeFileSync(path.join(dir, 'platform-objects.ts'), 'export * from \'../examples/platform-objects\';\n');
      fs.writeFileSync(path.join(dir, 'objects.ts'), 'export * from \'../examples/platform-objects\';\n');
      fs.mkdirSync(path.join(dir, 'validation'));
      fs.writeFileSync(path.join(dir, 'validation', 'harness.ts'), 'export * from \'../../test/validation/harness\';\n');
      const files = all.map((block, i) => {
        const file = path.join(dir, `block-${i}.ts`);
        // A block without imports is a script fragment: make it a module so blocks do not clash.
        fs.writeFileSync(file, `${block.code}\nexport {};\n`);
        return file;
      });
      const program = ts.createProgram([path.join(dir, 'context.d.ts'), path.join(dir, 'library.d.ts'), ...files], OPTIONS);
      const problems = ts.getPreEmitDiagnostics(program).filter(d => d.file && files.includes(path.resolve(d.file.fileName))).map(d => {
        const block = all[files.indexOf(path.resolve(d.file!.fileName))];
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.page}:${block.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the README\'s picture of the example', () => {
  test('is what the example platform draws of itself (regenerate it with the example\'s toMermaid())', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createApp } = require(path.join(ROOT, 'examples', 'main.ts'));
    const diagram = createApp().charts[0].toMermaid();
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
    const block = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe(diagram);
  });
});
