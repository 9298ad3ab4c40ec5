import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PlatformBindings, WorkloadIdentity } from '../../bindings';
import { GitOps, SyncWave } from '../../delivery';
import { Logging, LoggingOperator } from '../../logging';
import { PlatformNetwork } from '../../network';
import { NodePool, NodeTaints } from '../../scheduling';
import { JobNamespace, SparkOperator } from '../../spark';
import { wiringProblem } from '../../validation';
import { ArgoWorkflows } from '../../workflows';

/**
 * What the checks read of a platform: `SparkPlatform` is one and passes itself, so this file never imports it
 * (imports run one way).
 *
 * @internal
 */
export interface CheckedPlatform extends IConstruct {
  readonly nodePools: NodePool[];
  readonly bindings: PlatformBindings;
  readonly sparkOperator: SparkOperator;
  readonly jobNamespaces: JobNamespace[];
  readonly workflows?: ArgoWorkflows;
  readonly gitOps?: GitOps;
  readonly loggingOperator?: LoggingOperator;
  readonly logging?: Logging;
  readonly network?: PlatformNetwork;
}

interface Rendered { readonly object: ApiObject; readonly json: any; readonly wave: number }
interface PodSpecLike { readonly where: string; readonly spec: any }

// Namespaces Kubernetes itself has.
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
// ClusterRoles every cluster has (Kubernetes' user-facing roles).
const SYSTEM_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);
// API groups whose custom resources an operator release of the platform owns.
const OPERATOR_GROUPS: { [group: string]: (p: CheckedPlatform) => string | undefined } = {
  'sparkoperator.k8s.io': p => p.sparkOperator.release.releaseName,
  'logging.banzaicloud.io': p => p.loggingOperator?.release.releaseName,
};
const ARGO_WORKFLOWS_KINDS = new Set(['WorkflowTemplate', 'CronWorkflow', 'Workflow', 'ClusterWorkflowTemplate', 'WorkflowTaskResult']);

/**
 * Every check of the platform as a whole: errors (synth fails) and warnings. `ownDocuments` are what the
 * platform's chart has just rendered (rendering is the cost of a synth: it is done once); objects of the app's
 * other charts are rendered here.
 */
export function checkPlatform(platform: CheckedPlatform, ownDocuments: any[]): { errors: string[]; warnings: string[] } {
  const rendered = renderedObjects(platform, ownDocuments);
  const errors = [
    ...checkTolerations(platform, rendered),
    ...checkUnique(platform, rendered),
    ...checkReferences(platform, rendered),
    ...checkWaves(platform, rendered),
    ...checkTeamIdentities(platform, rendered),
    ...platform.network?._checkSparkPorts(rendered) ?? [],
  ];
  return { errors, warnings: unusedPools(platform, rendered) };
}

// Pairs each rendered document of the platform's chart with its ApiObject (by apiVersion, kind, namespace and
// name, which an ApiObject knows without rendering), and renders the objects of the app's other charts.
function renderedObjects(platform: CheckedPlatform, ownDocuments: any[]): Rendered[] {
  const objects = platform.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const own = new Map<string, ApiObject[]>();
  const others: ApiObject[] = [];
  for (const object of objects) {
    // The platform is a chart: its own objects are those whose chart it is.
    if (Chart.of(object) as IConstruct !== platform) {
      others.push(object);
      continue;
    }
    const key = `${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.name}`;
    own.set(key, [...own.get(key) ?? [], object]);
  }
  const rendered: Rendered[] = [];
  for (const json of ownDocuments) {
    const object = own.get(keyOf(json))?.shift();
    if (object) rendered.push({ object, json, wave: SyncWave.of(object) });
  }
  for (const object of others) rendered.push({ object, json: object.toJson(), wave: SyncWave.of(object) });
  return rendered;
}

const keyOf = (json: any) => `${json.apiVersion} ${json.kind} ${json.metadata?.namespace ?? ''}/${json.metadata?.name}`;
const describe = (json: any) => `${json.kind} ${json.metadata?.namespace ? `${json.metadata.namespace}/` : ''}${json.metadata?.name}`;

function podSpecs(json: any): PodSpecLike[] {
  const where = describe(json);
  switch (json.kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': case 'Job':
      return [{ where, spec: json.spec?.template?.spec }];
    case 'CronJob':
      return [{ where, spec: json.spec?.jobTemplate?.spec?.template?.spec }];
    case 'SparkApplication':
      return [{ where: `${where} driver`, spec: json.spec?.driver }, { where: `${where} executor`, spec: json.spec?.executor }];
    case 'ScheduledSparkApplication':
      return [{ where: `${where} driver`, spec: json.spec?.template?.driver }, { where: `${where} executor`, spec: json.spec?.template?.executor }];
    case 'WorkflowTemplate':
      return [{ where: `${where} pods`, spec: json.spec }];
    default:
      return [];
  }
}

// The pools a pod selects: its node selector, or the pool requirement of its required node affinity.
function selectedPools(spec: any, pools: NodePool[]): NodePool[] | undefined {
  const byName = (names: string[]) => pools.filter(p => names.includes(p.name));
  const selector = spec?.nodeSelector?.[NodePool.POOL_LABEL];
  if (selector) return byName([selector]);
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const names = terms.flatMap((t: any) => (t.matchExpressions ?? []).filter((e: any) => e.key === NodePool.POOL_LABEL && e.operator === 'In').flatMap((e: any) => e.values));
  return names.length ? byName(names) : undefined;
}

/** Every pod tolerates exactly the taints of the pools it may land on: all of them, and no other pool's. */
function checkTolerations(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  const pools = platform.nodePools;
  const poolTaintKeys = new Set(pools.flatMap(p => p.taints.map(t => t.key)));
  const same = (a: any, b: any) => a.key === b.key && (a.operator ?? 'Equal') === b.operator && (a.value ?? undefined) === (b.value ?? undefined) && a.effect === b.effect;
  const errors: string[] = [];
  for (const { object, json } of rendered) {
    for (const { where, spec } of podSpecs(json)) {
      if (!spec) continue;
      const tolerations: any[] = (spec.tolerations ?? []).filter((t: any) => poolTaintKeys.has(t.key));
      const selected = selectedPools(spec, pools);
      const landsOn = selected ?? pools.filter(p => p.taints.every(taint => tolerations.some(t => same(t, NodeTaints.toleration(taint)))));
      const needed = landsOn.flatMap(p => p.taints.map(NodeTaints.toleration));
      for (const pool of selected ?? []) {
        const missing = pool.taints.map(NodeTaints.toleration).find(n => !tolerations.some(t => same(t, n)));
        if (missing) {
          errors.push(wiringProblem(object, `${where} selects pool "${pool.name}" but does not tolerate its taint ${missing.key}=${missing.value ?? ''}:${missing.effect}: `
            + 'it can never run there'));
        }
      }
      for (const toleration of tolerations) {
        if (!needed.some(n => same(toleration, n))) {
          const owner = pools.find(p => p.taints.some(taint => same(toleration, NodeTaints.toleration(taint))));
          errors.push(wiringProblem(object, `${where} tolerates ${toleration.key}=${toleration.value ?? ''}:${toleration.effect}`
            + `${owner ? ` (pool "${owner.name}")` : ''} but may not run on that pool: tolerate only the taints of the pools a pod is placed on (use Placement)`));
        }
      }
    }
  }
  return errors;
}

/** No two objects share apiVersion, kind, namespace and name. */
function checkUnique(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  const seen = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const { object, json } of rendered) {
    const key = keyOf(json);
    const other = seen.get(key);
    if (other) errors.push(wiringProblem(platform, `${describe(json)} is rendered twice (${other.node.path} and ${object.node.path}): the second would overwrite the first`));
    seen.set(key, object);
  }
  return errors;
}

/** Every referenced namespace, service account, role, output and pipeline exists. */
function checkReferences(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  // An index, not a scan per reference: the checks run on every synth, and grow with the platform.
  const index = new Set<string>();
  for (const { json } of rendered) {
    index.add(`${json.kind}|${json.metadata?.namespace ?? ''}|${json.metadata?.name}`);
    index.add(`${json.kind}|*|${json.metadata?.name}`);
  }
  const has = (kind: string, namespace: string | undefined, name: string) => index.has(`${kind}|${namespace === undefined ? '*' : namespace}|${name}`);
  const releaseNamespaces = new Set([platform.sparkOperator.release, platform.workflows?.release, platform.loggingOperator?.release]
    .filter(r => r !== undefined).map(r => r!.namespace));
  if (platform.gitOps) releaseNamespaces.add(platform.gitOps.argoCdNamespace);
  const errors: string[] = [];
  for (const { object, json } of rendered) {
    const ns = json.metadata?.namespace;
    if (ns && !SYSTEM_NAMESPACES.has(ns) && !releaseNamespaces.has(ns) && !has('Namespace', undefined, ns)) {
      errors.push(wiringProblem(object, `${describe(json)} is in namespace "${ns}", which nothing creates: render its Namespace (a JobNamespace does) or install it with a release`));
    }
    for (const { where, spec } of podSpecs(json)) {
      const account = spec?.serviceAccountName ?? spec?.serviceAccount;
      if (account && account !== 'default' && !has('ServiceAccount', ns, account)) {
        errors.push(wiringProblem(object, `${where} runs as service account "${account}", which namespace "${ns}" does not have`));
      }
    }
    if (json.kind === 'RoleBinding' || json.kind === 'ClusterRoleBinding') {
      for (const subject of json.subjects ?? []) {
        if (subject.kind === 'ServiceAccount' && !has('ServiceAccount', subject.namespace ?? ns, subject.name)) {
          errors.push(wiringProblem(object, `${describe(json)} binds service account "${subject.namespace ?? ns}/${subject.name}", which does not exist`));
        }
      }
      const ref = json.roleRef ?? {};
      const exists = ref.kind === 'Role' ? has('Role', ns, ref.name) : has('ClusterRole', undefined, ref.name) || SYSTEM_CLUSTER_ROLES.has(ref.name);
      if (!exists) errors.push(wiringProblem(object, `${describe(json)} refers to ${ref.kind} "${ref.name}", which does not exist`));
    }
    if (json.kind === 'Flow') {
      for (const name of json.spec?.localOutputRefs ?? []) {
        if (!has('Output', ns, name)) errors.push(wiringProblem(object, `${describe(json)} sends to Output "${name}", which namespace "${ns}" does not have`));
      }
    }
    if (json.kind === 'Flow' || json.kind === 'ClusterFlow') {
      for (const name of json.spec?.globalOutputRefs ?? []) {
        if (!has('ClusterOutput', platform.logging?.controlNamespace, name)) errors.push(wiringProblem(object, `${describe(json)} sends to ClusterOutput "${name}", which does not exist`));
      }
    }
    const template = json.kind === 'CronWorkflow' ? json.spec?.workflowSpec?.workflowTemplateRef?.name : undefined;
    if (template && !has('WorkflowTemplate', ns, template)) {
      errors.push(wiringProblem(object, `${describe(json)} runs pipeline (WorkflowTemplate) "${template}", which namespace "${ns}" does not have`));
    }
  }
  return errors;
}

/** Custom resources come after the operators that own their CRDs; namespaces before what lives in them. */
function checkWaves(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  const errors: string[] = [];
  const namespaces = new Map(rendered.filter(r => r.json.kind === 'Namespace').map(r => [r.json.metadata.name, r.wave]));
  const applications = new Map<string, number>();
  for (const r of rendered) {
    if (r.json.kind === 'Application' && !applications.has(r.json.metadata?.name)) applications.set(r.json.metadata?.name, r.wave);
  }
  const releaseWave = (name: string | undefined) => (name === undefined ? undefined : applications.get(name));
  for (const { object, json, wave } of rendered) {
    const namespaceWave = namespaces.get(json.metadata?.namespace);
    if (json.kind !== 'Namespace' && namespaceWave !== undefined && namespaceWave >= wave) {
      errors.push(wiringProblem(object, `${describe(json)} is in sync wave ${wave}, not after its Namespace (wave ${namespaceWave}): the first sync would fail`));
    }
    const group = String(json.apiVersion).split('/')[0];
    const owner = OPERATOR_GROUPS[group]?.(platform) ?? (group === 'argoproj.io' && ARGO_WORKFLOWS_KINDS.has(json.kind) ? platform.workflows?.release.releaseName : undefined);
    const operatorWave = releaseWave(owner);
    if (operatorWave !== undefined && wave <= operatorWave) {
      errors.push(wiringProblem(object, `${describe(json)} is in sync wave ${wave}, not after the operator "${owner}" that owns its CRD (wave ${operatorWave}): `
        + 'its kind would not exist yet; mark it with SyncWave.markCustomResource'));
    }
  }
  return errors;
}

/** Every team's service account carries the role the AWS side made for it (IRSA), or uses Pod Identity. */
function checkTeamIdentities(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  const errors: string[] = [];
  const accounts = new Map(rendered.filter(r => r.json.kind === 'ServiceAccount').map(r => [`${r.json.metadata?.namespace}/${r.json.metadata?.name}`, r]));
  for (const namespace of platform.jobNamespaces) {
    const identity = namespace.team.serviceAccount;
    const account = accounts.get(`${namespace.name}/${identity.name}`);
    if (!account) {
      errors.push(wiringProblem(namespace, `team "${namespace.team.name}" has no service account "${identity.name}" in "${namespace.name}"`));
      continue;
    }
    if (identity.identity !== WorkloadIdentity.IRSA) continue;
    const expected = platform.bindings.roleArn(identity);
    const actual = account.json.metadata.annotations?.['eks.amazonaws.com/role-arn'];
    if (actual !== expected) {
      errors.push(wiringProblem(account.object, `the service account of team "${namespace.team.name}" carries role ${JSON.stringify(actual)}, not ${expected}, `
        + 'the role the AWS side made for it (SparkEksCluster teams): its jobs could not read or write S3'));
    }
  }
  return errors;
}

/** A pool nothing is placed on costs nothing, but is probably a mistake. */
function unusedPools(platform: CheckedPlatform, rendered: Rendered[]): string[] {
  const used = new Set<string>();
  const walk = (value: any): void => {
    if (Array.isArray(value)) { value.forEach(walk); return; }
    if (!value || typeof value !== 'object') return;
    const selector = value.nodeSelector?.[NodePool.POOL_LABEL];
    if (typeof selector === 'string') used.add(selector);
    if (value.key === NodePool.POOL_LABEL && Array.isArray(value.values)) value.values.forEach((v: string) => used.add(v));
    Object.values(value).forEach(walk);
  };
  rendered.forEach(r => walk(r.json));
  // The operators' charts place their pods through their values.
  [platform.sparkOperator.release, platform.workflows?.release, platform.loggingOperator?.release].forEach(r => walk(r?.values));
  // A pipeline step's SparkApplication travels as a manifest string in its WorkflowTemplate: walk its spec.
  for (const pipeline of platform.workflows?.pipelines ?? []) pipeline.sparkSteps.forEach(step => walk(step._renderSpec()));
  return platform.nodePools.filter(p => !used.has(p.name))
    .map(p => `pool "${p.name}" runs nothing of the platform (no placement selects it): remove it, or place work on it`);
}
