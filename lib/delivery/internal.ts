// The machinery of lib/delivery/ that other folders of the library use. Not exported from the package: a folder
// imports another's index.ts (its public face) or this entry, never its private/ files (docs/conventions.md).

// The releases components make of their pinned charts (spark, workflows, logging).
export { componentRelease } from './private/component-release';
export type { ComponentReleaseProps } from './private/component-release';
