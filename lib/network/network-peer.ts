import { k8s } from 'cdk8s-plus-33';
import { checkDns1123Label, checkLabels, invalidProp, qualifiedNameProblem } from '../validation';

/** The label Kubernetes puts on every Namespace (since 1.22): what a policy selects a namespace by. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

/**
 * One end of a `NetworkFlow`: pods of a namespace (selected by labels), or addresses outside the cluster.
 *
 * A pod peer always names its namespace, so a policy never selects pods of another team by accident.
 */
export class NetworkPeer {
  /** The pods of `namespace` carrying every one of `labels`. */
  public static pods(namespace: string, labels: { [key: string]: string }, name?: string): NetworkPeer {
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    checkLabels('NetworkPeer', 'labels', labels);
    if (Object.keys(labels).length === 0) throw invalidProp('NetworkPeer', 'labels', labels, 'must select by at least one label (use NetworkPeer.allPods() for every pod)');
    return new NetworkPeer({ namespace, labels, name: name ?? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') });
  }

  /** The pods of `namespace` that carry the label `key`, whatever its value (a run's pods, named per run). */
  public static podsWithLabel(namespace: string, key: string, name?: string): NetworkPeer {
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    const problem = qualifiedNameProblem(key);
    if (problem) throw invalidProp('NetworkPeer', 'key', key, problem);
    return new NetworkPeer({ namespace, labelKeys: [key], name: name ?? `pods with label ${key}` });
  }

  /** Every pod of `namespace`. */
  public static allPods(namespace: string, name?: string): NetworkPeer {
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    return new NetworkPeer({ namespace, name: name ?? 'every pod' });
  }

  /**
   * Addresses outside the pod network: `cidr` minus `exceptCidrs` (an IPv4 `ipBlock`). Use it for S3, the EKS API
   * endpoint, a log store, the API server calling a webhook.
   */
  public static ipBlock(cidr: string, exceptCidrs: string[] = [], name?: string): NetworkPeer {
    for (const [prop, value] of [['cidr', cidr], ...exceptCidrs.map((e, i) => [`exceptCidrs[${i}]`, e])]) {
      if (!CIDR.test(value)) throw invalidProp('NetworkPeer', prop, value, 'must be an IPv4 CIDR such as "10.0.0.0/16"');
    }
    return new NetworkPeer({ cidr, exceptCidrs, name: name ?? (exceptCidrs.length ? `${cidr} except ${exceptCidrs.join(', ')}` : cidr) });
  }

  /** Any address (`0.0.0.0/0`). */
  public static anywhere(name?: string): NetworkPeer {
    return NetworkPeer.ipBlock('0.0.0.0/0', [], name ?? 'anywhere (0.0.0.0/0)');
  }

  /** The namespace of a pod peer; undefined for an address block. */
  public readonly namespace?: string;
  /** The labels a pod peer selects by (every one must match). */
  public readonly labels: { [key: string]: string };
  /** Label keys a pod peer requires, whatever their value. */
  public readonly labelKeys: string[];
  /** The CIDR of an address peer. */
  public readonly cidr?: string;
  /** The CIDRs an address peer leaves out. */
  public readonly exceptCidrs: string[];
  /** What the peer is, as the flow table shows it. */
  public readonly name: string;

  private constructor(props: {
    namespace?: string; labels?: { [key: string]: string }; labelKeys?: string[]; cidr?: string; exceptCidrs?: string[]; name: string;
  }) {
    this.namespace = props.namespace;
    this.labels = { ...props.labels ?? {} };
    this.labelKeys = [...props.labelKeys ?? []];
    this.cidr = props.cidr;
    this.exceptCidrs = [...props.exceptCidrs ?? []];
    this.name = props.name;
  }

  /** As the flow table shows it: `<namespace>: <name>`, or the address block's name. */
  public toString(): string {
    return this.namespace ? `${this.namespace}: ${this.name}` : this.name;
  }

  /** The pod selector of a pod peer (empty: every pod of the namespace). */
  public get podSelector(): k8s.LabelSelector {
    const matchLabels = Object.keys(this.labels).length ? { ...this.labels } : undefined;
    const matchExpressions = this.labelKeys.length ? this.labelKeys.map(key => ({ key, operator: 'Exists' })) : undefined;
    return { matchLabels, matchExpressions };
  }

  /** The peer as a NetworkPolicy rule names it. */
  public toPolicyPeer(): k8s.NetworkPolicyPeer {
    if (this.cidr) return { ipBlock: { cidr: this.cidr, except: this.exceptCidrs.length ? [...this.exceptCidrs] : undefined } };
    return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.namespace! } }, podSelector: this.podSelector };
  }
}
