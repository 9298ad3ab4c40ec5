// Turns upstream schemas into strict JSON Schema for ajv, the way the API server reads them under
// `kubectl apply --validate=strict`: unknown fields are errors, int-or-string takes both, nullable takes null.

type Schema = { [key: string]: any };

const INT_OR_STRING = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
// k8s.io/apimachinery resource.Quantity: a string in canonical syntax, or a JSON number.
const QUANTITY = {
  anyOf: [
    { type: 'number' },
    { type: 'string', pattern: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$' },
  ],
};

/** Keywords ajv understands; every other key (descriptions, x-kubernetes-* extensions) is dropped. */
const JSON_SCHEMA_KEYWORDS = new Set([
  'type', 'properties', 'additionalProperties', 'items', 'required', 'enum', 'format', 'pattern', 'minimum', 'maximum',
  'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'multipleOf', 'allOf', 'anyOf', 'oneOf', 'not', '$ref', 'default',
]);

/**
 * The Kubernetes OpenAPI v2 definitions as strict JSON Schema definitions (`#/definitions/<name>` refs kept).
 */
export function strictKubernetesDefinitions(definitions: Schema): Schema {
  const out: Schema = {};
  for (const [name, def] of Object.entries(definitions)) {
    if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') out[name] = INT_OR_STRING;
    else if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') out[name] = QUANTITY;
    else out[name] = strictOpenApiV2(def);
  }
  return out;
}

function strictOpenApiV2(node: Schema): Schema {
  const out = copyKeywords(node, strictOpenApiV2);
  // Objects that declare their fields reject any other field; maps (additionalProperties) and free-form
  // objects (RawExtension, FieldsV1) stay open.
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** The JSON Schema keywords of `node`, with `convert` applied to every subschema. */
function copyKeywords(node: Schema, convert: (s: Schema) => Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (!JSON_SCHEMA_KEYWORDS.has(key)) continue;
    if (key === 'properties') out.properties = mapValues(value, convert);
    else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) out[key] = convert(value);
    else if (['allOf', 'anyOf', 'oneOf', 'not'].includes(key)) out[key] = Array.isArray(value) ? value.map(convert) : convert(value);
    else out[key] = value;
  }
  return out;
}

/**
 * A CRD version's `openAPIV3Schema` as strict JSON Schema. The root `metadata` is checked against the
 * Kubernetes ObjectMeta definition at `objectMetaRef`, as the API server does.
 */
export function strictCrdSchema(openApiV3Schema: Schema, objectMetaRef: string): Schema {
  const root = strictStructural(openApiV3Schema);
  root.properties = { ...root.properties, metadata: { $ref: objectMetaRef } };
  return root;
}

function strictStructural(node: Schema): Schema {
  const out = copyKeywords(node, strictStructural);
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = INT_OR_STRING.anyOf;
  }
  if (node['x-kubernetes-embedded-resource']) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  // A structural schema prunes every field it does not declare (strict validation reports them), unless the
  // node preserves unknown fields or is a map.
  if (out.type === 'object' && out.additionalProperties === undefined && !node['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  if (node.nullable && out.type) {
    out.type = Array.isArray(out.type) ? [...out.type, 'null'] : [out.type, 'null'];
    if (out.enum) out.enum = [...out.enum, null];
  }
  return out;
}

function mapValues(obj: Schema, fn: (s: Schema) => Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(obj)) out[k] = fn(v);
  return out;
}
