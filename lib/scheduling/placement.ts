import * as kplus from 'cdk8s-plus-33';
import { k8s } from 'cdk8s-plus-33';
import { NodePool } from './node-pool';
import { NodeTaints } from './taint';
import { checkArgs, checkShape, invalidProp } from '../validation';

/**
 * How a placement selects the nodes of its pools.
 */
export enum NodeSelection {
  /** `nodeSelector` on the pool label (one pool only). */
  NODE_SELECTOR = 'NODE_SELECTOR',
  /** Required node affinity: the pool label `In` the pools' names. */
  REQUIRED_AFFINITY = 'REQUIRED_AFFINITY',
}

/**
 * Options for a `Placement`.
 */
export interface PlacementOptions {
  /**
   * How the pods select the pools' nodes.
   *
   * @default - `NODE_SELECTOR` for one pool, `REQUIRED_AFFINITY` for several
   */
  readonly nodeSelection?: NodeSelection;

  /**
   * Pools the scheduler prefers among `pools` (a preferred node affinity): e.g. spot, with its on-demand
   * fallback allowed but used only when spot nodes have no room.
   *
   * @default - no preference
   */
  readonly preferred?: NodePool[];
}

/**
 * Where pods run: one or more `NodePool`s. Everything the pod spec needs is derived from the pools, never
 * retyped: a toleration for every taint of every pool, and a node selection on `NodePool.POOL_LABEL`.
 *
 * @example
 *
 * const placement = Placement.onPool(spotPool);
 * placement.applyToScheduling(deployment.scheduling);
 */
export class Placement {
  /** Places pods on the nodes of one pool. */
  public static onPool(pool: NodePool, options: PlacementOptions = {}): Placement {
    checkArgs('Placement.onPool', 'Placement', 'onPool', [pool, options]);
    checkShape('Placement.onPool', 'PlacementOptions', options, 'options', true);
    return new Placement([pool], options);
  }

  /** Places pods on the nodes of any of several pools (for example, spot with on-demand as a fallback). */
  public static onPools(pools: NodePool[], options: PlacementOptions = {}): Placement {
    checkArgs('Placement.onPools', 'Placement', 'onPools', [pools, options]);
    checkShape('Placement.onPools', 'PlacementOptions', options, 'options', true);
    return new Placement(pools, options);
  }

  /**
   * Spot pools with their on-demand fallbacks: pods may run on both, and prefer spot. Without fallbacks, the
   * spot pools alone.
   */
  public static spotWithFallback(spotPools: NodePool[]): Placement {
    checkArgs('Placement.spotWithFallback', 'Placement', 'spotWithFallback', [spotPools]);
    const fallbacks = [...new Set(spotPools.map(p => p.fallback).filter((p): p is NodePool => p !== undefined))];
    return fallbacks.length ? new Placement([...spotPools, ...fallbacks], { preferred: spotPools }) : new Placement(spotPools, {});
  }

  /** The pools the pods may run on. */
  public readonly pools: NodePool[];
  /** How the pods select the pools' nodes. */
  public readonly nodeSelection: NodeSelection;
  /** The pools preferred among them. */
  public readonly preferred: NodePool[];

  private constructor(pools: NodePool[], options: PlacementOptions) {
    if (!Array.isArray(pools) || pools.length === 0) throw invalidProp('Placement', 'pools', pools, 'must name at least one NodePool');
    const names = new Set<string>();
    for (const pool of pools) {
      if (names.has(pool.name)) throw invalidProp('Placement', 'pools', pool.name, 'is listed twice');
      names.add(pool.name);
    }
    this.pools = [...pools];
    this.nodeSelection = options.nodeSelection ?? (pools.length === 1 ? NodeSelection.NODE_SELECTOR : NodeSelection.REQUIRED_AFFINITY);
    if (this.nodeSelection === NodeSelection.NODE_SELECTOR && pools.length > 1) {
      throw invalidProp('Placement', 'nodeSelection', NodeSelection.NODE_SELECTOR,
        `a node selector matches one pool only, but ${pools.length} pools are given (${[...names].join(', ')}); use ${NodeSelection.REQUIRED_AFFINITY}`);
    }
    this.preferred = [...(options.preferred ?? [])];
    for (const pool of this.preferred) {
      if (!this.pools.includes(pool)) throw invalidProp('Placement', 'preferred', pool?.name, `must be one of the pools (${[...names].join(', ')})`);
    }
    if (this.preferred.length === this.pools.length && this.pools.length > 0 && options.preferred) {
      throw invalidProp('Placement', 'preferred', this.preferred.map(p => p.name), 'names every pool: a preference needs pools that are not preferred');
    }
  }


  /** The names of the pools. */
  public get poolNames(): string[] {
    return this.pools.map(p => p.name);
  }

  /**
   * One toleration per distinct taint of the pools, matching it exactly (key, value, effect).
   */
  public get tolerations(): k8s.Toleration[] {
    const seen = new Map<string, k8s.Toleration>();
    for (const taint of this.pools.flatMap(p => p.taints)) {
      const toleration = NodeTaints.toleration(taint);
      seen.set(JSON.stringify(toleration), toleration);
    }
    return [...seen.values()];
  }

  /**
   * The node selector, when the placement selects with one (`NODE_SELECTOR`).
   */
  public get nodeSelector(): { [key: string]: string } | undefined {
    return this.nodeSelection === NodeSelection.NODE_SELECTOR ? { [NodePool.POOL_LABEL]: this.pools[0].name } : undefined;
  }

  /**
   * The node selector requirement matching the pools' nodes (`NodePool.POOL_LABEL` `In` the pool names).
   */
  public get nodeSelectorRequirement(): k8s.NodeSelectorRequirement {
    return { key: NodePool.POOL_LABEL, operator: 'In', values: this.poolNames };
  }

  /**
   * The node affinity, when the placement selects with one (`REQUIRED_AFFINITY`).
   */
  public get affinity(): k8s.Affinity | undefined {
    if (this.nodeSelection !== NodeSelection.REQUIRED_AFFINITY) return undefined;
    return {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [this.nodeSelectorRequirement] }],
        },
        ...(this.preferredTerms ? { preferredDuringSchedulingIgnoredDuringExecution: this.preferredTerms } : {}),
      },
    };
  }

  /** The preferred node affinity terms: the preferred pools, weight 100. */
  public get preferredTerms(): k8s.PreferredSchedulingTerm[] | undefined {
    if (this.preferred.length === 0) return undefined;
    return [{ weight: 100, preference: { matchExpressions: [{ key: NodePool.POOL_LABEL, operator: 'In', values: this.preferred.map(p => p.name) }] } }];
  }

  /**
   * The scheduling fields of a pod spec as charts take them in their values (`nodeSelector` or `affinity`, and
   * `tolerations`, always present so a chart's default tolerations are replaced).
   */
  public get schedulingValues(): { [key: string]: any } {
    return {
      ...(this.nodeSelector ? { nodeSelector: this.nodeSelector } : {}),
      ...(this.affinity ? { affinity: this.affinity } : {}),
      tolerations: this.tolerations,
    };
  }

  /**
   * Whether pods placed here tolerate every taint of `pool` (and so may run on it).
   */
  public toleratesPool(pool: NodePool): boolean {
    checkArgs('Placement.toleratesPool', 'Placement', 'toleratesPool', [pool]);
    const tolerated = new Set(this.tolerations.map(t => JSON.stringify(t)));
    return pool.taints.every(t => tolerated.has(JSON.stringify(NodeTaints.toleration(t))));
  }

  /**
   * Returns a copy of `spec` placed on the pools: the pools' tolerations added to the spec's own, and the node
   * selection merged with the spec's (its other selector entries and affinity terms are kept; a node selector
   * entry for the pool label that names another pool is an error).
   */
  public applyToPodSpec(spec: k8s.PodSpec): k8s.PodSpec {
    checkArgs('Placement.applyToPodSpec', 'Placement', 'applyToPodSpec', [spec]);
    const tolerations = mergeTolerations(spec.tolerations ?? [], this.tolerations);
    const placed: k8s.PodSpec = { ...spec, tolerations };

    if (this.nodeSelection === NodeSelection.NODE_SELECTOR) {
      const existing = spec.nodeSelector?.[NodePool.POOL_LABEL];
      if (existing !== undefined && existing !== this.pools[0].name) {
        throw invalidProp('Placement', `spec.nodeSelector["${NodePool.POOL_LABEL}"]`, existing, `already selects another pool: cannot place the pod on "${this.pools[0].name}" too`);
      }
      return { ...placed, nodeSelector: { ...spec.nodeSelector, ...this.nodeSelector } };
    }

    // Node selector terms are ORed and the expressions of a term ANDed: the pool requirement joins every term.
    const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const terms = required?.nodeSelectorTerms?.length ? required.nodeSelectorTerms : [{}];
    const nodeSelectorTerms = terms.map(term => ({
      ...term,
      matchExpressions: [
        ...(term.matchExpressions ?? []).filter(e => e.key !== NodePool.POOL_LABEL),
        this.nodeSelectorRequirement,
      ],
    }));
    const preferred = [...(spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...(this.preferredTerms ?? [])];
    return {
      ...placed,
      affinity: {
        ...spec.affinity,
        nodeAffinity: {
          ...spec.affinity?.nodeAffinity,
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms },
          ...(preferred.length ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
        },
      },
    };
  }

  /**
   * Places a cdk8s-plus workload or pod (`deployment.scheduling`, `pod.scheduling`) on the pools: a toleration
   * for every taint and the node selection as a required node affinity on `NodePool.POOL_LABEL` (`Is` the pool
   * for a `NODE_SELECTOR` placement, `In` the pools otherwise).
   *
   * cdk8s-plus has no API for `nodeSelector`, so a `NODE_SELECTOR` placement is applied as the required node
   * affinity that selects exactly the same nodes. cdk8s-plus ORs the terms of successive `attract()` calls: call
   * this before any other `attract()` of the same pod, or use `applyToPodSpec()` on an L1 pod spec, which ANDs
   * the pools into every term.
   */
  public applyToScheduling(scheduling: kplus.PodScheduling): void {
    checkArgs('Placement.applyToScheduling', 'Placement', 'applyToScheduling', [scheduling]);
    for (const taint of this.pools.flatMap(p => p.taints)) {
      const query = taint.value === undefined
        ? kplus.NodeTaintQuery.exists(taint.key, { effect: taint.effect })
        : kplus.NodeTaintQuery.is(taint.key, taint.value, { effect: taint.effect });
      scheduling.tolerate(kplus.Node.tainted(query));
    }
    const selection = this.nodeSelection === NodeSelection.NODE_SELECTOR
      ? kplus.NodeLabelQuery.is(NodePool.POOL_LABEL, this.pools[0].name)
      : kplus.NodeLabelQuery.in(NodePool.POOL_LABEL, this.poolNames);
    scheduling.attract(kplus.Node.labeled(selection));
    if (this.preferred.length) {
      scheduling.attract(kplus.Node.labeled(kplus.NodeLabelQuery.in(NodePool.POOL_LABEL, this.preferred.map(p => p.name))), { weight: 100 });
    }
  }
}

function mergeTolerations(own: k8s.Toleration[], added: k8s.Toleration[]): k8s.Toleration[] {
  const keys = new Set(own.map(t => JSON.stringify(t)));
  return [...own, ...added.filter(t => !keys.has(JSON.stringify(t)))];
}
