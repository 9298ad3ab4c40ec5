import { Duration, Testing } from 'cdk8s';
import { parse } from 'yaml';
import { ConcurrencyPolicy, NodePool, PipelineRetry, RetryPolicy, SparkLabels, SparkTeam } from '../lib';
import { job, judge, workflowsFixture } from './fixtures/argo-workflows';
import { findObject, scalaJob } from './fixtures/spark-platform';
import { SchemaHarness, synthValid } from './validation/harness';

/** The SparkApplication a step creates at run time, with Argo's variables as a run would substitute them. */
function created(step: any, parameters: { [name: string]: string } = {}): any {
  let manifest: string = step.resource.manifest;
  manifest = manifest.replace(/\{\{workflow\.name\}\}/g, 'daily-x7k2q').replace(/\{\{workflow\.uid\}\}/g, '3f2c1a9e-0b1d-4e5f-8a7b-6c5d4e3f2a1b');
  for (const [name, value] of Object.entries(parameters)) manifest = manifest.split(`{{workflow.parameters.${name}}}`).join(value);
  const object = parse(manifest);
  // The API server names it from generateName (5 random characters).
  object.metadata.name = `${object.metadata.generateName}a1b2c`;
  delete object.metadata.generateName;
  return object;
}

function template(docs: any[], name: string): any {
  return findObject(docs, 'WorkflowTemplate', name);
}

describe('SparkPipeline', () => {
  test('a sequence: steps run one after another in the order added, each creating its job and waiting for it', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'daily', { parameters: { date: '2026-11-29' } });
    pipeline.addSparkStep('ingest', job({ arguments: ['--date', '{{workflow.parameters.date}}'] }));
    pipeline.addSparkStep('sessionize', job());
    const docs = synthValid(chart);
    const wt = template(docs, 'daily');
    expect(wt.metadata.namespace).toBe('team-a');
    expect(wt.spec.entrypoint).toBe('main');
    expect(wt.spec.serviceAccountName).toBe('spark-pipeline');
    expect(wt.spec.arguments).toEqual({ parameters: [{ name: 'date', value: '2026-11-29' }] });
    expect(wt.spec.templates[0]).toEqual({ name: 'main', steps: [[{ name: 'ingest', template: 'ingest' }], [{ name: 'sessionize', template: 'sessionize' }]] });
    const ingest = wt.spec.templates.find((t: any) => t.name === 'ingest');
    // docs/facts: a Spark step is a resource template that creates, owns and polls its SparkApplication.
    expect(ingest.resource).toMatchObject({
      action: 'create',
      setOwnerReference: true,
      successCondition: 'status.applicationState.state == COMPLETED',
      failureCondition: 'status.applicationState.state in (FAILED, SUBMISSION_FAILED)',
    });
    expect(pipeline.isDag).toBe(false);
  });

  test('the conditions end the step exactly on the Spark Operator\'s terminal states', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    workflows.addPipeline(namespace, 'daily').addSparkStep('ingest', job());
    const ingest = template(synthValid(chart), 'daily').spec.templates[1].resource;
    const outcome = (state: string) => judge(ingest, { status: { applicationState: { state } } });
    // spark-operator v2.5.2 api/v1beta2/sparkapplication_types.go application states.
    expect(outcome('COMPLETED')).toBe('succeeded');
    expect(outcome('FAILED')).toBe('failed');
    expect(outcome('SUBMISSION_FAILED')).toBe('failed');
    for (const state of ['', 'SUBMITTED', 'RUNNING', 'PENDING_RERUN', 'INVALIDATING', 'SUCCEEDING', 'FAILING', 'UNKNOWN']) {
      expect(outcome(state)).toBe('waiting');
    }
    expect(judge(ingest, {})).toBe('waiting');
  });

  test('the SparkApplication a step creates is valid against the pinned CRD, named per try, labelled and placed like a job', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'daily', { parameters: { date: 'x' } });
    pipeline.addSparkStep('ingest', job({ arguments: ['--date', '{{workflow.parameters.date}}'], sparkConf: { 'spark.app.run': '{{workflow.name}}' } }));
    const wt = template(synthValid(chart), 'daily');
    const manifest = wt.spec.templates[1].resource.manifest;
    expect(parse(manifest).metadata.generateName).toBe('ingest-');
    expect(manifest).not.toMatch(/null|&a|\*a/);
    const app = created(wt.spec.templates[1], { date: '2026-11-30' });
    SchemaHarness.get().assertValid([app]);
    expect(app.spec.arguments).toEqual(['--date', '2026-11-30']);
    expect(app.metadata.labels).toMatchObject({
      [SparkLabels.TEAM]: 'team-a', [SparkLabels.JOB]: 'ingest', [SparkLabels.PIPELINE]: 'daily', 'workflows.argoproj.io/workflow': 'daily-x7k2q',
    });
    // Retries belong to the pipeline: the try's SparkApplication does not restart itself.
    expect(app.spec.restartPolicy).toEqual({ type: 'Never' });
    expect(app.spec.executor.tolerations).toBeDefined();
    expect(app.spec.driver.podSecurityContext.runAsUser).toBe(185);
  });

  test('a DAG when steps declare dependencies; steps without start at once', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'weekly');
    const a = pipeline.addSparkStep('extract-a', job());
    const b = pipeline.addSparkStep('extract-b', job());
    const joined = pipeline.addSparkStep('join', job(), { dependsOn: [a, b] });
    pipeline.addSparkStep('report', job(), { dependsOn: [joined] });
    expect(pipeline.isDag).toBe(true);
    expect(template(synthValid(chart), 'weekly').spec.templates[0]).toEqual({
      name: 'main',
      dag: {
        tasks: [
          { name: 'extract-a', template: 'extract-a' },
          { name: 'extract-b', template: 'extract-b' },
          { name: 'join', template: 'join', dependencies: ['extract-a', 'extract-b'] },
          { name: 'report', template: 'report', dependencies: ['join'] },
        ],
      },
    });
  });

  test('retry with backoff, per-step and per-pipeline deadlines', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p', { deadline: Duration.hours(6) });
    pipeline.addSparkStep('a', job());
    pipeline.addSparkStep('b', job(), { retry: PipelineRetry.withBackoff({ limit: 5, policy: RetryPolicy.ON_ERROR, backoff: Duration.seconds(30) }), deadline: Duration.hours(1) });
    pipeline.addSparkStep('c', job(), { retry: PipelineRetry.none() });
    const wt = template(synthValid(chart), 'p');
    expect(wt.spec.activeDeadlineSeconds).toBe(21600);
    const [, a, b, c] = wt.spec.templates;
    expect(a.retryStrategy).toEqual({ limit: 2, retryPolicy: 'Always', backoff: { duration: '60s', factor: 2, cap: '600s' } });
    expect(a.activeDeadlineSeconds).toBeUndefined();
    expect(b.retryStrategy).toEqual({ limit: 5, retryPolicy: 'OnError', backoff: { duration: '30s', factor: 2, cap: '600s' } });
    expect(b.activeDeadlineSeconds).toBe(3600);
    expect(c.retryStrategy).toBeUndefined();
  });

  test('team and pipeline labels on the template, its runs and every pod; pods on on-demand capacity, non-root', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    workflows.addPipeline(namespace, 'p', { labels: { 'acme.io/domain': 'sessions' } }).addSparkStep('a', job());
    const wt = template(synthValid(chart), 'p');
    const labels = { [SparkLabels.TEAM]: 'team-a', [SparkLabels.COST_CENTER]: 'cc-1042', [SparkLabels.PIPELINE]: 'p', 'acme.io/domain': 'sessions' };
    expect(wt.metadata.labels).toEqual(labels);
    expect(wt.spec.workflowMetadata.labels).toEqual(labels);
    expect(wt.spec.podMetadata.labels).toEqual(labels);
    expect(wt.spec.nodeSelector).toEqual({ [NodePool.POOL_LABEL]: 'system' });
    expect(wt.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 8737, runAsGroup: 8737, seccompProfile: { type: 'RuntimeDefault' } });
    expect(wt.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('10');
  });

  test('an exit handler that other constructs add steps to, with the run\'s outcome', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p', { parameters: { date: 'x' } });
    pipeline.addSparkStep('a', job());
    pipeline.addExitStep('notify', { image: 'curlimages/curl:8.11.1', args: ['-d', '{{workflow.status}} {{workflow.duration}} {{workflow.parameters.date}}', 'http://hooks'] });
    const wt = template(synthValid(chart), 'p');
    expect(wt.spec.onExit).toBe('exit-handler');
    expect(wt.spec.templates.find((t: any) => t.name === 'exit-handler')).toEqual({ name: 'exit-handler', steps: [[{ name: 'notify', template: 'notify' }]] });
    const notify = wt.spec.templates.find((t: any) => t.name === 'notify');
    expect(notify.container).toMatchObject({
      image: 'curlimages/curl:8.11.1',
      securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
      resources: { limits: { memory: '128Mi' } },
    });
    const none = workflowsFixture();
    none.workflows.addPipeline(none.namespace, 'q').addSparkStep('a', job());
    expect(template(synthValid(none.chart), 'q').spec.onExit).toBeUndefined();
  });

  test('a schedule: an Argo 4 CronWorkflow from the pipeline\'s template', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'daily', { parameters: { date: 'yesterday', mode: 'full' } });
    pipeline.addSparkStep('a', job({ arguments: ['{{workflow.parameters.date}}', '{{workflow.parameters.mode}}'] }));
    pipeline.addSchedule('nightly', { schedules: ['0 1 * * *', '0 13 * * SAT'], timeZone: 'Europe/Amsterdam', parameters: { mode: 'incremental' } });
    const cron = findObject(synthValid(chart), 'CronWorkflow', 'daily-nightly');
    expect(cron.spec).toEqual({
      schedules: ['0 1 * * *', '0 13 * * SAT'],
      timezone: 'Europe/Amsterdam',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
      workflowMetadata: { labels: pipeline.labels },
      workflowSpec: { workflowTemplateRef: { name: 'daily' }, arguments: { parameters: [{ name: 'mode', value: 'incremental' }] } },
    });
    expect(cron.metadata.namespace).toBe('team-a');
  });

  // argo-workflows v4 pkg/apiclient/workflow/workflow.proto WorkflowSubmitRequest, server/workflow/workflow_server.go
  // SubmitWorkflow (client auth mode: the caller's token creates the Workflow), workflow/util ApplySubmitOpts
  // (parameters are "name=value", split at the first "=").
  test('on demand: the Argo Server submit call, which the namespace\'s submitter may make', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'daily', { parameters: { date: 'yesterday' } });
    pipeline.addSparkStep('a', job({ arguments: ['{{workflow.parameters.date}}'] }));
    workflows.addSubmitter(namespace);
    const request = pipeline.submitRequest({ date: '2026-11-30' });
    expect(request).toEqual({
      path: '/api/v1/workflows/team-a/submit',
      body: { namespace: 'team-a', resourceKind: 'WorkflowTemplate', resourceName: 'daily', submitOptions: { parameters: ['date=2026-11-30'] } },
    });
    // What the server does with the caller's token: create a Workflow in the namespace, then the caller follows it.
    const role = findObject(synthValid(chart), 'Role', 'pipeline-submitter');
    const can = (verb: string) => role.rules.some((r: any) => r.apiGroups.includes('argoproj.io') && r.resources.includes('workflows') && r.verbs.includes(verb));
    expect(['create', 'get', 'list', 'watch'].every(can)).toBe(true);
    expect(can('delete')).toBe(false);
    expect(() => pipeline.submitRequest({ day: 'x' })).toThrow(/team-a\/daily: invalid prop "parameters key" "day": is not a parameter of pipeline "daily"/);
    expect(pipeline.submitRequest().body.submitOptions).toEqual({});
  });

  test('a job used as a step is rendered inside the pipeline only', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const definition = job();
    workflows.addPipeline(namespace, 'p').addSparkStep('a', definition);
    workflows.addPipeline(namespace, 'q').addSparkStep('a', definition);
    const docs = synthValid(chart);
    expect(docs.filter(d => d.kind === 'SparkApplication')).toEqual([]);
    expect(docs.filter(d => d.kind === 'WorkflowTemplate')).toHaveLength(2);
  });
});

describe('SparkPipeline rejects bad input with the path, the prop, the value and what is allowed', () => {
  test('a dependency cycle, naming it', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p');
    const a = pipeline.addSparkStep('a', job());
    const b = pipeline.addSparkStep('b', job(), { dependsOn: [a] });
    const c = pipeline.addSparkStep('c', job(), { dependsOn: [b] });
    a.addDependency(c);
    expect(() => Testing.synth(chart)).toThrow(/team-a\/p: the steps' dependencies form a cycle: a -> c -> b -> a/);
  });

  test('a dependency on a step of another pipeline', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const other = workflows.addPipeline(namespace, 'other').addSparkStep('x', job());
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job(), { dependsOn: [other] });
    expect(() => Testing.synth(chart)).toThrow(/team-a\/p\/a: depends on step "x" \(.*team-a\/other\/x\), which is not a step of pipeline "p"/);
  });

  test('an undeclared parameter, or a variable Argo does not have', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p', { parameters: { date: 'x' } });
    pipeline.addSparkStep('a', job({ arguments: ['{{workflow.parameters.day}}'] }));
    pipeline.addSparkStep('b', job({ sparkConf: { 'spark.x': '{{inputs.parameters.x}}' } }));
    pipeline.addExitStep('e', { image: 'curlimages/curl:8.11.1', args: ['{{workflow.parameters.nope}}'] });
    expect(() => Testing.synth(chart)).toThrow(/team-a\/p\/a: arguments\[0\] uses parameter "day", which the pipeline does not declare \(declared: date\)/);
    expect(() => Testing.synth(chart)).toThrow(/team-a\/p\/b: sparkConf.spark.x uses "\{\{inputs.parameters.x\}\}"/);
    expect(() => Testing.synth(chart)).toThrow(/Exit-e: args\[0\] uses parameter "nope"/);
  });

  test('workflow.status outside the exit handler', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    workflows.addPipeline(namespace, 'p').addSparkStep('a', job({ arguments: ['{{workflow.status}}'] }));
    expect(() => Testing.synth(chart)).toThrow(/arguments\[0\] uses "\{\{workflow.status\}\}", which exists in the exit handler only/);
  });

  test('a pipeline without steps', () => {
    const { chart, workflows, namespace } = workflowsFixture();
    workflows.addPipeline(namespace, 'empty');
    expect(() => Testing.synth(chart)).toThrow(/team-a\/empty: the pipeline has no step/);
  });

  test.each([
    ['duplicate step names', (p: any) => { p.addSparkStep('a', job()); p.addSparkStep('b', job(), { name: 'a' }); }, /invalid prop "step" "a": is the name of another step/],
    ['a step name Argo or Kubernetes rejects', (p: any) => p.addSparkStep('Bad_Step', job()), /invalid prop "name" "Bad_Step": must be a DNS-1123 label/],
    ['a step name too long for its SparkApplications', (p: any) => p.addSparkStep('s'.repeat(51), job()), /invalid prop "name" "s{51}": must be at most 50 characters/],
    ['a step named like the pipeline\'s own templates', (p: any) => p.addSparkStep('main', job()), /invalid prop "name" "main": is a name the pipeline uses/],
    ['a step deadline that is not positive', (p: any) => p.addSparkStep('a', job(), { deadline: Duration.seconds(0) }), /invalid prop "deadline" 0: must be a whole number of seconds, at least 1/],
    ['a bad retry', (p: any) => p.addSparkStep('a', job(), { retry: PipelineRetry.withBackoff({ limit: 0 }) }), /invalid prop "retry.limit" 0/],
    ['a bad cron', (p: any) => p.addSchedule('s', { schedules: ['0 25 * * *'] }), /invalid prop "schedules\[0\]" "0 25 \* \* \*": hour field/],
    ['no schedule', (p: any) => p.addSchedule('s', { schedules: [] }), /invalid prop "schedules" \[\]/],
    ['a bad time zone', (p: any) => p.addSchedule('s', { schedules: ['@daily'], timeZone: 'Mars/Olympus' }), /invalid prop "timeZone" "Mars\/Olympus"/],
    ['a bad concurrency policy', (p: any) => p.addSchedule('s', { schedules: ['@daily'], concurrencyPolicy: 'Sometimes' as ConcurrencyPolicy }), /invalid prop "concurrencyPolicy" "Sometimes"/],
    ['an unknown schedule parameter', (p: any) => p.addSchedule('s', { schedules: ['@daily'], parameters: { day: 'x' } }), /invalid prop "parameters key" "day": is not a parameter of pipeline "p"/],
    ['a schedule name too long', (p: any) => p.addSchedule('s', { name: 'n'.repeat(53), schedules: ['@daily'] }), /invalid prop "name" "n{53}": must be a DNS-1123 label.*at most 52 characters/],
  ])('%s', (_what, act, error) => {
    const { workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p');
    expect(() => act(pipeline)).toThrow(error);
  });

  test.each([
    ['a pipeline name too long for its runs', { name: 'p'.repeat(58) }, /invalid prop "name" "p{58}": must be a DNS-1123 label of at most 57/],
    ['a pipeline name with dots', { name: 'a.b' }, /invalid prop "name" "a.b"/],
    ['a bad parameter name', { parameters: { 'a b': 'x' } }, /invalid prop "parameters key" "a b"/],
    ['a deadline that is not positive', { deadline: Duration.seconds(0) }, /invalid prop "deadline" 0/],
  ])('%s', (_what, options, error) => {
    const { workflows, namespace } = workflowsFixture();
    expect(() => workflows.addPipeline(namespace, 'p', options as any)).toThrow(error);
  });

  test('a job that is also a standalone job, or a job of another namespace', () => {
    const { workflows, namespace, operator } = workflowsFixture();
    const definition = job();
    namespace.addJob('standalone', definition);
    expect(() => workflows.addPipeline(namespace, 'p').addSparkStep('a', definition))
      .toThrow(/team-a\/p\/a: invalid prop "job" "standalone": is already a standalone job \(.*team-a\/standalone\): it would run on its own too/);
    const stepDefinition = job();
    workflows.addPipeline(namespace, 'q').addSparkStep('b', stepDefinition);
    expect(() => namespace.addJob('again', stepDefinition)).toThrow(/team-a\/again: invalid prop "job" "b": is already a pipeline step/);
    const other = operator.addTeam(new SparkTeam({ name: 'team-b' }));
    expect(() => workflows.addPipeline(other, 'r').addSparkStep('c', stepDefinition))
      .toThrow(/team-b\/r\/c: invalid prop "job" "b": is a job of namespace "team-a"/);
  });

  test('the same job twice in one pipeline', () => {
    const { workflows, namespace } = workflowsFixture();
    const pipeline = workflows.addPipeline(namespace, 'p');
    const definition = job();
    pipeline.addSparkStep('a', definition);
    expect(() => pipeline.addSparkStep('b', definition)).toThrow(/team-a\/p\/b: invalid prop "job" "a": is already step "a" of this pipeline/);
  });

  test('scalaJob fixture is untouched by the pipeline checks', () => {
    expect(scalaJob.name).toBeUndefined();
  });
});
