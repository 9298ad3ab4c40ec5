import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { IArgoWorkflows } from './interfaces';
import { JobNamespace } from '../spark';
import { checkShape } from '../validation';

/**
 * Properties of a `PipelineServiceAccount`.
 */
export interface PipelineServiceAccountProps {
  /** The job namespace whose pipelines run as it. */
  readonly namespace: JobNamespace;
  /** The Argo Workflows that runs them. */
  readonly workflows: IArgoWorkflows;
}

/**
 * The service account a namespace's pipelines run as (`spec.serviceAccountName` of their workflows), with a
 * Role holding exactly what Argo Workflows' executor does there: create the steps' SparkApplications and poll
 * them with GET (argo-workflows v4.0.6 workflow/executor/resource.go: `kubectl create`, then GET every 5 s,
 * never a watch), report step results (`workflowtaskresults`, docs/workflow-rbac.md), and mark the
 * SparkApplications as owned by the workflow. Never a ClusterRole.
 */
export class PipelineServiceAccount extends Construct {
  /** The service account's name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: PipelineServiceAccountProps) {
    super(scope, id);
    checkShape(this, 'PipelineServiceAccountProps', props, 'props');
    const namespace = props.namespace;
    const identity = namespace.team.pipelineServiceAccount;
    this.name = identity.name;
    const labels = namespace.podLabels;
    const metadata = { name: this.name, namespace: namespace.name, labels };
    // The role to write artifacts only matters when workflow pods write to the artifact repository.
    const annotations = props.workflows.archiveLogs ? props.workflows.bindings.serviceAccountAnnotations(identity) : {};
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { ...metadata, annotations: Object.keys(annotations).length ? annotations : undefined },
    });
    new k8s.KubeRole(this, 'Role', { metadata, rules: PIPELINE_RULES });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: namespace.name }],
    });
  }
}

/** What a pipeline's executor does with the API in its namespace. */
const PIPELINE_RULES: k8s.PolicyRule[] = [
  // `action: create` with `kubectl create -f`, then GET on the created object until a condition matches.
  { apiGroups: ['sparkoperator.k8s.io'], resources: ['sparkapplications'], verbs: ['create', 'get'] },
  // Every step reports its outputs and exit code through a WorkflowTaskResult (Argo >= 3.4).
  { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
  // `setOwnerReference: true` sets blockOwnerDeletion on the SparkApplication's owner reference to the
  // Workflow, which the OwnerReferencesPermissionEnforcement admission plugin (where enabled) only allows
  // with update on the owner's finalizers subresource.
  { apiGroups: ['argoproj.io'], resources: ['workflows/finalizers'], verbs: ['update'] },
];
