// The example platform's AWS side: `npx ts-node --transpile-only --project examples/tsconfig.json examples/aws.ts`
// writes the cloud assembly to cdk.out (`npx cdk deploy --app cdk.out` deploys it). The node groups are built
// from the same NodePool objects examples/main.ts places its pods on.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createApp as createKubernetesApp } from './main';
import { onDemandExecutorPool, spotPool, systemPool, teams } from './platform-objects';
import { GitOps, aws } from '../lib';

/**
 * The objects of dist/gitops.k8s.yaml, rendered from examples/main.ts (in another repository: read the committed
 * file with `yaml.parseAllDocuments(fs.readFileSync('dist/gitops.k8s.yaml', 'utf-8'))`).
 */
function kubernetesSideGitOps(karpenter: boolean): any[] {
  // The platform's GitOps chart (a sibling of the platform chart, id "gitops").
  return (createKubernetesApp({ karpenter }).node.findChild('gitops') as GitOps).toJson();
}

/** Properties of the example's stack. */
export interface ExamplePlatformStackProps extends StackProps {
  /** Karpenter instead of the cluster-autoscaler: the same switch as examples/main.ts's. @default false */
  readonly karpenter?: boolean;
}

/** The EKS cluster, bucket, workload roles and Argo CD of the example platform. */
export class ExamplePlatformStack extends Stack {
  /** The cluster and everything around it. */
  public readonly platform: aws.SparkEksCluster;

  public constructor(scope: Construct, id: string, props: ExamplePlatformStackProps = {}) {
    super(scope, id, props);
    const karpenter = props.karpenter ?? false;
    this.platform = new aws.SparkEksCluster(this, 'SparkPlatform', {
      clusterName: 'spark-platform',
      systemPool,
      nodePools: [spotPool, onDemandExecutorPool],
      // The API endpoint is reachable from the VPC and the office only.
      endpoint: aws.ClusterEndpoint.publicAndPrivate(['203.0.113.0/24']),
      bucket: { eventLogPrefix: 'spark-events' },
      // The same team objects examples/main.ts renders the namespaces and service accounts from.
      teams,
      historyServer: { cleaner: true },
      // The Kubernetes side runs pipelines (ArgoWorkflows): the server reads the artifact repository.
      argoWorkflows: {},
      // One switch, as on the Kubernetes side: Karpenter's roles, queue and tags; node groups for the pools' minSize only.
      karpenter: karpenter ? {} : undefined,
      // The bootstrap is the Kubernetes side's own gitops.k8s.yaml (the AppProject, the root Application, the
      // operators' Applications): one rendering, which Argo CD then keeps syncing from dist/.
      gitOps: { repoUrl: 'https://github.com/acme/spark-platform-infra.git', path: 'dist', manifests: kubernetesSideGitOps(karpenter) },
    });
  }
}

/** Builds the example AWS app without writing it (the test suite validates it). */
export function createApp(context: { [key: string]: any } = {}, outdir?: string, options: { karpenter?: boolean } = {}): App {
  // The native OIDC provider (AWS::IAM::OIDCProvider) instead of aws-eks-v2's deprecated custom resource.
  const app = new App({
    outdir,
    context: {
      '@aws-cdk/aws-eks:useNativeOidcProvider': true,
      // The region's zones, so `cdk synth` makes no AWS call (what cdk.context.json would cache after a lookup).
      ...aws.SparkEksCluster.availabilityZonesContext('123456789012', 'eu-west-1', ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']),
      ...context,
    },
  });
  new ExamplePlatformStack(app, 'SparkPlatform', { env: { account: '123456789012', region: 'eu-west-1' }, karpenter: options.karpenter });
  return app;
}

if (require.main === module) {
  // The CDK CLI sets CDK_OUTDIR; run directly, the cloud assembly goes to cdk.out.
  createApp({}, process.env.CDK_OUTDIR ?? 'cdk.out').synth();
}
