/**
 * Merges Helm values the way Helm merges values files: objects merge key by key, anything else (lists
 * included) is replaced by the override, and an override of `null` removes the key.
 */
export function deepMerge(base: { [key: string]: any }, override: { [key: string]: any } | undefined): { [key: string]: any } {
  const result: { [key: string]: any } = { ...base };
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = deepMerge(result[key], value);
    } else {
      result[key] = clone(value);
    }
  }
  return result;
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone(value: any): any {
  if (Array.isArray(value)) return value.map(clone);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}
