/**
 * What the Kubernetes API server rejects beyond the OpenAPI schema, for the pod templates of workloads: the
 * schema harness (ajv) cannot see duplicates, dangling references or cross-field rules. Each rule names the
 * function of kubernetes/kubernetes `pkg/apis/core/validation/validation.go` (tag v1.33.0) or of the API
 * machinery file it comes from; a document the API server would refuse gives one problem per rule broken.
 */

// Pod templates by kind, as the API server reaches them (apps/v1, batch/v1, core/v1).
const POD_SPECS: { [kind: string]: string[] } = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

// apimachinery pkg/util/validation/validation.go IsDNS1123Label, IsValidPortName (IANA_SVC_NAME).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

// apimachinery pkg/api/resource/quantity.go: the value of a quantity in base units (enough to compare two).
const SUFFIXES: { [suffix: string]: number } = {
  '': 1,
  'm': 1e-3,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?[0-9.]+)(e[+-]?[0-9]+)?([a-zA-Z]*)$/.exec(q);
  if (!m || !(m[3] in SUFFIXES)) return undefined;
  return Number(m[1] + (m[2] ?? '')) * SUFFIXES[m[3]];
}

/** One rule broken: the object, where, and the API server's complaint with its source. */
export interface ApiServerProblem {
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

function objectName(doc: any): string {
  const meta = doc?.metadata ?? {};
  return `${doc?.kind} ${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? meta.generateName}`;
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** The problems of one pod spec (at `at` in `doc`). */
function podSpecProblems(doc: any, at: string, spec: any): ApiServerProblem[] {
  const found: ApiServerProblem[] = [];
  const add = (path: string, message: string) => found.push({ object: objectName(doc), path, message });
  const volumes: any[] = spec.volumes ?? [];
  const volumeNames = volumes.map(v => v.name);
  // validateVolumes: each name a DNS-1123 label, unique in the pod ("Duplicate value").
  for (const name of duplicates(volumeNames)) add(`${at}.volumes`, `duplicate volume name "${name}" (validateVolumes)`);
  volumeNames.forEach((n, i) => { if (!DNS1123_LABEL.test(n ?? '') || n.length > 63) add(`${at}.volumes[${i}].name`, `"${n}" is not a DNS-1123 label (validateVolumes)`); });

  const groups: Array<[string, any[]]> = [['initContainers', spec.initContainers ?? []], ['containers', spec.containers ?? []], ['ephemeralContainers', spec.ephemeralContainers ?? []]];
  // validateInitContainers / validateContainers: names are DNS-1123 labels, unique across all of the pod's containers.
  const allNames = groups.flatMap(([, cs]) => cs.map(c => c.name));
  for (const name of duplicates(allNames)) add(at, `duplicate container name "${name}" (validateContainers)`);
  for (const [group, containers] of groups) {
    containers.forEach((c, i) => {
      const where = `${at}.${group}[${i}]`;
      if (!DNS1123_LABEL.test(c.name ?? '') || c.name.length > 63) add(`${where}.name`, `"${c.name}" is not a DNS-1123 label (validateContainers)`);
      // ValidateVolumeMounts: a mount names a volume of the pod ("Not found"); mount paths are unique per container.
      const mounts: any[] = c.volumeMounts ?? [];
      mounts.forEach((m, j) => { if (!volumeNames.includes(m.name)) add(`${where}.volumeMounts[${j}].name`, `mounts "${m.name}", which is not a volume of the pod (ValidateVolumeMounts)`); });
      for (const p of duplicates(mounts.map(m => m.mountPath))) add(`${where}.volumeMounts`, `mount path "${p}" must be unique (ValidateVolumeMounts)`);
      // validateContainerPorts: names are IANA service names (at most 15 characters, a letter), unique per container.
      const ports: any[] = c.ports ?? [];
      ports.forEach((p, j) => {
        if (p.name !== undefined && (p.name.length > 15 || !PORT_NAME.test(p.name) || !/[a-z]/.test(p.name) || p.name.includes('--'))) {
          add(`${where}.ports[${j}].name`, `"${p.name}" is not an IANA service name of at most 15 characters (validateContainerPorts)`);
        }
      });
      for (const n of duplicates(ports.filter(p => p.name !== undefined).map(p => p.name))) add(`${where}.ports`, `duplicate port name "${n}" (validateContainerPorts)`);
      // ValidateContainerResourceRequirements / validateBasicResource: quantities non-negative, requests not above limits.
      const requests = c.resources?.requests ?? {};
      const limits = c.resources?.limits ?? {};
      for (const [kind, map] of [['requests', requests], ['limits', limits]] as const) {
        for (const [resource, q] of Object.entries(map)) {
          const v = quantityValue(q);
          if (v === undefined || v < 0) add(`${where}.resources.${kind}.${resource}`, `"${q}" is not a non-negative quantity (validateBasicResource)`);
        }
      }
      for (const [resource, q] of Object.entries(requests)) {
        const r = quantityValue(q);
        const l = quantityValue((limits as any)[resource]);
        if (r !== undefined && l !== undefined && r > l) add(`${where}.resources.requests.${resource}`, `request ${q} is above the limit ${(limits as any)[resource]} (ValidateContainerResourceRequirements)`);
      }
    });
  }
  return found;
}

/** Every problem the API server would answer for the documents' workloads, in document order. */
export function apiServerProblems(documents: any[]): ApiServerProblem[] {
  return documents.filter(d => d && typeof d === 'object' && POD_SPECS[d.kind]).flatMap(doc => {
    const path = POD_SPECS[doc.kind];
    const spec = path.reduce((o: any, k) => o?.[k], doc);
    return spec ? podSpecProblems(doc, path.join('.'), spec) : [];
  });
}
