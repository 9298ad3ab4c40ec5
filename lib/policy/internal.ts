// The machinery of lib/policy/ that other folders of the library use. Not exported from the package: a folder
// imports another's index.ts (its public face) or this entry, never its private/ files (docs/conventions.md).

// The container security context of every pod the platform renders (spark, autoscaling, workflows, history,
// logging, monitoring).
export { restrictedContainer } from './private/restricted-container';
