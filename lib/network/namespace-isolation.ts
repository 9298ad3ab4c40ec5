import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { NetworkFlow } from './network-flow';
import { NetworkPeer } from './network-peer';
import { NetworkPort } from './network-port';
import { checkArgs, checkDns1123Label, checkLabels, checkShape, invalidProp } from '../validation';

/**
 * Properties of a `NamespaceIsolation`.
 */
export interface NamespaceIsolationProps {
  /** The namespace. */
  readonly namespace: string;

  /**
   * Deny every pod of the namespace all traffic but DNS (a `default-deny` and an `allow-dns` NetworkPolicy).
   * Switch it off for a namespace the platform does not own (`kube-system`): there only the pods of
   * `isolatePods()` and of the flows are isolated.
   *
   * @default true
   */
  readonly defaultDeny?: boolean;

  /**
   * The cluster's DNS servers.
   *
   * @default NamespaceIsolation.KUBE_DNS (CoreDNS on EKS: kube-system, `k8s-app: kube-dns`)
   */
  readonly dns?: NetworkPeer;
}

/**
 * The NetworkPolicies of one namespace: by default every pod is denied all ingress and egress but DNS, and
 * each flow that starts or ends in the namespace adds its allow. Rendered with the `k8s.KubeNetworkPolicy`
 * L1; Kubernetes admits a connection when the source's egress and the destination's ingress both allow it.
 */
export class NamespaceIsolation extends Construct {
  /** CoreDNS as EKS runs it: pods `k8s-app: kube-dns` in kube-system (the `kube-dns` Service's selector). */
  public static readonly KUBE_DNS = NetworkPeer.pods('kube-system', { 'k8s-app': 'kube-dns' }, 'kube-dns (CoreDNS)');

  /** The namespace. */
  public readonly namespace: string;
  /** The DNS servers every pod may reach. */
  public readonly dns: NetworkPeer;
  /** Whether every pod of the namespace is isolated. */
  public readonly defaultDeny: boolean;
  private readonly flows: NetworkFlow[] = [];
  private readonly policyNames = new Set<string>();
  private readonly isolatedPods: Array<{ [key: string]: string }> = [];

  public constructor(scope: Construct, id: string, props: NamespaceIsolationProps) {
    super(scope, id);
    checkShape(this, 'NamespaceIsolationProps', props, 'props');
    this.namespace = checkDns1123Label(this, 'namespace', props.namespace);
    this.dns = props.dns ?? NamespaceIsolation.KUBE_DNS;
    this.defaultDeny = props.defaultDeny ?? true;
    if (this.defaultDeny) {
      this.policy('default-deny', {}, { policyTypes: ['Ingress', 'Egress'] });
      this.policy('allow-dns', {}, { policyTypes: ['Egress'], egress: [this.dnsRule()] });
    }
  }

  /** The flows that start or end in this namespace, in the order added. */
  public get allFlows(): NetworkFlow[] {
    return [...this.flows];
  }

  /**
   * Isolates the pods carrying `labels` in both directions and lets them reach DNS (for a namespace without
   * `defaultDeny`: the platform's pods in kube-system).
   */
  public isolatePods(name: string, labels: { [key: string]: string }): void {
    checkArgs(this, 'NamespaceIsolation', 'isolatePods', [name, labels]);
    checkLabels(this, 'labels', labels);
    this.isolatedPods.push({ ...labels });
    this.policy(`${name}-default-deny`, { matchLabels: { ...labels } }, { policyTypes: ['Ingress', 'Egress'], egress: [this.dnsRule()] });
  }

  /**
   * Allows a flow: an egress policy when it starts in this namespace, an ingress policy when it ends here.
   */
  public addFlow(flow: NetworkFlow): void {
    checkShape(this, 'NetworkFlow', flow, 'flow');
    if (flow.ports.length === 0) throw invalidProp(this, `${flow.name}.ports`, flow.ports, 'must list at least one port');
    const starts = flow.from.namespace === this.namespace;
    const ends = flow.to.namespace === this.namespace;
    if (!starts && !ends) throw invalidProp(this, `${flow.name}.from`, flow.from.toString(), `neither end of the flow is in namespace "${this.namespace}"`);
    for (const [end, peer] of [[starts, flow.from], [ends, flow.to]] as const) {
      if (end && !this.owns(peer)) {
        throw invalidProp(this, flow.name, peer.toString(), `selects pods of namespace "${this.namespace}" that are not isolated (isolatePods): a policy would cut them off`);
      }
    }
    const ports = flow.ports.map(p => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) }));
    if (starts) this.policy(`${flow.name}-egress`, flow.from.podSelector, { policyTypes: ['Egress'], egress: [{ to: flow.to.toPolicyPeers(), ports }] });
    if (ends) this.policy(`${flow.name}-ingress`, flow.to.podSelector, { policyTypes: ['Ingress'], ingress: [{ from: flow.from.toPolicyPeers(), ports }] });
    this.flows.push(flow);
  }

  // Without a default deny, a policy may select only pods isolated on purpose (never kube-dns by accident).
  private owns(peer: NetworkPeer): boolean {
    if (this.defaultDeny) return true;
    const same = (a: { [key: string]: string }, b: { [key: string]: string }) =>
      Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
    return peer.labelKeys.length === 0 && this.isolatedPods.some(labels => same(labels, peer.labels));
  }

  private dnsRule(): k8s.NetworkPolicyEgressRule {
    return { to: this.dns.toPolicyPeers(), ports: NetworkPort.dns().map(p => ({ protocol: p.protocol, port: k8s.IntOrString.fromNumber(p.port) })) };
  }

  private policy(name: string, podSelector: k8s.LabelSelector, spec: Omit<k8s.NetworkPolicySpec, 'podSelector'>): void {
    if (this.policyNames.has(name)) throw invalidProp(this, 'name', name, `namespace "${this.namespace}" already has a NetworkPolicy "${name}": flow names must be unique`);
    this.policyNames.add(name);
    new k8s.KubeNetworkPolicy(this, name, { metadata: { name, namespace: this.namespace }, spec: { podSelector, ...spec } });
  }
}
