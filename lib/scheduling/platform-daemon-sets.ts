import { IConstruct } from 'constructs';
import { DaemonSetRequest, NodeCapacity } from './node-capacity';

// The daemon sets the platform itself runs on every node (fluent-bit, ...), per app: registered by the
// constructs that render them, read at synth by the capacity checks (so the order of construction does not matter).
const REGISTRY = new WeakMap<IConstruct, Array<() => DaemonSetRequest>>();

/**
 * Registers a daemon set the platform runs on every node of every pool, its request read at synth.
 *
 * @internal
 */
export function registerPlatformDaemonSet(scope: IConstruct, request: () => DaemonSetRequest): void {
  const root = scope.node.root;
  const list = REGISTRY.get(root) ?? [];
  list.push(request);
  REGISTRY.set(root, list);
}

/**
 * Every daemon set on a node of the app of `scope`: EKS's and the platform's.
 *
 * @internal
 */
export function platformDaemonSets(scope: IConstruct): DaemonSetRequest[] {
  return [...NodeCapacity.EKS_DAEMON_SETS, ...(REGISTRY.get(scope.node.root) ?? []).map(produce => produce())];
}
