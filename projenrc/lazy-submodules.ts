// Post-compile step (run by the projen `compile` task after jsii): makes jsii submodules lazy in the compiled
// entry point, the way aws-cdk-lib makes its own submodules lazy.
//
// `export * as aws from './aws'` in lib/index.ts is what makes `aws` a jsii submodule, and TypeScript compiles it
// to an eager `exports.aws = __importStar(require("./aws"));`: importing the package would load aws-cdk-lib, and
// fail where it is not installed (it is an optional peer dependency). This rewrites that one statement into a
// getter that requires the submodule on first access (with the same `__importStar` wrapping) and then replaces
// itself with the value. The statement stays on one line, so the inline source map still lines up.
//
// If the eager statement is not found (a jsii or TypeScript upgrade changed what is emitted), this fails instead
// of leaving the package eager without a word. Usage: lazy-submodules.ts <file.js> <submodule>...
import * as fs from 'fs';

/** What TypeScript emits for `export * as <name> from './<name>'` (CommonJS, esModuleInterop). */
function eagerStatement(name: string): string {
  return `exports.${name} = __importStar(require("./${name}"));`;
}

/**
 * The lazy replacement, as aws-cdk-lib writes its own: a getter that loads the submodule once, then memoizes it
 * as a plain value. `_noFold` (declared once, see NO_FOLD) keeps Node's CommonJS export detection from discarding
 * the name as an unsafe getter, so `import { aws } from 'cdk8s-spark-platform'` still works from native ESM (which
 * reads every detected export when it imports, so ESM consumers load the submodule then, as with aws-cdk-lib).
 */
function lazyStatement(name: string): string {
  return `Object.defineProperty(exports, _noFold = "${name}", { enumerable: true, configurable: true, get: () => { `
    + `const value = __importStar(require("./${name}")); `
    + `Object.defineProperty(exports, _noFold = "${name}", { enumerable: true, configurable: true, value }); `
    + 'return value; } });';
}

/** Declares `_noFold`, on the line of the first rewritten statement (one line: the inline source map still fits). */
const NO_FOLD = 'var _noFold; ';

/**
 * Rewrites the eager `exports.<name> = __importStar(require("./<name>"));` of each submodule into a lazy getter.
 * Throws when a statement is missing or appears more than once. Code that is already lazy (the exact output of
 * this function) is left as it is, so running the step twice on the same build is harmless.
 */
export function makeSubmodulesLazy(js: string, submodules: string[]): string {
  if (submodules.length === 0) {
    throw new Error('lazy-submodules: no submodule names given');
  }
  const lines = js.split('\n');
  const statement = (line: string) => line.trim().replace(NO_FOLD, '');
  for (const name of submodules) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
      throw new Error(`lazy-submodules: "${name}" is not a valid submodule name`);
    }
    const eager = eagerStatement(name);
    const lazy = lazyStatement(name);
    const eagerAt = lines.flatMap((line, i) => (statement(line) === eager ? [i] : []));
    const lazyAt = lines.flatMap((line, i) => (statement(line) === lazy ? [i] : []));
    if (eagerAt.length === 0 && lazyAt.length === 1) {
      continue; // already rewritten
    }
    if (eagerAt.length !== 1 || lazyAt.length !== 0) {
      throw new Error(
        `lazy-submodules: expected exactly one line \`${eager}\` (found ${eagerAt.length}, and ${lazyAt.length} already lazy). `
        + `The compiler now emits \`export * as ${name} from './${name}'\` differently: update projenrc/lazy-submodules.ts, `
        + `or importing the package would load the "${name}" submodule eagerly.`);
    }
    const declared = lines.some((line) => line.includes(NO_FOLD));
    lines[eagerAt[0]] = lines[eagerAt[0]].replace(eager, (declared ? '' : NO_FOLD) + lazy);
  }
  const out = lines.join('\n');
  // Nothing else may still require a submodule eagerly.
  for (const name of submodules) {
    const requires = out.split(`require("./${name}")`).length - 1;
    if (requires !== 1) {
      throw new Error(`lazy-submodules: "./${name}" is required ${requires} times after the rewrite, expected once (in the getter)`);
    }
  }
  return out;
}

if (require.main === module) {
  const [file, ...submodules] = process.argv.slice(2);
  if (!file) {
    console.error('usage: lazy-submodules.ts <file.js> <submodule>...');
    process.exit(2);
  }
  try {
    const before = fs.readFileSync(file, 'utf-8');
    const after = makeSubmodulesLazy(before, submodules);
    if (after !== before) {
      fs.writeFileSync(file, after);
    }
    console.log(`lazy-submodules: ${file}: ${submodules.join(', ')} loaded on first access`);
  } catch (e) {
    console.error(`${file}: ${(e as Error).message}`);
    process.exit(1);
  }
}
