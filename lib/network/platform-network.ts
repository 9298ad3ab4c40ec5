import { Construct, IConstruct } from 'constructs';
import { NamespaceIsolation } from './namespace-isolation';
import { NetworkFlow } from './network-flow';
import { NetworkPeer } from './network-peer';
import { NetworkPort } from './network-port';
import { ClusterAutoscaler, Karpenter } from '../autoscaling';
import { ServiceAccountIdentity, WorkloadIdentity } from '../bindings';
import { SparkHistoryServer } from '../history';
import { LogOutput, Logging, LoggingOperator } from '../logging';
import { PlatformMonitoring } from '../monitoring';
import { JobNamespace, SparkOperator, SparkPorts } from '../spark';
import { checkArgs, checkDns1123Subdomain, checkShape, invalidProp, wiringProblem } from '../validation';
import { ArgoWorkflows } from '../workflows';

/** fluentd's forward input: logging-operator 6.7.0 pkg/resources/fluentd/fluentd.go `ServicePort = 24240`. */
const FLUENTD_PORT = 24240;
const HTTPS = 443;
/** The EKS Pod Identity agent's port (aws/eks-pod-identity-agent cmd/server.go, `--port` default 80). */
const POD_IDENTITY_AGENT_PORT = 80;
/** The label Spark puts on its pods, `driver` or `executor` (Spark `Constants.scala` `SPARK_ROLE_LABEL`). */
const SPARK_ROLE = 'spark-role';
/** The label Argo Workflows puts on every pod of a workflow (argo-workflows `workflow/common/common.go` `LabelKeyWorkflow`). */
const WORKFLOW_LABEL = 'workflows.argoproj.io/workflow';

/**
 * What the platform's NetworkPolicies allow from outside it.
 */
export interface PlatformNetworkOptions {
  /**
   * The cluster's pod and Service CIDRs (on EKS with the VPC CNI, pods take VPC addresses: the VPC's CIDRs).
   * They are left out of the "outside the cluster" peer that S3, STS, the AWS APIs and log stores are reached
   * through, so a pod allowed out on 443 cannot reach another pod on 443 through it.
   *
   * @default - none: "outside the cluster" is 0.0.0.0/0, which also covers pod addresses (every namespace the
   * platform renders still denies that ingress)
   */
  readonly clusterCidrs?: string[];

  /**
   * Addresses inside `clusterCidrs` that are not pods and that workloads reach on the same ports as outside
   * services: the subnets of VPC interface endpoints (STS, EC2, Auto Scaling, EKS) and log stores in the VPC.
   * `clusterCidrs` are a hard deny within the "outside" block; these are admitted as blocks of their own.
   *
   * @default - none
   */
  readonly vpcServiceCidrs?: string[];

  /**
   * Where the Kubernetes API is: on EKS the endpoint's network interfaces sit in the cluster's subnets (and a
   * public endpoint has public addresses), whose addresses are not known at synth. It must be an address peer
   * that contains the ClusterIP of the `kubernetes` Service (`kubernetesServiceIp`): the VPC CNI judges egress
   * before the Service's address is translated, and its policy controller resolves only Services with a
   * selector, which `kubernetes` has not (aws/amazon-network-policy-controller-k8s `pkg/resolvers/endpoints.go`).
   *
   * @default NetworkPeer.anywhere() on TCP 443
   */
  readonly kubernetesApi?: NetworkPeer;

  /**
   * The ClusterIP of the `kubernetes` Service in `default` (`kubectl get service kubernetes -n default`): on
   * EKS the first address of the Service CIDR, 10.100.0.1 or 172.20.0.1 unless the cluster was given its own.
   * Required with a `kubernetesApi` narrower than 0.0.0.0/0, which must contain it.
   *
   * @default - not checked while `kubernetesApi` is 0.0.0.0/0
   */
  readonly kubernetesServiceIp?: string;

  /**
   * Who may call the Argo Server's API: the CI system that starts pipelines with a `PipelineSubmitter`'s token
   * (its runners' pods or addresses). Every `ArgoWorkflows.addSubmitter()` needs a client here or in `uiClients`.
   *
   * @default - none
   */
  readonly argoServerClients?: NetworkPeer[];

  /**
   * The Prometheus that scrapes the platform (the monitors' Prometheus).
   *
   * @default - pods `app.kubernetes.io/name: prometheus` (as the Prometheus Operator labels them) in namespace `monitoring`
   */
  readonly prometheus?: NetworkPeer;

  /**
   * Who may open the UIs: the history server's and the Argo Server's (an ingress controller's pods, a bastion's
   * addresses). `kubectl port-forward` needs none: the kubelet connects inside the pod.
   *
   * @default - none
   */
  readonly uiClients?: NetworkPeer[];
}

/**
 * Properties of a `PlatformNetwork`.
 */
export interface PlatformNetworkProps extends PlatformNetworkOptions {
  /** The Spark Operator: its namespace, webhook and job namespaces. */
  readonly sparkOperator: SparkOperator;
  /** Argo Workflows. @default - none */
  readonly workflows?: ArgoWorkflows;
  /** The history server. @default - none */
  readonly historyServer?: SparkHistoryServer;
  /** The cluster-autoscaler. @default - none */
  readonly clusterAutoscaler?: ClusterAutoscaler;
  /** Karpenter. @default - none */
  readonly karpenter?: Karpenter;
  /** The logging-operator. @default - none */
  readonly loggingOperator?: LoggingOperator;
  /** The Logging (fluentd, fluent-bit and the outputs). @default - none */
  readonly logging?: Logging;
  /** The monitoring (the Pushgateway, the scraped components). @default - none */
  readonly monitoring?: PlatformMonitoring;
}

/**
 * Network isolation of the whole platform: every namespace it renders or installs an operator into gets a
 * default deny (ingress and egress, DNS allowed), and each component's flows are allowed by name; in
 * kube-system (not the platform's) only the autoscaler's pods are isolated (the cluster-autoscaler's or Karpenter's). `flows` lists them all
 * (docs/network.md shows the example's).
 */
export class PlatformNetwork extends Construct {
  /** Outside the cluster: S3, STS, the AWS APIs, log stores. */
  public readonly outside: NetworkPeer;
  /** The Kubernetes API. */
  public readonly kubernetesApi: NetworkPeer;
  /** The Prometheus that scrapes the platform. */
  public readonly prometheus: NetworkPeer;
  private readonly props: PlatformNetworkProps;
  private readonly isolations = new Map<string, NamespaceIsolation>();
  private readonly flowList: NetworkFlow[] = [];
  private readonly outputPorts = new Set<number>();

  public constructor(scope: Construct, id: string, props: PlatformNetworkProps) {
    super(scope, id);
    checkShape(this, 'PlatformNetworkProps', props, 'props');
    this.props = props;
    const cidrs = props.clusterCidrs ?? [];
    const vpcServices = props.vpcServiceCidrs ?? [];
    this.outside = NetworkPeer.ipBlock('0.0.0.0/0', cidrs, cidrs.length ? `outside the cluster (0.0.0.0/0 except ${cidrs.join(', ')})` : 'outside the cluster (0.0.0.0/0)')
      .withAddresses(vpcServices, `outside the cluster (0.0.0.0/0 except ${cidrs.join(', ')}; and ${vpcServices.join(', ')})`);
    this.kubernetesApi = this.checkedKubernetesApi(props);
    this.prometheus = props.prometheus ?? NetworkPeer.pods('monitoring', { 'app.kubernetes.io/name': 'prometheus' }, 'Prometheus');
    this.sparkOperatorFlows(props.sparkOperator);
    if (props.workflows) this.workflowsFlows(props.workflows);
    if (props.historyServer) this.historyServerFlows(props.historyServer);
    if (props.clusterAutoscaler) this.clusterAutoscalerFlows(props.clusterAutoscaler);
    if (props.karpenter) this.karpenterFlows(props.karpenter);
    if (props.loggingOperator) this.loggingFlows(props.loggingOperator, props.logging);
    if (props.monitoring) this.monitoringFlows(props.monitoring);
    for (const namespace of props.sparkOperator.jobNamespaces) this.addJobNamespace(namespace);
  }

  // The API server's peer must admit the `kubernetes` Service's ClusterIP, which in-cluster clients dial.
  private checkedKubernetesApi(props: PlatformNetworkProps): NetworkPeer {
    const api = props.kubernetesApi ?? NetworkPeer.anywhere('Kubernetes API (EKS endpoint; 0.0.0.0/0)');
    const serviceIp = props.kubernetesServiceIp;
    if (serviceIp !== undefined && !/^([0-9]{1,3})(\.[0-9]{1,3}){3}$/.test(serviceIp)) {
      throw invalidProp(this, 'kubernetesServiceIp', serviceIp, 'must be an IPv4 address such as "172.20.0.1"');
    }
    if (!api.cidr) {
      throw invalidProp(this, 'kubernetesApi', api.toString(),
        'must be an address peer (NetworkPeer.ipBlock): the API server is not a pod, and clients dial the kubernetes Service\'s ClusterIP');
    }
    const wide = api.cidr === '0.0.0.0/0' && api.exceptCidrs.length === 0;
    if (!wide && serviceIp === undefined) {
      throw invalidProp(this, 'kubernetesApi', api.toString(),
        'is narrower than 0.0.0.0/0: give kubernetesServiceIp (kubectl get service kubernetes -n default), which the peer must contain: the VPC CNI judges egress before the ClusterIP is translated');
    }
    if (serviceIp !== undefined && !api.containsAddress(serviceIp)) {
      throw invalidProp(this, 'kubernetesApi', api.toString(),
        `does not contain the kubernetes Service's ClusterIP ${serviceIp} (kubernetesServiceIp): in-cluster clients dial it, and the VPC CNI judges egress before it is translated; add ${serviceIp}/32 (withAddresses)`);
    }
    return api;
  }

  /** Every flow allowed, in the order added. */
  public get flows(): NetworkFlow[] {
    return [...this.flowList];
  }

  /** The namespaces isolated, in the order first isolated. */
  public get namespaces(): NamespaceIsolation[] {
    return [...this.isolations.values()];
  }

  /**
   * Isolates a team's job namespace: Spark drivers and executors of the namespace reach each other on the
   * fixed Spark ports only, S3 and the Kubernetes API; pipelines reach the API, S3 and the Pushgateway;
   * Prometheus scrapes the drivers.
   */
  public addJobNamespace(namespace: JobNamespace): void {
    checkArgs(this, 'PlatformNetwork', 'addJobNamespace', [namespace]);
    const ns = namespace.name;
    if (this.isolations.has(ns)) return;
    this.isolation(ns);
    const drivers = NetworkPeer.pods(ns, { [SPARK_ROLE]: 'driver' }, 'Spark drivers');
    const executors = NetworkPeer.pods(ns, { [SPARK_ROLE]: 'executor' }, 'Spark executors');
    const spark = NetworkPeer.podsWithLabel(ns, SPARK_ROLE, 'Spark drivers and executors');
    const { DRIVER_RPC, BLOCK_MANAGER, UI } = SparkPorts;
    this.addFlow({ name: `${ns}-executors-to-drivers`, from: executors, to: drivers, ports: [NetworkPort.tcp(DRIVER_RPC), NetworkPort.tcp(BLOCK_MANAGER)], reason: 'executors register with their driver (RPC) and fetch broadcast blocks from it' });
    this.addFlow({ name: `${ns}-drivers-to-executors`, from: drivers, to: executors, ports: [NetworkPort.tcp(BLOCK_MANAGER)], reason: 'the driver fetches task results and blocks from executors\' block managers' });
    this.addFlow({ name: `${ns}-executors-to-executors`, from: executors, to: executors, ports: [NetworkPort.tcp(BLOCK_MANAGER)], reason: 'shuffle fetches and block migration on decommissioning' });
    this.addFlow({ name: `${ns}-spark-to-aws`, from: spark, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'data and event logs in S3, STS for the team\'s IAM role' });
    this.credentialsFlow(`${ns}-spark`, spark, namespace.team.serviceAccount);
    this.addFlow({ name: `${ns}-drivers-to-api`, from: drivers, to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'the driver creates and watches its executors\' pods' });
    if (this.props.monitoring) {
      this.addFlow({ name: `${ns}-driver-metrics`, from: this.prometheus, to: drivers, ports: [NetworkPort.tcp(UI)], reason: 'Prometheus scrapes the drivers\' metrics servlet (PodMonitor spark-drivers)' });
    }
    if (this.props.workflows) {
      // A Spark step's SparkApplication carries the run's workflow label, and its pods inherit it: the pipeline
      // peer leaves Spark's pods (label spark-role) out, so they get only the Spark flows.
      const pipelines = NetworkPeer.podsWithLabel(ns, WORKFLOW_LABEL).withoutLabel(SPARK_ROLE, 'pipeline pods (not their steps\' Spark pods)');
      this.addFlow({ name: `${ns}-pipelines-to-api`, from: pipelines, to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'a Spark step creates and polls its SparkApplication; the wait container reports results' });
      this.addFlow({ name: `${ns}-pipelines-to-s3`, from: pipelines, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'the artifact repository (S3)' });
      this.credentialsFlow(`${ns}-pipelines`, pipelines, namespace.team.pipelineServiceAccount);
      if (this.props.monitoring) {
        const pushgateway = this.props.monitoring.pushgateway;
        this.addFlow({
          name: `${ns}-pipelines-to-pushgateway`,
          from: pipelines,
          to: NetworkPeer.pods(pushgateway.namespace, pushgateway.podLabels, 'Pushgateway'),
          ports: [NetworkPort.tcp(pushgateway.port)],
          reason: 'the exit step pushes the pipeline\'s outcome',
        });
      }
    }
    if (this.props.logging) this.addOutputFlows(this.props.logging);
  }

  /**
   * Allows a flow of your own: an egress policy in the source's namespace and an ingress policy in the
   * destination's, for each end in a namespace the platform isolates.
   */
  public addFlow(flow: NetworkFlow): void {
    checkShape(this, 'NetworkFlow', flow, 'flow');
    checkDns1123Subdomain(this, 'name', `${flow.name}-ingress`);
    if (this.flowList.some(f => f.name === flow.name)) throw invalidProp(this, 'name', flow.name, 'another flow has this name');
    const ends = [...new Set([flow.from.namespace, flow.to.namespace])].filter((n): n is string => n !== undefined && this.isolations.has(n));
    if (ends.length === 0) throw invalidProp(this, `${flow.name}.from`, flow.from.toString(), 'neither end is in a namespace the platform isolates');
    for (const namespace of ends) this.isolations.get(namespace)!.addFlow(flow);
    this.flowList.push(flow);
  }

  // With EKS Pod Identity, the AWS SDK fetches the role's credentials from the node's Pod Identity agent over
  // HTTP (AWS_CONTAINER_CREDENTIALS_FULL_URI http://169.254.170.23/v1/credentials), not from STS on 443; the VPC
  // CNI's policy agent admits only the node's own address by default (aws-network-policy-agent
  // pkg/fwruleprocessor/fw_rule_processor.go).
  private credentialsFlow(name: string, from: NetworkPeer, serviceAccount: ServiceAccountIdentity): void {
    if (serviceAccount.identity !== WorkloadIdentity.POD_IDENTITY) return;
    this.addFlow({ name: `${name}-to-pod-identity`, from, to: NetworkPeer.podIdentityAgent(), ports: [NetworkPort.tcp(POD_IDENTITY_AGENT_PORT)], reason: 'credentials of its IAM role from the EKS Pod Identity agent' });
  }

  private isolation(namespace: string, defaultDeny = true): NamespaceIsolation {
    let isolation = this.isolations.get(namespace);
    if (!isolation) {
      isolation = new NamespaceIsolation(this, namespace, { namespace, defaultDeny });
      this.isolations.set(namespace, isolation);
    }
    return isolation;
  }

  // The charts' pods and ports as each release describes them (checked against the rendered charts).
  private sparkOperatorFlows(operator: SparkOperator): void {
    const { namespace, controller, webhook } = operator.release;
    this.isolation(namespace);
    this.addFlow({ name: 'spark-operator-to-api', from: NetworkPeer.allPods(namespace, 'Spark Operator (controller, webhook)'), to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'reconciles SparkApplications, submits drivers, manages its webhook configurations' });
    this.addFlow({
      name: 'spark-operator-webhook',
      from: NetworkPeer.anywhere('the API server (EKS control plane: not a pod; 0.0.0.0/0)'),
      to: NetworkPeer.pods(namespace, webhook.podLabels, 'Spark Operator webhook'),
      ports: [NetworkPort.tcp(webhook.ports[0].port)], // the pod's webhook port (the Service targets it by name)
      reason: 'admission: the API server calls the webhook on SparkApplications and Spark pods',
    });
    if (this.props.monitoring && controller.ports.length > 0) {
      this.addFlow({ name: 'spark-operator-metrics', from: this.prometheus, to: NetworkPeer.pods(namespace, controller.podLabels, 'Spark Operator controller'), ports: controller.ports.map(p => NetworkPort.tcp(p.port)), reason: 'Prometheus scrapes the controller (PodMonitor spark-operator)' });
    }
  }

  private workflowsFlows(workflows: ArgoWorkflows): void {
    const { namespace, controller } = workflows.release;
    const serverComponent = workflows.release.server;
    const serverPorts = serverComponent.ports.map(p => NetworkPort.tcp(p.port));
    this.isolation(namespace);
    const server = NetworkPeer.pods(namespace, serverComponent.podLabels, 'Argo Server');
    this.addFlow({ name: 'argo-workflows-to-api', from: NetworkPeer.allPods(namespace, 'Argo Workflows (controller, server)'), to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'the controller runs workflows; the server serves the API with the caller\'s token' });
    if (workflows.archiveLogs) {
      this.addFlow({ name: 'argo-server-to-s3', from: server, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'the server reads archived logs from S3' });
      this.credentialsFlow('argo-server', server, workflows.serverServiceAccount);
    }
    (this.props.uiClients ?? []).forEach((client, i) => this.addFlow({ name: `argo-server-client-${i + 1}`, from: client, to: server, ports: serverPorts, reason: 'the Argo Server\'s UI and API' }));
    (this.props.argoServerClients ?? []).forEach((client, i) => this.addFlow({ name: `argo-server-api-client-${i + 1}`, from: client, to: server, ports: serverPorts, reason: 'a CI system starts pipelines through the Argo Server\'s API (PipelineSubmitter)' }));
    // Submitters may be added after construction: judged at synth.
    this.node.addValidation({
      validate: () => {
        const clients = (this.props.uiClients ?? []).length + (this.props.argoServerClients ?? []).length;
        if (clients > 0) return [];
        return workflows.submitters.map(submitter => wiringProblem(submitter,
          `PipelineSubmitter ${submitter.namespace}/${submitter.name} serves a CI system that calls the Argo Server, but the NetworkPolicies admit no client to it: give network.argoServerClients (the CI runners' pods or addresses)`));
      },
    });
    if (this.props.monitoring && controller.ports.length > 0) {
      this.addFlow({ name: 'argo-workflows-metrics', from: this.prometheus, to: NetworkPeer.pods(namespace, controller.podLabels, 'Argo Workflows controller'), ports: controller.ports.map(p => NetworkPort.tcp(p.port)), reason: 'Prometheus scrapes the controller (ServiceMonitor argo-workflows-controller)' });
    }
  }

  private historyServerFlows(history: SparkHistoryServer): void {
    this.isolation(history.namespace);
    const server = NetworkPeer.pods(history.namespace, history.podLabels, 'Spark History Server');
    this.addFlow({ name: 'spark-history-to-s3', from: server, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'reads the event logs from S3 (STS for its IAM role)' });
    this.credentialsFlow('spark-history', server, history.serviceAccount);
    (this.props.uiClients ?? []).forEach((client, i) => this.addFlow({ name: `spark-history-client-${i + 1}`, from: client, to: server, ports: [NetworkPort.tcp(history.port)], reason: 'the history server\'s UI' }));
  }

  // kube-system is not the platform's: only the autoscaler's pods are isolated there.
  private clusterAutoscalerFlows(autoscaler: ClusterAutoscaler): void {
    const isolation = this.isolation(autoscaler.namespace, false);
    isolation.isolatePods('cluster-autoscaler', autoscaler.podLabels);
    const pods = NetworkPeer.pods(autoscaler.namespace, autoscaler.podLabels, 'cluster-autoscaler');
    this.addFlow({ name: 'cluster-autoscaler-to-aws', from: pods, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'Auto Scaling, EC2 and EKS APIs, STS for its IAM role' });
    this.credentialsFlow('cluster-autoscaler', pods, autoscaler.serviceAccount);
    this.addFlow({ name: 'cluster-autoscaler-to-api', from: pods, to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'watches pods and nodes' });
    if (this.props.monitoring) {
      // The library's ClusterAutoscaler serves /metrics on --address=:8085.
      this.addFlow({ name: 'cluster-autoscaler-metrics', from: this.prometheus, to: pods, ports: [NetworkPort.tcp(8085)], reason: 'Prometheus scrapes the autoscaler (ServiceMonitor cluster-autoscaler)' });
    }
  }

  // kube-system is not the platform's: only the controller's pods are isolated there. The chart's pods and ports as the
  // release describes them (aws/karpenter-provider-aws v1.14.1 charts/karpenter; no webhook since v1.0).
  private karpenterFlows(karpenter: Karpenter): void {
    const isolation = this.isolation(karpenter.namespace, false);
    const controller = karpenter.release.controller;
    isolation.isolatePods('karpenter', controller.podLabels);
    const pods = NetworkPeer.pods(karpenter.namespace, controller.podLabels, 'Karpenter');
    this.addFlow({ name: 'karpenter-to-aws', from: pods, to: this.outside, ports: [NetworkPort.tcp(HTTPS)], reason: 'EC2 (fleets, instances, launch templates), SQS (its interruption queue), SSM (AMI parameters), pricing, EKS, IAM instance profiles, STS for its IAM role' });
    this.credentialsFlow('karpenter', pods, karpenter.serviceAccount);
    this.addFlow({ name: 'karpenter-to-api', from: pods, to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'watches pods and nodes, writes NodeClaims and nodes, evicts pods' });
    const metrics = controller.ports.find(p => p.name === 'http-metrics');
    if (this.props.monitoring && metrics) {
      this.addFlow({ name: 'karpenter-metrics', from: this.prometheus, to: pods, ports: [NetworkPort.tcp(metrics.port)], reason: 'Prometheus scrapes Karpenter (ServiceMonitor karpenter)' });
    }
  }

  // logging-operator 6.7.0: fluentd pods app.kubernetes.io/{name: fluentd, component: fluentd, managed-by: <Logging>}
  // (pkg/sdk/logging/api/v1beta1/logging_types.go GetFluentdLabels); fluent-bit app.kubernetes.io/{name: fluentbit,
  // managed-by: <Logging>} (pkg/resources/fluentbit/fluentbit.go getFluentBitLabels). The chart renders no webhook.
  private loggingFlows(operator: LoggingOperator, logging?: Logging): void {
    this.isolation(operator.namespace);
    this.addFlow({ name: 'logging-to-api', from: NetworkPeer.allPods(operator.namespace, 'logging-operator, fluent-bit'), to: this.kubernetesApi, ports: [NetworkPort.tcp(HTTPS)], reason: 'the operator reconciles; fluent-bit\'s kubernetes filter reads pod metadata' });
    if (!logging) return;
    const managedBy = { 'app.kubernetes.io/managed-by': logging.name };
    const fluentd = NetworkPeer.pods(logging.controlNamespace, { 'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/component': 'fluentd', ...managedBy }, 'fluentd');
    const fluentBit = NetworkPeer.pods(logging.controlNamespace, { 'app.kubernetes.io/name': 'fluentbit', ...managedBy }, 'fluent-bit');
    this.isolation(logging.controlNamespace);
    this.addFlow({ name: 'fluent-bit-to-fluentd', from: fluentBit, to: fluentd, ports: [NetworkPort.tcp(FLUENTD_PORT)], reason: 'fluent-bit forwards every node\'s logs to fluentd' });
    this.addOutputFlows(logging);
  }

  // One flow per port of the log stores (their host names are not something a NetworkPolicy can name).
  private addOutputFlows(logging: Logging): void {
    const fluentd = NetworkPeer.pods(logging.controlNamespace, { 'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/component': 'fluentd', 'app.kubernetes.io/managed-by': logging.name }, 'fluentd');
    // The jobs that ship what a removed replica still buffers (scaling.drain) run fluentd too, labelled as the
    // "fluentd-drainer" component (logging-operator pkg/resources/fluentd/drainjob.go getDrainerLabels,
    // component.go ComponentDrainer, logging_types.go GetFluentdLabels).
    const drainers = NetworkPeer.pods(logging.controlNamespace,
      { 'app.kubernetes.io/name': 'fluentd', 'app.kubernetes.io/component': 'fluentd-drainer', 'app.kubernetes.io/managed-by': logging.name }, 'fluentd drain jobs');
    // A Logging's outputs are its children (Logging.addOutput, addTeamOutput): not a walk of the whole app per team.
    const outputs = logging.node.children.filter((c): c is LogOutput => c instanceof LogOutput && c.logging === logging);
    for (const output of outputs) {
      const spec = output.apiObject.toJson().spec ?? {};
      const port: number | undefined = Object.values<any>(spec)[0]?.port;
      if (port === undefined || this.outputPorts.has(port)) continue;
      this.outputPorts.add(port);
      this.addFlow({ name: `fluentd-to-log-stores-${port}`, from: fluentd, to: this.outside, ports: [NetworkPort.tcp(port)], reason: 'fluentd ships logs to the Elasticsearch / OpenSearch outputs' });
      // Logging always drains on scale-down (scaling.drain.enabled).
      this.addFlow({
        name: `fluentd-drainer-to-log-stores-${port}`,
        from: drainers,
        to: this.outside,
        ports: [NetworkPort.tcp(port)],
        reason: 'a drain job ships what a removed fluentd replica still buffers',
      });
    }
  }

  private monitoringFlows(monitoring: PlatformMonitoring): void {
    const pushgateway = monitoring.pushgateway;
    this.isolation(pushgateway.namespace);
    const cleanup = monitoring.pipelineGroupCleanup;
    if (cleanup) {
      this.addFlow({
        name: 'pushgateway-cleanup',
        from: NetworkPeer.pods(pushgateway.namespace, cleanup.podLabels, 'Pushgateway cleanup'),
        to: NetworkPeer.pods(pushgateway.namespace, pushgateway.podLabels, 'Pushgateway'),
        ports: [NetworkPort.tcp(pushgateway.port)],
        reason: 'the hourly cleanup lists the groups and deletes those of pipelines the platform no longer has',
      });
    }
    this.addFlow({ name: 'pushgateway-metrics', from: this.prometheus, to: NetworkPeer.pods(pushgateway.namespace, pushgateway.podLabels, 'Pushgateway'), ports: [NetworkPort.tcp(pushgateway.port)], reason: 'Prometheus scrapes the pushed series (ServiceMonitor pushgateway)' });
  }

  // A job that moves a Spark port off the fixed ones would be cut off by the policies.
  /**
   * The Spark applications among rendered objects that move a port the policies allow (the platform runs it on
   * what it has just rendered, with the objects they came from).
   *
   * @internal
   */
  public _checkSparkPorts(rendered: Array<{ readonly object: IConstruct; readonly json: any }>): string[] {
    const applications: Array<{ where: IConstruct; what: string; namespace: string; conf: { [key: string]: string } }> = [];
    for (const { object, json } of rendered) {
      if (json.kind !== 'SparkApplication' && json.kind !== 'ScheduledSparkApplication') continue;
      const conf = (json.kind === 'SparkApplication' ? json.spec?.sparkConf : json.spec?.template?.sparkConf) ?? {};
      applications.push({ where: object, what: `${json.kind} ${json.metadata?.namespace}/${json.metadata?.name}`, namespace: json.metadata?.namespace, conf });
    }
    // The SparkApplications a pipeline's steps create at run time.
    for (const pipeline of this.props.workflows?.pipelines ?? []) {
      for (const step of pipeline.sparkSteps) {
        applications.push({
          where: step,
          what: `step ${step.name} of pipeline ${pipeline.namespace.name}/${pipeline.name}`,
          namespace: pipeline.namespace.name,
          conf: step._renderSpec().sparkConf ?? {},
        });
      }
    }
    const fixed = Object.entries(SparkPorts.settings()).concat([['spark.ui.port', String(SparkPorts.UI)]]);
    const errors: string[] = [];
    for (const { where, what, conf } of applications.filter(a => this.isolations.has(a.namespace))) {
      for (const [key, value] of fixed) {
        if (conf[key] !== undefined && conf[key] !== value) {
          errors.push(wiringProblem(where, `${what} sets ${key}=${conf[key]}, but the NetworkPolicies allow ${value} only: remove it from sparkConf`));
        }
      }
    }
    return errors;
  }
}
