import { NetworkPeer } from './network-peer';
import { NetworkPort } from './network-port';

/**
 * A connection the platform needs: who opens it, to whom, on which ports, and why. A flow between two pods
 * becomes an egress rule in the source's namespace and an ingress rule in the destination's: Kubernetes lets
 * a connection through only when both ends allow it.
 */
export interface NetworkFlow {
  /**
   * The flow's name: a DNS label, unique in the platform. Its NetworkPolicies are `<name>-egress` and
   * `<name>-ingress`.
   */
  readonly name: string;

  /** Who opens the connection. */
  readonly from: NetworkPeer;

  /** Who accepts it. */
  readonly to: NetworkPeer;

  /** The destination's ports. */
  readonly ports: NetworkPort[];

  /** Why the platform needs it (the flow table's last column, docs/network.md). */
  readonly reason: string;
}
