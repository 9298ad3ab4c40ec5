// The YAML of the manifests a workflow step creates: block maps and lists for people reading dist/, every string
// double-quoted with JSON's escapes (a double-quoted YAML scalar accepts them: YAML 1.2 §7.3.1, and 1.1 alike), so
// no value can be read as another type or break the document. Much faster than a general YAML writer, which
// matters: a platform renders one per pipeline step.

// Keys written without quotes: words YAML 1.1 and 1.2 read as strings (not booleans, null or numbers).
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;
const YAML11_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

function key(name: string): string {
  return PLAIN_KEY.test(name) && !YAML11_WORDS.test(name) ? name : JSON.stringify(name);
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} in a manifest`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  throw new Error(`cannot write a ${typeof value} in a manifest`);
}

function lines(value: unknown, indent: string, out: string[], prefix: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push(`${prefix}[]`);
      return;
    }
    if (prefix) out.push(prefix.trimEnd());
    for (const item of value) lines(item, `${indent}  `, out, `${indent}- `);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${prefix}{}`);
      return;
    }
    let first = true;
    for (const [name, v] of entries) {
      // The first key of a map in a list shares the line of its "- ".
      const lead = first && prefix.endsWith('- ') ? prefix : indent;
      first = false;
      const nested = v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.values(v).some(x => x !== undefined));
      if (nested) {
        out.push(`${lead}${key(name)}:`);
        lines(v, Array.isArray(v) ? indent : `${indent}  `, out, '');
      } else {
        lines(v, indent, out, `${lead}${key(name)}: `);
      }
    }
    return;
  }
  out.push(`${prefix}${scalar(value)}`);
}

/** Plain data (maps, lists, strings, numbers, booleans, null) as a YAML document. */
export function manifestYaml(value: { [key: string]: any }): string {
  const out: string[] = [];
  lines(value, '', out, '');
  return `${out.join('\n')}\n`;
}
