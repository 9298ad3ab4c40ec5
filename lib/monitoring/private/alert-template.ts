// What Prometheus' alert templates may hold (Go text/template with Prometheus' functions: prometheus
// template/template.go NewTemplateExpander funcMap, and Go's text/template builtins and keywords). A template that
// does not parse makes the prometheus-operator's admission webhook reject the whole PrometheusRule.
const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false']);
const BUILTINS = new Set(['and', 'or', 'not', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'len', 'index', 'print', 'printf', 'println', 'html', 'js',
  'urlquery', 'call', 'slice']);
const PROMETHEUS_FUNCTIONS = new Set(['query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title',
  'toUpper', 'toLower', 'graphLink', 'tableLink', 'sortByLabel', 'humanize', 'humanize1024', 'humanizeDuration', 'humanizePercentage',
  'humanizeTimestamp', 'toTime', 'toDuration', 'now', 'pathPrefix', 'externalURL', 'parseDuration', 'stripPort', 'stripDomain', 'urlQueryEscape']);
const VARIABLES = new Set(['$labels', '$externalLabels', '$externalURL', '$value', '$']);

/** Why an alert annotation's template would not expand, or undefined when it would. */
export function alertTemplateProblem(template: string): string | undefined {
  const actions: string[] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{{');
    const close = rest.indexOf('}}');
    if (open < 0 && close < 0) break;
    if (open < 0 || (close >= 0 && close < open)) return 'has "}}" without an opening "{{"';
    const end = rest.indexOf('}}', open + 2);
    if (end < 0) return 'has "{{" without a closing "}}"';
    const action = rest.slice(open + 2, end);
    if (action.includes('{{')) return `has "{{" inside the action "{{${action}}}"`;
    actions.push(action.replace(/^-\s|\s-$/g, '').trim());
    rest = rest.slice(end + 2);
  }
  const declared = new Set(actions.flatMap(a => [...a.matchAll(/(\$[A-Za-z_][A-Za-z0-9_]*)\s*:?=/g)].map(m => m[1])));
  let depth = 0;
  for (const action of actions) {
    if (action === '' ) return 'has an empty action "{{ }}"';
    if (action.startsWith('/*')) continue;
    const code = action.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)'/g, '""');
    if (/["`]/.test(code.replace(/""/g, ''))) return `has an unterminated string in "{{ ${action} }}"`;
    const first = /^[A-Za-z]+/.exec(code)?.[0];
    if (first && ['if', 'range', 'with', 'define', 'block'].includes(first)) depth++;
    if (first === 'end') depth--;
    if (depth < 0) return 'has "{{ end }}" without an opening if, range or with';
    for (const m of code.matchAll(/(^|[^A-Za-z0-9_.$])([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const word = m[2];
      if (!KEYWORDS.has(word) && !BUILTINS.has(word) && !PROMETHEUS_FUNCTIONS.has(word)) return `calls "${word}", which is not a template function of Prometheus (in "{{ ${action} }}")`;
    }
    for (const m of code.matchAll(/\$[A-Za-z_][A-Za-z0-9_]*|\$(?![A-Za-z_])/g)) {
      if (!VARIABLES.has(m[0]) && !declared.has(m[0])) return `uses "${m[0]}", which is not a variable of an alert template ($labels, $value, $externalLabels, $externalURL) (in "{{ ${action} }}")`;
    }
  }
  if (depth > 0) return 'opens an if, range or with without "{{ end }}"';
  return undefined;
}
