import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { JobNamespace } from '../spark';
import { checkDns1123Subdomain, checkShape } from '../validation';

/**
 * Options of `ArgoWorkflows.addSubmitter()`.
 */
export interface PipelineSubmitterOptions {
  /**
   * The service account's name (and its token Secret's, with `-token`).
   *
   * @default PipelineSubmitter.DEFAULT_NAME ('pipeline-submitter')
   */
  readonly name?: string;
}

/**
 * Properties of a `PipelineSubmitter`.
 */
export interface PipelineSubmitterProps extends PipelineSubmitterOptions {
  /** The job namespace whose pipelines it starts. */
  readonly namespace: JobNamespace;
}

/**
 * Who may start a namespace's pipelines on demand (what an API Gateway endpoint in front of Step Functions did):
 * a service account with a long-lived token Secret for a CI job, allowed to create workflows in that namespace
 * and to follow them (get, list, watch), nothing else.
 *
 * The Argo Server in `client` auth mode acts with the caller's token: `POST /api/v1/workflows/<namespace>/submit`
 * with `{"resourceKind": "WorkflowTemplate", "resourceName": "<pipeline>", "submitOptions": {"parameters":
 * ["date=2026-11-30"]}}` creates the Workflow with this account's rights (argo-workflows
 * server/workflow/workflow_server.go `SubmitWorkflow`), and validates the template with its own informer, so no
 * right on WorkflowTemplates is needed.
 */
export class PipelineSubmitter extends Construct {
  /** The default name of the service account. */
  public static readonly DEFAULT_NAME = 'pipeline-submitter';

  /** The service account's name. */
  public readonly name: string;
  /** The name of the Secret that holds its token (`kubectl get secret <name> -o jsonpath='{.data.token}'`). */
  public readonly tokenSecretName: string;
  /** The namespace whose pipelines it starts. */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: PipelineSubmitterProps) {
    super(scope, id);
    checkShape(this, 'PipelineSubmitterProps', props, 'props');
    this.name = checkDns1123Subdomain(this, 'name', props.name ?? PipelineSubmitter.DEFAULT_NAME);
    this.tokenSecretName = `${this.name}-token`;
    const namespace = props.namespace.name;
    this.namespace = namespace;
    const metadata = { name: this.name, namespace, labels: props.namespace.podLabels };
    new k8s.KubeServiceAccount(this, 'Resource', { metadata });
    // A long-lived token (Kubernetes fills it in): CI systems that cannot request short-lived tokens need one.
    new k8s.KubeSecret(this, 'Token', {
      metadata: { name: this.tokenSecretName, namespace, labels: props.namespace.podLabels, annotations: { 'kubernetes.io/service-account.name': this.name } },
      type: 'kubernetes.io/service-account-token',
    });
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [{ apiGroups: ['argoproj.io'], resources: ['workflows'], verbs: ['create', 'get', 'list', 'watch'] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace }],
    });
  }
}
