// The machinery of lib/bindings/ that other folders of the library use. Not exported from the package: a folder
// imports another's index.ts (its public face) or this entry, never its private/ files (docs/conventions.md).

// Components taking bindings (spark, autoscaling, workflows, history), and aws.DirectDelivery.
export { requireLiteralBindings, _markResolvedByAwsCdk } from './private/literal-bindings';
