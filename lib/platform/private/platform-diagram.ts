import { IConstruct } from 'constructs';
import { ClusterAutoscaler, Karpenter } from '../../autoscaling';
import { GitOps } from '../../delivery';
import { SparkHistoryServer } from '../../history';
import { Logging } from '../../logging';
import { PlatformMonitoring } from '../../monitoring';
import { NodePool } from '../../scheduling';
import { JobNamespace } from '../../spark';
import { ArgoWorkflows } from '../../workflows';

/**
 * What the diagram draws of a platform: `SparkPlatform` is one and passes itself, so this file never imports it
 * (imports run one way).
 *
 * @internal
 */
export interface DrawnPlatform extends IConstruct {
  readonly nodePools: NodePool[];
  readonly jobNamespaces: JobNamespace[];
  readonly clusterAutoscaler?: ClusterAutoscaler;
  readonly karpenter?: Karpenter;
  readonly workflows?: ArgoWorkflows;
  readonly historyServer?: SparkHistoryServer;
  readonly logging?: Logging;
  readonly monitoring?: PlatformMonitoring;
  readonly gitOps?: GitOps;
}

// Mermaid node ids: letters, digits and '_'.
const id = (...parts: string[]) => parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
const label = (text: string) => `"${text.replace(/"/g, '\'')}"`;

/**
 * The platform as a Mermaid flowchart: the node pools, the platform's components, and each team with its jobs
 * and pipelines (steps and their order), every line derived from the objects, in a stable order.
 */
export function platformDiagram(platform: DrawnPlatform): string {
  const lines: string[] = ['flowchart LR'];
  lines.push('  subgraph pools["Node pools"]');
  for (const pool of platform.nodePools) {
    const taints = pool.taints.length ? `, tainted ${pool.taints.map(t => `${t.key}=${t.value ?? ''}`).join(' ')}` : '';
    lines.push(`    ${id('pool', pool.name)}[${label(`${pool.name}: ${pool.capacityType.toLowerCase().replace('_', '-')}, ${pool.instanceTypes.join(' ')}${taints}`)}]`);
  }
  for (const pool of platform.nodePools.filter(p => p.fallback)) lines.push(`    ${id('pool', pool.name)} -. "falls back to" .-> ${id('pool', pool.fallback!.name)}`);
  lines.push('  end');

  const components: Array<[string, string] | undefined> = [
    ['spark_operator', 'Spark Operator'],
    platform.workflows ? ['argo_workflows', 'Argo Workflows'] : undefined,
    platform.historyServer ? ['history_server', 'Spark History Server'] : undefined,
    platform.clusterAutoscaler ? ['cluster_autoscaler', 'cluster-autoscaler'] : undefined,
    platform.karpenter ? ['karpenter', 'Karpenter'] : undefined,
    platform.logging ? ['logging', 'Logging: fluent-bit, fluentd'] : undefined,
    platform.monitoring ? ['monitoring', 'Monitoring: Pushgateway, alerts, dashboards'] : undefined,
    platform.gitOps ? ['argo_cd', 'Argo CD'] : undefined,
  ];
  lines.push('  subgraph components["Platform components"]');
  for (const [key, text] of components.filter((c): c is [string, string] => c !== undefined)) lines.push(`    ${key}[${label(text)}]`);
  lines.push('  end');
  if (platform.clusterAutoscaler) lines.push('  cluster_autoscaler -- scales --> pools');
  if (platform.karpenter) lines.push('  karpenter -- launches nodes of --> pools');
  if (platform.gitOps) lines.push('  argo_cd -- syncs --> components');

  for (const namespace of platform.jobNamespaces) {
    const team = id('team', namespace.name);
    lines.push(`  subgraph ${team}[${label(`team ${namespace.team.name} (namespace ${namespace.name})`)}]`);
    for (const job of namespace.jobNames) lines.push(`    ${id('job', namespace.name, job)}[${label(`job ${job}`)}]`);
    for (const pipeline of (platform.workflows?.pipelines ?? []).filter(p => p.namespace === namespace)) {
      const pid = id('pipeline', namespace.name, pipeline.name);
      const schedules = pipeline.schedules.map(s => s.name).join(', ');
      lines.push(`    subgraph ${pid}[${label(`pipeline ${pipeline.name}${schedules ? ` (scheduled: ${schedules})` : ''}`)}]`);
      const steps = pipeline.allSteps;
      for (const step of steps) lines.push(`      ${id(pid, step.name)}[${label(step.name)}]`);
      steps.forEach((step, i) => {
        const before = pipeline.isDag ? step.dependsOn : (i > 0 ? [steps[i - 1]] : []);
        for (const dependency of before) lines.push(`      ${id(pid, dependency.name)} --> ${id(pid, step.name)}`);
      });
      lines.push('    end');
    }
    lines.push('  end');
    lines.push(`  spark_operator -- runs --> ${team}`);
  }
  return `${lines.join('\n')}\n`;
}
