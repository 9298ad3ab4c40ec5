// One owner per chart fact: each release describes its components (pod labels, ports, Services) as the chart's
// templates make them from the release's values, and this checks every description against the real
// `helm template` output of the pinned chart (test/fixtures/helm-template.ts). The network and monitoring code
// read these descriptions; none retypes a chart's label set or port.
import { Testing } from 'cdk8s';
import { ChartComponent, HelmRelease, LoggingOperator, SparkOperator, SparkTeam, ArgoWorkflows } from '../lib';
import { helmTemplate } from './fixtures/helm-template';
import { bindings, spotPool, systemPool } from './fixtures/spark-platform';

function rendered(release: HelmRelease): any[] {
  const { releaseName, namespace, chartName, chartVersion, values } = release;
  return helmTemplate({ releaseName, namespace, chartName, chartVersion, values });
}

const selects = (selector: { [k: string]: string }, labels: { [k: string]: string } = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** What is wrong with a component's description, against the chart's output. */
function problems(documents: any[], component: ChartComponent): string[] {
  const found: string[] = [];
  const deployment = documents.find(d => d.kind === 'Deployment' && d.metadata.name === component.deploymentName);
  if (!deployment) return [`no Deployment ${component.deploymentName} among ${documents.filter(d => d.kind === 'Deployment').map(d => d.metadata.name).join(', ')}`];
  if ((deployment.metadata.namespace ?? component.namespace) !== component.namespace) found.push(`namespace ${deployment.metadata.namespace}`);
  const podLabels = deployment.spec.template.metadata.labels;
  if (!selects(component.podLabels, podLabels)) found.push(`pods carry ${JSON.stringify(podLabels)}, not ${JSON.stringify(component.podLabels)}`);
  // The description selects this Deployment's pods and no other workload's of the release.
  for (const other of documents.filter(d => ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(d.kind) && d !== deployment)) {
    if (selects(component.podLabels, other.spec.template.metadata.labels)) found.push(`also selects ${other.kind} ${other.metadata.name}`);
  }
  const containerPorts = deployment.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []);
  for (const port of component.ports) {
    if (!containerPorts.some((p: any) => p.containerPort === port.port && p.name === port.name)) found.push(`no container port ${JSON.stringify(port)} in ${JSON.stringify(containerPorts)}`);
  }
  if (component.service) {
    const service = documents.find(d => d.kind === 'Service' && d.metadata.name === component.service!.name);
    if (!service) return [...found, `no Service ${component.service.name}`];
    if (!selects(component.service.labels, service.metadata.labels)) found.push(`Service labels ${JSON.stringify(service.metadata.labels)}, not ${JSON.stringify(component.service.labels)}`);
    if (!selects(service.spec.selector, podLabels)) found.push('the Service does not select the pods');
    for (const port of component.service.ports) {
      if (!service.spec.ports.some((p: any) => p.port === port.port && p.name === port.name)) found.push(`no Service port ${JSON.stringify(port)} in ${JSON.stringify(service.spec.ports)}`);
    }
  }
  return found;
}

// The defaults, and a release renamed with its ports moved: the descriptions follow the values as the templates do.
function releases(variant: 'default' | 'moved') {
  const chart = Testing.chart();
  const moved = variant === 'moved';
  const spark = new SparkOperator(chart, 'spark', {
    nodePools: [systemPool, spotPool], bindings, ...(moved ? { releaseName: 'ops', extraValues: { webhook: { port: 9444 }, prometheus: { metrics: { port: 8181, portName: 'prom' } } } } : {}),
  });
  spark.addTeam(new SparkTeam({ name: 'team-a' }));
  const workflows = new ArgoWorkflows(chart, 'argo', {
    nodePools: [systemPool, spotPool], bindings, ...(moved ? { releaseName: 'pipelines', extraValues: { controller: { metricsConfig: { port: 9191 } }, server: { servicePort: 443 } } } : {}),
  });
  const logging = new LoggingOperator(chart, 'logging', { nodePools: [systemPool], ...(moved ? { releaseName: 'logs', extraValues: { http: { port: 8282 } } } : {}) });
  return [
    [`${variant}: spark-operator controller`, spark.release, spark.release.controller],
    [`${variant}: spark-operator webhook`, spark.release, spark.release.webhook],
    [`${variant}: argo-workflows controller`, workflows.release, workflows.release.controller],
    [`${variant}: argo-workflows server`, workflows.release, workflows.release.server],
    [`${variant}: logging-operator`, logging.release, logging.release.operator],
  ] as Array<[string, HelmRelease, ChartComponent]>;
}

describe('each component a release describes is what its chart renders', () => {
  test.each([...releases('default'), ...releases('moved')])('%s', (_name, release, component) => {
    expect(problems(rendered(release), component)).toEqual([]);
  });

  test('the descriptions move with the values (the check is not vacuous)', () => {
    const [, , moved] = releases('moved').find(([name]) => name.endsWith('webhook'))!;
    expect(moved).toMatchObject({ deploymentName: 'ops-spark-operator-webhook', ports: [{ name: 'webhook', port: 9444 }, { name: 'prom', port: 8181 }] });
    const [, release, stale] = releases('default').find(([name]) => name.endsWith('server'))!;
    expect(problems(rendered(release), { ...stale, podLabels: { ...stale.podLabels, 'app.kubernetes.io/name': 'argo-server' } }))
      .toEqual([expect.stringMatching(/^pods carry .*, not .*"argo-server"/)]);
  });
});
