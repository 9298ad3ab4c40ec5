import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { App, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { strictCrdSchema, strictKubernetesDefinitions } from './json-schema';
import { HOW_TO_GET_SCHEMAS, schemaDir } from './schema-dirs';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, labelValueProblem, qualifiedNameProblem } from '../../lib/validation';

/**
 * The offline stand-in for `kubectl apply --validate=strict` (DESIGN §4): every object is checked against the
 * pinned Kubernetes 1.33 OpenAPI (core kinds) or the pinned upstream CRDs (custom resources), strictly.
 */
export class SchemaHarness {
  /** One harness per test file: loading and compiling the schemas is the expensive part. */
  public static get(): SchemaHarness {
    return (SchemaHarness.shared ??= new SchemaHarness(schemaDir()));
  }

  private static readonly K8S_ID = 'kubernetes.json';
  private static readonly OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
  private static shared?: SchemaHarness;

  private readonly ajv: Ajv;
  private readonly coreKinds = new Map<string, string>(); // "apiVersion|kind" -> definition name
  private readonly crdFiles = new Map<string, string>(); // "group|kind" -> CRD file
  private readonly namespacedKinds = new Set<string>(); // "group|kind" of every namespaced kind
  private readonly clusterKinds = new Set<string>(); // "group|kind" of every cluster-scoped kind
  private readonly validators = new Map<string, ValidateFunction | string>();

  public constructor(private readonly dir: string) {
    const swaggerFile = path.join(dir, 'kubernetes', 'v1.33', 'swagger.json');
    if (!fs.existsSync(swaggerFile)) {
      throw new Error(`schema harness: no Kubernetes OpenAPI at ${swaggerFile}: ${HOW_TO_GET_SCHEMAS}`);
    }
    // CRD patterns are Go (RE2) regular expressions: `(?i)` is a flag there (prometheus-operator's CRDs put it after `^`), not a group.
    const goRegExp = (source: string, flags: string) => (source.includes('(?i)') ? new RegExp(source.replace(/\(\?i\)/g, ''), `${flags}i`) : new RegExp(source, flags));
    this.ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, code: { regExp: goRegExp as any } });
    addFormats(this.ajv, ['date-time', 'byte']);
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });

    const swagger = JSON.parse(fs.readFileSync(swaggerFile, 'utf-8'));
    this.ajv.addSchema({ $id: SchemaHarness.K8S_ID, definitions: strictKubernetesDefinitions(swagger.definitions) });
    for (const [name, def] of Object.entries<any>(swagger.definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        const key = `${apiVersion}|${gvk.kind}`;
        // Prefer the definition named after the kind (DeleteOptions and friends list every group).
        if (!this.coreKinds.has(key) || name.endsWith(`.${gvk.kind}`)) this.coreKinds.set(key, name);
      }
    }
    // A kind is namespaced when the API serves it under /namespaces/{namespace}/ (the API server's scope).
    for (const [route, operations] of Object.entries<any>(swagger.paths)) {
      for (const operation of Object.values<any>(operations)) {
        const gvk = operation?.['x-kubernetes-group-version-kind'];
        if (!gvk || !['post', 'put', 'get', 'list'].includes(operation['x-kubernetes-action'])) continue;
        (route.includes('{namespace}') ? this.namespacedKinds : this.clusterKinds).add(`${gvk.group}|${gvk.kind}`);
      }
    }
    for (const key of this.namespacedKinds) this.clusterKinds.delete(key);
    this.indexCrds();
  }

  /**
   * Validates documents, returning one message per problem (empty when the documents would all be accepted).
   */
  public validate(documents: any[]): string[] {
    const problems: string[] = [];
    const identities = new Map<string, number>();
    documents.forEach((doc, index) => {
      const id = describe(doc, index);
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
        problems.push(`${id}: not an object`);
        return;
      }
      const validator = this.validatorFor(doc.apiVersion, doc.kind);
      if (typeof validator === 'string') {
        problems.push(`${id}: ${validator}`);
        return;
      }
      if (!validator(doc)) problems.push(...formatErrors(id, validator.errors ?? []));
      problems.push(...metadataProblems(id, doc));
      const scopeProblem = this.scopeProblem(doc);
      if (scopeProblem) problems.push(`${id}: ${scopeProblem}`);
      const identity = `${doc.apiVersion}|${doc.kind}|${doc.metadata?.namespace ?? ''}|${doc.metadata?.name}`;
      if (identities.has(identity)) problems.push(`${id}: same apiVersion, kind, namespace and name as document #${identities.get(identity)}`);
      identities.set(identity, index);
    });
    return problems;
  }

  /** Throws with every problem listed unless all documents are valid. */
  public assertValid(documents: any[]): void {
    const problems = this.validate(documents);
    if (problems.length > 0) {
      throw new Error(`${problems.length} schema problem(s) in ${documents.length} document(s):\n  ${problems.join('\n  ')}`);
    }
  }

  /** Synthesizes a chart (or every chart of an app) and asserts that every object is valid; returns the documents. */
  public assertValidSynth(target: Chart | App): any[] {
    const documents = target instanceof App ? target.charts.flatMap(c => c.toJson()) : Testing.synth(target);
    this.assertValid(documents);
    return documents;
  }

  /**
   * The API server refuses a namespace on a cluster-scoped kind; a namespaced kind without one lands in
   * whatever namespace the applier defaults to (Argo CD: the Application's destination), never what was meant.
   */
  private scopeProblem(doc: any): string | undefined {
    const namespaced = this.isNamespaced(doc);
    if (namespaced === true && !doc.metadata?.namespace) return `${doc.kind} is namespaced: metadata.namespace is required`;
    if (namespaced === false && doc.metadata?.namespace !== undefined) return `${doc.kind} is cluster-scoped: metadata.namespace must not be set`;
    return undefined;
  }

  /**
   * Whether the API server serves the document's kind in namespaces (the OpenAPI's paths, the CRDs' `spec.scope`),
   * or undefined for a kind it does not know.
   */
  public isNamespaced(doc: any): boolean | undefined {
    const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : '';
    const key = `${group}|${doc.kind}`;
    let namespaced: boolean | undefined = this.namespacedKinds.has(key) ? true : this.clusterKinds.has(key) ? false : undefined;
    if (namespaced === undefined && this.crdFiles.has(key)) {
      const scope = /^ {2}scope: (\S+)\s*$/m.exec(fs.readFileSync(this.crdFiles.get(key)!, 'utf-8').slice(0, 20_000))?.[1];
      namespaced = scope === undefined ? undefined : scope === 'Namespaced';
    }
    return namespaced;
  }

  private validatorFor(apiVersion: unknown, kind: unknown): ValidateFunction | string {
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') return 'apiVersion and kind must be strings';
    const key = `${apiVersion}|${kind}`;
    let validator = this.validators.get(key);
    if (validator === undefined) {
      validator = this.compile(apiVersion, kind);
      this.validators.set(key, validator);
    }
    return validator;
  }

  private compile(apiVersion: string, kind: string): ValidateFunction | string {
    const coreDefinition = this.coreKinds.get(`${apiVersion}|${kind}`);
    if (coreDefinition) {
      return this.ajv.compile({
        allOf: [
          { $ref: `${SchemaHarness.K8S_ID}#/definitions/${coreDefinition}` },
          { required: ['apiVersion', 'kind', 'metadata'], properties: { apiVersion: { const: apiVersion }, kind: { const: kind } } },
        ],
      });
    }
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const file = this.crdFiles.get(`${group}|${kind}`);
    if (!file) return `no schema for ${apiVersion} ${kind}: not a Kubernetes 1.33 kind and no pinned CRD in ${this.dir} defines it`;
    const crd = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJS()).find(d => d?.kind === 'CustomResourceDefinition');
    const crdVersion = crd.spec.versions.find((v: any) => v.name === version);
    if (!crdVersion) {
      return `no schema for ${apiVersion} ${kind}: the pinned CRD serves ${crd.spec.versions.map((v: any) => v.name).join(', ')}`;
    }
    if (!crdVersion.served) return `${apiVersion} ${kind} is not served by the pinned CRD`;
    const schema = strictCrdSchema(crdVersion.schema.openAPIV3Schema, `${SchemaHarness.K8S_ID}#/definitions/${SchemaHarness.OBJECT_META}`);
    return this.ajv.compile({
      allOf: [
        schema,
        { required: ['apiVersion', 'kind', 'metadata'], properties: { apiVersion: { const: apiVersion }, kind: { const: kind } } },
      ],
    });
  }

  /** Indexes the CRDs by group and kind from their headers, parsing a file only when one of its kinds is validated. */
  private indexCrds(): void {
    for (const folder of fs.readdirSync(this.dir, { withFileTypes: true })) {
      if (!folder.isDirectory() || folder.name === 'kubernetes') continue;
      for (const file of fs.readdirSync(path.join(this.dir, folder.name))) {
        if (!/\.ya?ml$/.test(file)) continue;
        const full = path.join(this.dir, folder.name, file);
        const head = fs.readFileSync(full, 'utf-8').slice(0, 20_000);
        const group = /^ {2}group: (\S+)\s*$/m.exec(head)?.[1];
        const kind = /^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\S+)\s*$/m.exec(head)?.[1];
        if (group && kind) this.crdFiles.set(`${group.replace(/['"]/g, '')}|${kind.replace(/['"]/g, '')}`, full);
      }
    }
  }
}

/** Validates documents with the shared harness; throws listing every problem. */
export function expectValidManifests(documents: any[]): void {
  SchemaHarness.get().assertValid(documents);
}

/** Synthesizes a chart and validates every object with the shared harness; returns the documents. */
export function synthValid(chart: Chart): any[] {
  return SchemaHarness.get().assertValidSynth(chart);
}

function describe(doc: any, index: number): string {
  const ns = doc?.metadata?.namespace ? `${doc.metadata.namespace}/` : '';
  return `#${index} ${doc?.kind ?? '?'} ${ns}${doc?.metadata?.name ?? '?'}`;
}

function formatErrors(id: string, errors: ErrorObject[]): string[] {
  // allOf/anyOf wrappers repeat their branches' errors: keep the specific ones.
  const messages = errors
    .filter(e => e.keyword !== 'anyOf' && e.keyword !== 'allOf')
    .map(e => {
      const at = e.instancePath || '/';
      if (e.keyword === 'additionalProperties') return `${id}: ${at}: unknown field "${(e.params as any).additionalProperty}"`;
      if (e.keyword === 'enum') return `${id}: ${at}: ${e.message} (${(e.params as any).allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')})`;
      return `${id}: ${at}: ${e.message}`;
    });
  return [...new Set(messages)];
}

// The API server's own checks on names and labels, which the OpenAPI does not express.
const DNS_LABEL_NAMED_KINDS = new Set(['Namespace']);
const DNS_1035_NAMED_KINDS = new Set(['Service']);

function metadataProblems(id: string, doc: any): string[] {
  const problems: string[] = [];
  const name = doc.metadata?.name;
  if (typeof name !== 'string' || name.length === 0) {
    if (!doc.metadata?.generateName) problems.push(`${id}: metadata.name is required`);
  } else if (DNS_1035_NAMED_KINDS.has(doc.kind) && doc.apiVersion === 'v1' ? !isDns1035Label(name)
    : DNS_LABEL_NAMED_KINDS.has(doc.kind) ? !isDns1123Label(name) : !isDns1123Subdomain(name)) {
    problems.push(`${id}: metadata.name "${name}" is not a valid ${doc.kind} name`);
  }
  const namespace = doc.metadata?.namespace;
  if (namespace !== undefined && !isDns1123Label(namespace)) problems.push(`${id}: metadata.namespace "${namespace}" is not a DNS-1123 label`);
  for (const [key, value] of Object.entries<any>(doc.metadata?.labels ?? {})) {
    const problem = qualifiedNameProblem(key) ?? labelValueProblem(value);
    if (problem) problems.push(`${id}: label ${key}=${value}: ${problem}`);
  }
  for (const key of Object.keys(doc.metadata?.annotations ?? {})) {
    const problem = qualifiedNameProblem(key);
    if (problem) problems.push(`${id}: annotation ${key}: ${problem}`);
  }
  return problems;
}
