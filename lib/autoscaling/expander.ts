/**
 * How the cluster-autoscaler chooses which node group to grow when several could fit the pending pods
 * (the expanders the AWS provider supports).
 */
export enum Expander {
  /** The highest priority group from the `cluster-autoscaler-priority-expander` ConfigMap (spot first). */
  PRIORITY = 'priority',
  /** The group that leaves the least CPU (then memory) idle. */
  LEAST_WASTE = 'least-waste',
  /** The group that schedules the most pods. */
  MOST_PODS = 'most-pods',
  /** The group that adds the fewest nodes. */
  LEAST_NODES = 'least-nodes',
  /** A random group. */
  RANDOM = 'random',
}
