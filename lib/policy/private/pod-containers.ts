
/**
 * One container as the policy sees it, wherever it is declared: a Pod template of a workload, a Spark
 * driver or executor, a step of an Argo workflow, or a logging-operator agent.
 */
export interface PolicyContainer {
  /** The object it belongs to (for an object embedded in another, e.g. a workflow step's SparkApplication, that one). */
  readonly doc: any;
  /** Where the container is declared in `doc`. */
  readonly path: string;
  /** The image reference, if declared. */
  readonly image?: string;
  /** The container's security context (container level). */
  readonly securityContext?: any;
  /** The pod's security context (pod level). */
  readonly podSecurityContext?: any;
  /** CPU and memory requests, memory limit, as rendered (or as the operator will render them). */
  readonly requests: { cpu?: unknown; memory?: unknown };
  /** The memory limit. */
  readonly memoryLimit?: unknown;
  /** Whether the container runs for as long as its workload (a server, an agent), so it needs probes. */
  readonly longRunning: boolean;
  /** Whether it declares (or the operator renders) a readiness probe. */
  readonly readiness: boolean;
  /** Whether it declares (or the operator renders) a liveness probe. */
  readonly liveness: boolean;
}

const WORKLOAD_TEMPLATES: { [kind: string]: { path: string[]; longRunning: boolean } } = {
  Pod: { path: ['spec'], longRunning: false },
  Deployment: { path: ['spec', 'template', 'spec'], longRunning: true },
  StatefulSet: { path: ['spec', 'template', 'spec'], longRunning: true },
  DaemonSet: { path: ['spec', 'template', 'spec'], longRunning: true },
  ReplicaSet: { path: ['spec', 'template', 'spec'], longRunning: true },
  Job: { path: ['spec', 'template', 'spec'], longRunning: false },
  CronJob: { path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'], longRunning: false },
};

/** Every container the documents declare, including those inside custom resources the platform renders. */
export function policyContainers(docs: any[]): PolicyContainer[] {
  return docs.flatMap(doc => containersOf(doc));
}

function containersOf(doc: any): PolicyContainer[] {
  const kind = doc?.kind;
  if (WORKLOAD_TEMPLATES[kind]) {
    const { path, longRunning } = WORKLOAD_TEMPLATES[kind];
    const podSpec = path.reduce((o, k) => o?.[k], doc);
    return podSpec ? podContainers(doc, path.join('.'), podSpec, longRunning) : [];
  }
  switch (kind) {
    case 'SparkApplication': return sparkContainers(doc, 'spec', doc.spec);
    case 'ScheduledSparkApplication': return sparkContainers(doc, 'spec.template', doc.spec?.template);
    case 'Workflow':
    case 'WorkflowTemplate':
    case 'ClusterWorkflowTemplate': return workflowContainers(doc, 'spec', doc.spec);
    case 'CronWorkflow': return workflowContainers(doc, 'spec.workflowSpec', doc.spec?.workflowSpec);
    case 'Logging': return doc.spec?.fluentd ? [fluentdContainer(doc, doc.spec.fluentd)] : [];
    case 'FluentbitAgent': return [fluentBitContainer(doc, doc.spec ?? {})];
    default: return [];
  }
}

function podContainers(doc: any, at: string, podSpec: any, longRunning: boolean): PolicyContainer[] {
  const lists: Array<[string, any[], boolean]> = [
    ['initContainers', podSpec.initContainers ?? [], false],
    ['containers', podSpec.containers ?? [], longRunning],
  ];
  return lists.flatMap(([list, containers, running]) => containers.map((c: any, i: number) => ({
    doc,
    path: `${at}.${list}[${i}]`,
    image: c.image,
    securityContext: c.securityContext,
    podSecurityContext: podSpec.securityContext,
    requests: { cpu: c.resources?.requests?.cpu, memory: c.resources?.requests?.memory },
    memoryLimit: c.resources?.limits?.memory,
    longRunning: running,
    readiness: c.readinessProbe !== undefined,
    liveness: c.livenessProbe !== undefined,
  })));
}

// spark-operator v1beta2: the driver and executor are described by SparkPodSpec; Spark itself sets the pod's
// memory request and limit to memory + overhead (BasicDriverFeatureStep / BasicExecutorFeatureStep) and the CPU
// request to coreRequest, else cores.
function sparkContainers(doc: any, at: string, spec: any): PolicyContainer[] {
  if (!spec) return [];
  return (['driver', 'executor'] as const).flatMap(role => {
    const pod = spec[role] ?? {};
    const main: PolicyContainer = {
      doc,
      path: `${at}.${role}`,
      image: pod.image ?? spec.image,
      securityContext: pod.securityContext,
      podSecurityContext: pod.podSecurityContext,
      requests: { cpu: pod.coreRequest ?? pod.cores, memory: pod.memory },
      memoryLimit: pod.memory,
      longRunning: false,
      readiness: false,
      liveness: false,
    };
    const extra = podContainers(doc, `${at}.${role}`, {
      containers: pod.sidecars ?? [],
      initContainers: pod.initContainers ?? [],
      securityContext: pod.podSecurityContext,
    }, false);
    return [main, ...extra];
  });
}

// Argo Workflows: a template's container, script or container set runs in a pod whose security context is the
// template's, else the workflow's; a resource template's manifest is an object the platform renders too.
function workflowContainers(doc: any, at: string, spec: any): PolicyContainer[] {
  if (!spec) return [];
  return (spec.templates ?? []).flatMap((template: any, i: number) => {
    const where = `${at}.templates[${i}]`;
    const podSpec = {
      securityContext: template.securityContext ?? spec.securityContext,
      initContainers: template.initContainers ?? [],
      containers: [
        ...(template.container ? [template.container] : []),
        ...(template.script ? [template.script] : []),
        ...(template.containerSet?.containers ?? []),
        ...(template.sidecars ?? []),
      ],
    };
    const own = podContainers(doc, where, podSpec, false);
    const manifest = typeof template.resource?.manifest === 'string' ? embeddedObjects(template.resource.manifest) : [];
    return [...own, ...manifest.flatMap(containersOf)];
  });
}

// A workflow step's manifest, with its `{{...}}` placeholders kept as strings. The YAML parser is loaded on first
// use: the package loads without it.
function embeddedObjects(manifest: string): any[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('yaml') as typeof import('yaml');
  return yaml.parseAllDocuments(manifest).map(d => d.toJSON()).filter(d => d && typeof d === 'object');
}

// logging-operator: the fluentd StatefulSet gets its probes from livenessProbe / livenessDefaultCheck and
// readinessProbe / readinessDefaultCheck (pkg/sdk/logging/api/v1beta1/fluentd_types.go SetDefaults,
// pkg/resources/fluentd/statefulset.go generateReadinessCheck).
function fluentdContainer(doc: any, fluentd: any): PolicyContainer {
  const readinessDefault = fluentd.readinessDefaultCheck?.bufferFreeSpace || fluentd.readinessDefaultCheck?.bufferFileNumber;
  return loggingAgent(doc, 'spec.fluentd', fluentd, fluentd.readinessProbe !== undefined || Boolean(readinessDefault));
}

// The fluent-bit DaemonSet: livenessDefaultCheck renders an HTTP probe on the metrics port
// (pkg/sdk/logging/api/v1beta1/logging_types.go); readiness only from readinessProbe.
function fluentBitContainer(doc: any, spec: any): PolicyContainer {
  return loggingAgent(doc, 'spec', spec, spec.readinessProbe !== undefined);
}

// What fluentd's and fluent-bit's specs share: image, resources, security, liveness.
function loggingAgent(doc: any, path: string, spec: any, readiness: boolean): PolicyContainer {
  return {
    doc,
    path,
    image: imageOf(spec.image),
    securityContext: spec.security?.securityContext,
    podSecurityContext: spec.security?.podSecurityContext,
    requests: { cpu: spec.resources?.requests?.cpu, memory: spec.resources?.requests?.memory },
    memoryLimit: spec.resources?.limits?.memory,
    longRunning: true,
    readiness,
    liveness: spec.livenessProbe !== undefined || spec.livenessDefaultCheck === true,
  };
}

function imageOf(image: any): string | undefined {
  if (!image?.repository) return undefined;
  return image.tag ? `${image.repository}:${image.tag}` : image.repository;
}
