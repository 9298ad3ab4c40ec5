import { IConstruct } from 'constructs';
import { invalidProp } from '../../validation';
import { NodePool } from '../node-pool';
import { Placement } from '../placement';

/**
 * Where a platform component (an operator, a controller, a server) runs: the placement given, or the
 * platform's on-demand pools; never a spot pool (a reclaim would take it down with the work it manages).
 *
 * @internal
 */
export function componentPlacement(where: IConstruct, nodePools: NodePool[], placement: Placement | undefined, what: string): Placement {
  if (!Array.isArray(nodePools) || nodePools.length === 0) {
    throw invalidProp(where, 'nodePools', nodePools, 'must list the platform\'s node pools (at least one on-demand pool)');
  }
  const names = new Set<string>();
  for (const pool of nodePools) {
    if (names.has(pool.name)) throw invalidProp(where, 'nodePools', pool.name, 'lists two pools with this name');
    names.add(pool.name);
  }
  const onDemand = onDemandForPlatform(nodePools);
  if (!placement && onDemand.length === 0) {
    throw invalidProp(where, 'nodePools', nodePools.map(p => p.name), `has only spot pools: ${what} must run on on-demand capacity; add an on-demand pool or give placement`);
  }
  const chosen = placement ?? Placement.onPools(onDemand);
  requireOnDemand(where, 'placement', chosen, `${what} must run on on-demand capacity`);
  return chosen;
}

/**
 * Throws when a placement includes a spot pool, naming the first and saying why what is placed must not be
 * reclaimed (`reason` follows "is a spot pool: ").
 *
 * @internal
 */
export function requireOnDemand(where: IConstruct | string, prop: string, placement: Placement, reason: string): void {
  const spot = placement.pools.find(pool => pool.isSpot);
  if (spot) throw invalidProp(where, prop, spot.name, `is a spot pool: ${reason}`);
}

/**
 * The on-demand pools for the platform's components and Spark drivers: not the on-demand pools spot pools fall
 * back to (those are for executors), unless there is no other.
 *
 * @internal
 */
export function onDemandForPlatform(nodePools: NodePool[]): NodePool[] {
  const onDemand = nodePools.filter(pool => !pool.isSpot);
  const fallbacks = new Set(nodePools.map(pool => pool.fallback).filter(pool => pool !== undefined));
  const others = onDemand.filter(pool => !fallbacks.has(pool));
  return others.length ? others : onDemand;
}
