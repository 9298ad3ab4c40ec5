// The machinery of lib/scheduling/ that other folders of the library use. Not exported from the package: a
// folder imports another's index.ts (its public face) or this entry, never its private/ files
// (docs/conventions.md).

// Every component that places its own pods (delivery, spark, autoscaling, workflows, history, logging, monitoring).
export { componentPlacement, onDemandForPlatform, requireOnDemand } from './private/component-placement';
