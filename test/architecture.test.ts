// The structure the design asks for (../shared/DESIGN.md §2, docs/conventions.md): one folder per component,
// folders importing only from lower layers, a folder's machinery in its private/ folder, no import cycle (type-only
// imports included), the facts components pass each other in lib/facts/ only, small constructors. Read from the
// sources, so a change that breaks it fails here.
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

/**
 * The layers, lowest first: a folder may import from its own layer's folders below it in this list, and from
 * lower layers. `validation` is the bottom; `aws` (the only folder importing aws-cdk-lib) the top.
 */
const LAYERS: string[][] = [
  ['validation'],
  ['scheduling', 'storage', 'policy'],
  ['facts'],
  ['bindings', 'delivery'],
  ['spark', 'autoscaling'],
  ['workflows', 'history', 'logging', 'monitoring'],
  ['network'],
  ['platform'],
  ['aws'],
];

/** Folders the package does not export: the checks and error shape, and the facts of an app. */
const INTERNAL_FOLDERS = ['validation', 'facts'];

interface SourceFile { readonly file: string; readonly folder: string; readonly text: string }

function sources(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {walk(full);} else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const rel = path.relative(LIB, full);
        files.push({ file: rel, folder: rel.includes(path.sep) ? rel.split(path.sep)[0] : '', text: fs.readFileSync(full, 'utf-8') });
      }
    }
  };
  walk(LIB);
  return files;
}

/** The relative imports of a file that exist at run time (`import type` is erased), resolved to lib/ paths. */
function runtimeImports(source: SourceFile): string[] {
  const imports: string[] = [];
  const pattern = /^(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'(\.[^']*)';/gm;
  for (const match of source.text.matchAll(pattern)) {
    if (match[2]) continue;
    const target = path.normalize(path.join(path.dirname(source.file), match[3]));
    const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
    const found = candidates.find(c => fs.existsSync(path.join(LIB, c)));
    if (found) imports.push(found);
  }
  return imports;
}

function layerOf(folder: string): number {
  const layer = LAYERS.findIndex(l => l.includes(folder));
  if (layer < 0) throw new Error(`lib/${folder}/ is in no layer of test/architecture.test.ts: add it where it belongs`);
  return layer;
}

describe('the import structure of lib/', () => {
  const files = sources();
  const byFile = new Map(files.map(f => [f.file, f]));

  test('every folder imports only from its own folder, a folder listed before it in its layer, or a lower layer', () => {
    const offenders: string[] = [];
    for (const source of files.filter(f => f.folder)) {
      for (const target of runtimeImports(source).concat(typeImports(source))) {
        const targetFolder = byFile.get(target)?.folder ?? '';
        if (targetFolder === source.folder || targetFolder === '') continue;
        const [from, to] = [layerOf(source.folder), layerOf(targetFolder)];
        const sameLayerBefore = from === to && LAYERS[from].indexOf(targetFolder) < LAYERS[from].indexOf(source.folder);
        if (to > from || (to === from && !sameLayerBefore)) offenders.push(`lib/${source.file} imports lib/${target}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  test('no import cycle between files, type-only imports included (the import graph has no circle)', () => {
    const graph = new Map([...byFile.keys()].map(file => [file, runtimeImports(byFile.get(file)!).concat(typeImports(byFile.get(file)!))]));
    expect(findCycles(graph)).toEqual([]);
  });

  test('a folder reaches another only through its index.ts (public) or internal.ts (the library\'s own), never its files', () => {
    expect(files.filter(f => f.folder).flatMap(foreignFileImports)).toEqual([]);
  });

  test('every file of a folder is exported by its index.ts, or is machinery in its private/ folder', () => {
    const unexported = files.filter(f => f.folder && !INTERNAL_FOLDERS.includes(f.folder) && !entryPoints(f.folder).includes(f.file)
      && path.dirname(f.file) === f.folder && !byFile.get(path.join(f.folder, 'index.ts'))!.text.includes(`'./${path.basename(f.file, '.ts')}'`));
    expect(unexported.map(f => `lib/${f.file}`)).toEqual([]);
  });

  test('no module-level registry outside lib/facts/: a fact one component records and another reads is a field of AppFacts', () => {
    const registries = files.filter(f => f.folder !== 'facts').flatMap(f => moduleRegistries(f).map(r => `lib/${f.file}: ${r}`));
    expect(registries).toEqual([]);
  });

  test('the root entry point exports every folder but the internal validation and facts, and aws as a submodule only', () => {
    const index = byFile.get('index.ts')!.text;
    for (const folder of new Set(files.map(f => f.folder).filter(f => f && !['aws', ...INTERNAL_FOLDERS].includes(f)))) {
      expect(index).toContain(`export * from './${folder}';`);
    }
    expect(index).toContain('export * as aws from \'./aws\';');
  });

  test('no constructor is longer than 60 lines: bigger ones are named steps', () => {
    const long: string[] = [];
    for (const source of files) {
      const lines = source.text.split('\n');
      lines.forEach((line, i) => {
        const start = /^(\s*)(public |protected |private )?constructor\(/.exec(line);
        if (!start) return;
        const indent = start[1];
        const end = lines.findIndex((l, j) => j > i && l === `${indent}}`);
        if (end - i + 1 > 60) long.push(`lib/${source.file}:${i + 1} (${end - i + 1} lines)`);
      });
    }
    expect(long).toEqual([]);
  });

  test('the new checks can fail: a type-only import is an edge, a registry, another folder\'s private file', () => {
    const a: SourceFile = { file: path.join('spark', 'a.ts'), folder: 'spark', text: 'import type { B } from \'./job-namespace\';\n' };
    expect(typeImports(a)).toEqual([path.join('spark', 'job-namespace.ts')]);
    expect(moduleRegistries({ ...a, text: 'const SEEN = new WeakSet<IConstruct>();\nconst BY_ROOT = new Map<IConstruct, string>();\n' }))
      .toEqual(['SEEN = new WeakSet<IConstruct', 'BY_ROOT = new Map<IConstruct']);
    expect(moduleRegistries({ ...a, text: 'const CACHE = new Map<string, number>();\nclass A {\n  private readonly m = new WeakMap<object, A>();\n}\n' })).toEqual([]);
    expect(moduleRegistries({ ...a, text: 'class A {\n  private static readonly ALL = new WeakMap<IConstruct, A>();\n}\n' })).toEqual(['ALL = new WeakMap<IConstruct']);
    const step: SourceFile = { file: path.join('workflows', 'x.ts'), folder: 'workflows', text: 'import { A } from \'../spark/private/spark-version\';\nimport { B } from \'../spark/internal\';\n' };
    expect(foreignFileImports(step)).toEqual([`lib/${step.file} imports lib/${path.join('spark', 'private', 'spark-version.ts')}`]);
  });

  test('the checks can fail: a cycle, an upward import, a type-only import that is no runtime edge', () => {
    expect(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']]]))).toEqual(['a.ts -> b.ts -> c.ts -> a.ts']);
    expect(findCycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]]))).toEqual([]);
    const fake: SourceFile = { file: path.join('scheduling', 'x.ts'), folder: 'scheduling', text: 'import { SparkJob } from \'../spark\';\nimport type { A } from \'./placement\';\n' };
    expect(runtimeImports(fake)).toEqual([path.join('spark', 'index.ts')]);
    expect(typeImports(fake)).toEqual([path.join('scheduling', 'placement.ts')]);
    expect(layerOf('spark')).toBeGreaterThan(layerOf('scheduling'));
  });
});

/** Type-only imports and re-exports still make a folder depend on another (layering is about what a folder knows). */
function typeImports(source: SourceFile): string[] {
  const imports: string[] = [];
  for (const match of source.text.matchAll(/^(?:import|export)\s+type\s+[^'";]*?\s+from\s+'(\.[^']*)';/gm)) {
    const target = path.normalize(path.join(path.dirname(source.file), match[1]));
    const found = [`${target}.ts`, path.join(target, 'index.ts')].find(c => fs.existsSync(path.join(LIB, c)));
    if (found) imports.push(found);
  }
  return imports;
}

/** Every cycle of a graph (file -> files it imports), each as `a -> b -> a`. */
function findCycles(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
      return;
    }
    state.set(file, 'visiting');
    for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  return cycles;
}

/** The files other folders may import of a folder: its public face and the entry of its internal machinery. */
function entryPoints(folder: string): string[] {
  return [path.join(folder, 'index.ts'), path.join(folder, 'internal.ts')];
}

/** The imports of a file that reach into another folder past its index.ts and internal.ts (its private/ files). */
function foreignFileImports(source: SourceFile): string[] {
  const folderOf = (file: string) => (file.includes(path.sep) ? file.split(path.sep)[0] : '');
  return runtimeImports(source).concat(typeImports(source))
    .filter(target => folderOf(target) && folderOf(target) !== source.folder && !entryPoints(folderOf(target)).includes(target))
    .map(target => `lib/${source.file} imports lib/${target}`);
}

/**
 * Module-level registries of a file: a `WeakMap` or `WeakSet` declared at the top level or as a static member, or
 * such a `Map` or `Set` keyed by anything but strings and numbers (constructs, objects). Caches keyed by strings are
 * no channel between components; a field of an object belongs to that object.
 */
function moduleRegistries(source: SourceFile): string[] {
  const found: string[] = [];
  const declaration = /^(?:(?:export\s+)?(?:const|let|var)|\s+(?:(?:public|protected|private)\s+)?static\s+(?:readonly\s+)?)\s*(\w+)[^=\n]*=\s*new\s+(WeakMap|WeakSet|Map|Set)\b(<\s*([\w.]+))?/gm;
  for (const match of source.text.matchAll(declaration)) {
    const [, name, kind, , key] = match;
    if ((kind === 'Map' || kind === 'Set') && (key === undefined || key === 'string' || key === 'number')) continue;
    found.push(`${name} = new ${kind}${key ? `<${key}` : ''}`);
  }
  return found;
}
