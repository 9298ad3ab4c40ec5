import { IConstruct } from 'constructs';
import { AppFacts } from '../../facts';
import { NodePool } from '../../scheduling';
import { invalidProp } from '../../validation';

/** Spot pools: tried first. */
export const SPOT_TIER = 50;
/** The on-demand pools spot pools fall back to: after every spot pool, before the other on-demand pools. */
export const FALLBACK_TIER = 30;
/** The other on-demand pools (drivers, components). */
export const ON_DEMAND_TIER = 10;

/**
 * The order an autoscaler tries the pools in when several fit a pending pod, the same for both autoscalers: the
 * cluster-autoscaler's priority expander priorities, Karpenter's NodePool weights.
 */
export function poolTier(pool: NodePool, pools: NodePool[]): number {
  if (pool.isSpot) return SPOT_TIER;
  return pools.some(p => p.isSpot && p.fallback === pool) ? FALLBACK_TIER : ON_DEMAND_TIER;
}

/**
 * Records the app's autoscaler, refusing a second one: both would add nodes for the same pending pods and remove
 * each other's.
 */
export function claimAutoscaling(autoscaler: IConstruct, kind: 'karpenter' | 'clusterAutoscaler'): void {
  const facts = AppFacts.of(autoscaler);
  const other = kind === 'karpenter' ? facts.clusterAutoscaler : facts.karpenter;
  if (other) {
    throw invalidProp(autoscaler, kind === 'karpenter' ? 'Karpenter' : 'ClusterAutoscaler', autoscaler.node.path,
      `cannot run beside ${other.node.path}: two autoscalers would add nodes for the same pending pods and remove each other's; keep one`);
  }
  if (kind === 'karpenter') facts.karpenter = autoscaler;
  else facts.clusterAutoscaler = autoscaler;
}
