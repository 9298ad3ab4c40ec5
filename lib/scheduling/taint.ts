import { TaintEffect, k8s } from 'cdk8s-plus-33';
import { checkArgs, checkShape, invalidProp } from '../validation';

/**
 * A taint carried by every node of a pool.
 */
export interface NodeTaint {
  /**
   * The taint key: a qualified name (`[prefix/]name`, name part at most 63 characters).
   */
  readonly key: string;

  /**
   * The taint value: at most 63 characters of alphanumerics, '-', '_' or '.'.
   *
   * @default - no value: tolerations match the key with the `Exists` operator
   */
  readonly value?: string;

  /**
   * What the taint does to pods that do not tolerate it (cdk8s-plus' `TaintEffect`: the Kubernetes spelling;
   * `NodeTaints.toEksEffect()` gives the EKS one).
   */
  readonly effect: TaintEffect;
}

const EKS_EFFECTS: { [effect: string]: string } = {
  [TaintEffect.NO_SCHEDULE]: 'NO_SCHEDULE',
  [TaintEffect.PREFER_NO_SCHEDULE]: 'PREFER_NO_SCHEDULE',
  [TaintEffect.NO_EXECUTE]: 'NO_EXECUTE',
};

/**
 * Translations of taints between Kubernetes and the other systems that describe them.
 */
export class NodeTaints {
  /**
   * The EKS managed node group spelling of a taint effect (`NoSchedule` -> `NO_SCHEDULE`).
   */
  public static toEksEffect(effect: TaintEffect): string {
    checkArgs('NodeTaints.toEksEffect', 'NodeTaints', 'toEksEffect', [effect]);
    const eks = EKS_EFFECTS[effect];
    if (!eks) {
      throw invalidProp('NodeTaints', 'effect', effect, `allowed: ${Object.keys(EKS_EFFECTS).join(', ')}`);
    }
    return eks;
  }

  /**
   * The cluster-autoscaler node-template tag value of a taint (`<value>:<Effect>`), which tells it the taints of
   * an Auto Scaling group that has scaled to zero.
   */
  public static toAutoscalerTagValue(taint: NodeTaint): string {
    checkShape('NodeTaints.toAutoscalerTagValue', 'NodeTaint', taint, 'taint');
    return `${taint.value ?? ''}:${taint.effect}`;
  }

  /**
   * The toleration that matches exactly this taint.
   */
  public static toleration(taint: NodeTaint): k8s.Toleration {
    checkShape('NodeTaints.toleration', 'NodeTaint', taint, 'taint');
    return taint.value === undefined
      ? { key: taint.key, operator: 'Exists', effect: taint.effect }
      : { key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect };
  }

  private constructor() {}
}
