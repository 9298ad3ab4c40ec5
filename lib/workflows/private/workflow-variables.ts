// Argo Workflows substitutes `{{...}}` tags in a template, its resource manifest included (argo-workflows
// docs/variables.md). The library lets a job's strings use the globals below and the pipeline's declared
// parameters; anything else would reach the cluster unsubstituted, or fail the workflow.

const TAG = /\{\{\s*([^{}]*?)\s*\}\}/g;
const GLOBALS = [
  'workflow.name', 'workflow.namespace', 'workflow.uid', 'workflow.serviceAccountName', 'workflow.duration',
  'workflow.creationTimestamp', 'workflow.scheduledTime', 'workflow.priority',
];
// Only in an exit handler, once the run is over (argo-workflows workflow/common/common.go).
const EXIT_GLOBALS = ['workflow.status', 'workflow.failures'];
const CREATION_TIMESTAMP = /^workflow\.creationTimestamp\.[A-Za-z]+$/;
const PARAMETER = /^workflow\.parameters\.([A-Za-z0-9_-]+)$/;

/** The `{{...}}` expressions of a string. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(TAG)].map(m => m[1]);
}

/** Why a variable is not one a pipeline step may use, or undefined when it is. */
export function variableProblem(variable: string, parameters: readonly string[], exitHandler = false): string | undefined {
  if (GLOBALS.includes(variable) || CREATION_TIMESTAMP.test(variable)) return undefined;
  if (EXIT_GLOBALS.includes(variable)) return exitHandler ? undefined : `uses "{{${variable}}}", which exists in the exit handler only`;
  const parameter = PARAMETER.exec(variable)?.[1];
  if (parameter !== undefined) {
    return parameters.includes(parameter)
      ? undefined
      : `uses parameter "${parameter}", which the pipeline does not declare (declared: ${parameters.length ? parameters.join(', ') : 'none'})`;
  }
  return `uses "{{${variable}}}": a pipeline step may use {{workflow.parameters.<name>}} of a declared parameter and the globals ${GLOBALS.join(', ')}`
    + ` (and ${EXIT_GLOBALS.join(', ')} in the exit handler)`;
}

/**
 * Every string in a JSON-like value that holds a workflow variable (`{{`), with the path it sits at. Paths are
 * built only for those: a Spark spec has hundreds of strings and a pipeline many steps.
 */
export function stringsIn(value: unknown, at = '', found: Array<[string, string]> = []): Array<[string, string]> {
  if (typeof value === 'string') {
    if (value.includes('{{')) found.push([at, value]);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] !== null && value[i] !== undefined) stringsIn(value[i], `${at}[${i}]`, found);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const v = (value as { [key: string]: unknown })[key];
      if (typeof v === 'string' ? v.includes('{{') : v !== null && typeof v === 'object') stringsIn(v, at ? `${at}.${key}` : key, found);
    }
  }
  return found;
}
