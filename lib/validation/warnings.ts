import { IConstruct } from 'constructs';
import { wiringProblem } from './errors';
import { checkArgs } from './public-shapes';

/** The metadata type under which the library records a warning on a construct (`node.metadata`). */
export const WARNING_METADATA = 'spark-platform:warning';

/**
 * Reports something that synthesizes but is probably not what the user wants: recorded on the construct's
 * metadata (so tests and tools can read it) and printed once to stderr, in the same `path: problem` shape as
 * the errors. Synthesis goes on.
 */
export function synthWarning(where: IConstruct, problem: string): void {
  const message = wiringProblem(where, problem);
  if (where.node.metadata.some(entry => entry.type === WARNING_METADATA && entry.data === message)) return;
  where.node.addMetadata(WARNING_METADATA, message);
  process.stderr.write(`[WARNING] ${message}\n`);
}

/**
 * The warnings the library reported while synthesizing: things that render but are probably not what you want
 * (e.g. a team namespace whose logs no flow takes). Assert on them in your own tests.
 */
export class SynthWarnings {
  /** The warnings recorded on `scope` and every construct under it (after synthesis, which runs the checks). */
  public static of(scope: IConstruct): string[] {
    checkArgs('SynthWarnings.of', 'SynthWarnings', 'of', [scope]);
    return scope.node.findAll().flatMap(c => c.node.metadata.filter(entry => entry.type === WARNING_METADATA).map(entry => String(entry.data)));
  }

  private constructor() {}
}
