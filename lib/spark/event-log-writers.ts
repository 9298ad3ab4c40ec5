import { IConstruct } from 'constructs';

// Every construct that renders a Spark application records where its event logs go, so a reader (the Spark
// History Server) can check at synth that all of them write where it reads.
const WRITERS = new WeakMap<IConstruct, Map<IConstruct, () => string | undefined>>();

/**
 * Records that `writer` renders a Spark application whose event logs go to `directory()` (undefined when it
 * writes none).
 *
 * @internal
 */
export function registerEventLogWriter(writer: IConstruct, directory: () => string | undefined): void {
  const root = writer.node.root;
  const writers = WRITERS.get(root) ?? new Map();
  WRITERS.set(root, writers);
  writers.set(writer, directory);
}

/**
 * The constructs of an app that render Spark applications writing event logs, with the directory of each.
 *
 * @internal
 */
export function eventLogWritersOf(scope: IConstruct): Array<{ writer: IConstruct; directory: string }> {
  const writers = WRITERS.get(scope.node.root) ?? new Map<IConstruct, () => string | undefined>();
  return [...writers.entries()]
    .map(([writer, directory]) => ({ writer, directory: directory() }))
    .filter((w): w is { writer: IConstruct; directory: string } => w.directory !== undefined);
}
