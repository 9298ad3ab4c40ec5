import { k8s } from 'cdk8s-plus-33';
import { checkArgs, checkDns1123Label, checkLabels, invalidProp, qualifiedNameProblem } from '../validation';

/** The label Kubernetes puts on every Namespace (since 1.22): what a policy selects a namespace by. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where the EKS Pod Identity agent listens on every node (aws/eks-pod-identity-agent configuration/config.go). */
const POD_IDENTITY_AGENT_IP = '169.254.170.23';

const CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;

/**
 * One end of a `NetworkFlow`: pods of a namespace (selected by labels), or addresses outside the cluster.
 *
 * A pod peer always names its namespace, so a policy never selects pods of another team by accident.
 */
export class NetworkPeer {
  /** The pods of `namespace` carrying every one of `labels`. */
  public static pods(namespace: string, labels: { [key: string]: string }, name?: string): NetworkPeer {
    checkArgs('NetworkPeer.pods', 'NetworkPeer', 'pods', [namespace, labels, name]);
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    checkLabels('NetworkPeer', 'labels', labels);
    if (Object.keys(labels).length === 0) throw invalidProp('NetworkPeer', 'labels', labels, 'must select by at least one label (use NetworkPeer.allPods() for every pod)');
    return new NetworkPeer({ namespace, labels, name: name ?? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') });
  }

  /** The pods of `namespace` that carry the label `key`, whatever its value (a run's pods, named per run). */
  public static podsWithLabel(namespace: string, key: string, name?: string): NetworkPeer {
    checkArgs('NetworkPeer.podsWithLabel', 'NetworkPeer', 'podsWithLabel', [namespace, key, name]);
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    const problem = qualifiedNameProblem(key);
    if (problem) throw invalidProp('NetworkPeer', 'key', key, problem);
    return new NetworkPeer({ namespace, labelKeys: [key], name: name ?? `pods with label ${key}` });
  }

  /** Every pod of `namespace`. */
  public static allPods(namespace: string, name?: string): NetworkPeer {
    checkArgs('NetworkPeer.allPods', 'NetworkPeer', 'allPods', [namespace, name]);
    checkDns1123Label('NetworkPeer', 'namespace', namespace);
    return new NetworkPeer({ namespace, name: name ?? 'every pod' });
  }

  /**
   * Addresses outside the pod network: `cidr` minus `exceptCidrs` (an IPv4 `ipBlock`). Use it for S3, the EKS API
   * endpoint, a log store, the API server calling a webhook.
   */
  public static ipBlock(cidr: string, exceptCidrs: string[] = [], name?: string): NetworkPeer {
    checkArgs('NetworkPeer.ipBlock', 'NetworkPeer', 'ipBlock', [cidr, exceptCidrs, name]);
    for (const [prop, value] of [['cidr', cidr], ...exceptCidrs.map((e, i) => [`exceptCidrs[${i}]`, e])]) {
      if (!CIDR.test(value)) throw invalidProp('NetworkPeer', prop, value, 'must be an IPv4 CIDR such as "10.0.0.0/16"');
    }
    return new NetworkPeer({ cidr, exceptCidrs, name: name ?? (exceptCidrs.length ? `${cidr} except ${exceptCidrs.join(', ')}` : cidr) });
  }

  /**
   * The address blocks of the EKS Pod Identity agent, which hands pods their credentials over HTTP on port 80
   * (aws/eks-pod-identity-agent `configuration/config.go` DefaultIpv4TargetHost, `cmd/server.go` port 80).
   */
  public static podIdentityAgent(): NetworkPeer {
    return NetworkPeer.ipBlock(`${POD_IDENTITY_AGENT_IP}/32`, [], `EKS Pod Identity agent (${POD_IDENTITY_AGENT_IP})`);
  }

  /** Any address (`0.0.0.0/0`). */
  public static anywhere(name?: string): NetworkPeer {
    checkArgs('NetworkPeer.anywhere', 'NetworkPeer', 'anywhere', [name]);
    return NetworkPeer.ipBlock('0.0.0.0/0', [], name ?? 'anywhere (0.0.0.0/0)');
  }

  /** The namespace of a pod peer; undefined for an address block. */
  public readonly namespace?: string;
  /** The labels a pod peer selects by (every one must match). */
  public readonly labels: { [key: string]: string };
  /** Label keys a pod peer requires, whatever their value. */
  public readonly labelKeys: string[];
  /** Label keys a pod peer's pods must not carry (`withoutLabel()`). */
  public readonly absentLabelKeys: string[];
  /** The CIDR of an address peer. */
  public readonly cidr?: string;
  /** The CIDRs an address peer leaves out. */
  public readonly exceptCidrs: string[];
  /** More address blocks of the peer, each whole (inside `exceptCidrs` or not): `withAddresses()`. */
  public readonly additionalCidrs: string[];
  /** What the peer is, as the flow table shows it. */
  public readonly name: string;

  private constructor(props: {
    namespace?: string;
    labels?: { [key: string]: string };
    labelKeys?: string[];
    cidr?: string;
    exceptCidrs?: string[];
    additionalCidrs?: string[];
    absentLabelKeys?: string[];
    name: string;
  }) {
    this.namespace = props.namespace;
    this.labels = { ...props.labels ?? {} };
    this.labelKeys = [...props.labelKeys ?? []];
    this.cidr = props.cidr;
    this.exceptCidrs = [...props.exceptCidrs ?? []];
    this.additionalCidrs = [...props.additionalCidrs ?? []];
    this.absentLabelKeys = [...props.absentLabelKeys ?? []];
    this.name = props.name;
  }

  /** These pods, less those carrying the label `key` (with any value): a narrower pod peer. */
  public withoutLabel(key: string, name?: string): NetworkPeer {
    checkArgs('NetworkPeer.withoutLabel', 'NetworkPeer', 'withoutLabel', [key, name]);
    if (!this.namespace) throw invalidProp('NetworkPeer', 'withoutLabel', this.toString(), 'applies to pod peers only');
    const problem = qualifiedNameProblem(key);
    if (problem) throw invalidProp('NetworkPeer', 'key', key, problem);
    return new NetworkPeer({
      namespace: this.namespace,
      labels: this.labels,
      labelKeys: this.labelKeys,
      absentLabelKeys: [...this.absentLabelKeys, key],
      name: name ?? `${this.name}, not ${key}`,
    });
  }

  /**
   * This address peer and more address blocks, each admitted whole: addresses inside `exceptCidrs` that are
   * not pods (VPC interface endpoints, a log store in the VPC). A NetworkPolicy's `except` is a hard deny within
   * its block; another block of the same rule admits them again.
   */
  public withAddresses(cidrs: string[], name?: string): NetworkPeer {
    checkArgs('NetworkPeer.withAddresses', 'NetworkPeer', 'withAddresses', [cidrs, name]);
    if (!this.cidr) throw invalidProp('NetworkPeer', 'withAddresses', this.toString(), 'applies to address peers (NetworkPeer.ipBlock) only');
    cidrs.forEach((c, i) => { if (!CIDR.test(c)) throw invalidProp('NetworkPeer', `cidrs[${i}]`, c, 'must be an IPv4 CIDR such as "10.0.32.0/24"'); });
    if (cidrs.length === 0) return this;
    return new NetworkPeer({
      cidr: this.cidr,
      exceptCidrs: this.exceptCidrs,
      additionalCidrs: [...this.additionalCidrs, ...cidrs],
      name: name ?? `${this.name} and ${cidrs.join(', ')}`,
    });
  }

  /** Whether an address peer admits the IPv4 address `ip` (in a block and not excepted, or in an additional block). */
  public containsAddress(ip: string): boolean {
    checkArgs('NetworkPeer.containsAddress', 'NetworkPeer', 'containsAddress', [ip]);
    if (!this.cidr) return false;
    return (cidrContains(this.cidr, ip) && !this.exceptCidrs.some(e => cidrContains(e, ip))) || this.additionalCidrs.some(c => cidrContains(c, ip));
  }

  /** As the flow table shows it: `<namespace>: <name>`, or the address block's name. */
  public toString(): string {
    return this.namespace ? `${this.namespace}: ${this.name}` : this.name;
  }

  /** The pod selector of a pod peer (empty: every pod of the namespace). */
  public get podSelector(): k8s.LabelSelector {
    const matchLabels = Object.keys(this.labels).length ? { ...this.labels } : undefined;
    const expressions = [
      ...this.labelKeys.map(key => ({ key, operator: 'Exists' })),
      ...this.absentLabelKeys.map(key => ({ key, operator: 'DoesNotExist' })),
    ];
    const matchExpressions = expressions.length ? expressions : undefined;
    return { matchLabels, matchExpressions };
  }

  /** The peer as a NetworkPolicy rule names it: one peer of the rule's list per address block, or one pod selector. */
  public toPolicyPeers(): k8s.NetworkPolicyPeer[] {
    if (this.cidr) {
      return [
        { ipBlock: { cidr: this.cidr, except: this.exceptCidrs.length ? [...this.exceptCidrs] : undefined } },
        ...this.additionalCidrs.map(cidr => ({ ipBlock: { cidr } })),
      ];
    }
    return [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: this.namespace! } }, podSelector: this.podSelector }];
  }
}

// Whether the IPv4 CIDR contains the IPv4 address.
function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const toNumber = (a: string) => a.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size);
}
