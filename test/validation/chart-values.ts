import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { HOW_TO_GET_SCHEMAS, chartsDir } from './schema-dirs';

/**
 * The value paths in `values` that the upstream chart's `values.yaml` (in `$SPARK_PLATFORM_CHARTS_DIR/<chart>`)
 * does not have. A path is known when it exists upstream, or lies under an upstream map that is empty (`{}`, a
 * free-form map such as `nodeSelector`), under an upstream list or scalar (the library replaces it whole), or
 * under a Kubernetes map (`nodeSelector`, `labels`, `annotations`, ...), or under one of `freeFormPaths` (maps
 * upstream documents as open, such as argo-cd's `configs.cm`).
 */
// Kubernetes maps every chart passes through as they are (their keys are the user's, not the chart's).
const FREE_FORM_KEYS = new Set(['nodeSelector', 'labels', 'annotations', 'podLabels', 'podAnnotations', 'commonLabels']);

export function unknownChartValues(chart: string, values: { [key: string]: any }, freeFormPaths: string[] = []): string[] {
  const file = path.join(chartsDir(), chart, 'values.yaml');
  if (!fs.existsSync(file)) throw new Error(`no upstream values.yaml for chart "${chart}" at ${file}: ${HOW_TO_GET_SCHEMAS}`);
  const upstream = parse(fs.readFileSync(file, 'utf-8')) ?? {};
  const unknown: string[] = [];
  const walk = (ours: any, theirs: any, at: string[]) => {
    if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return;
    if (freeFormPaths.includes(at.join('.')) || FREE_FORM_KEYS.has(at[at.length - 1])) return;
    if (theirs === null || typeof theirs !== 'object' || Array.isArray(theirs)) return;
    if (Object.keys(theirs).length === 0) return;
    for (const [key, value] of Object.entries(ours)) {
      if (!(key in theirs)) unknown.push([...at, key].join('.'));
      else walk(value, theirs[key], [...at, key]);
    }
  };
  walk(values, upstream, []);
  return unknown;
}

/** Fails listing every value path the library sets that the upstream chart does not have. */
export function expectValuesExistInChart(chart: string, values: { [key: string]: any }, freeFormPaths: string[] = []): void {
  const unknown = unknownChartValues(chart, values, freeFormPaths);
  if (unknown.length > 0) {
    throw new Error(`values not in the upstream ${chart} chart's values.yaml: ${unknown.join(', ')}`);
  }
}
