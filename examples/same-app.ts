// The same-app path, for teams without Argo CD: one AWS CDK app builds the cluster and delivers the Kubernetes
// side into it (aws-eks-v2 manifests and Helm charts, in the order GitOps would apply them). The bindings are
// CDK tokens here (role ARNs, the bucket's name), resolved when the stack deploys. `npx ts-node --transpile-only --project examples/tsconfig.json examples/same-app.ts`
// writes the cloud assembly to cdk.out.
import { App, Stack, StackProps } from 'aws-cdk-lib';
import * as cdk8s from 'cdk8s';
import { Construct } from 'constructs';
import { ExamplePlatform } from './main';
import { onDemandExecutorPool, spotPool, systemPool, teams } from './platform-objects';
import { aws } from '../lib';

/** The cluster, and the example platform's Kubernetes side deployed into it. */
export class SameAppPlatformStack extends Stack {
  /** The cluster and everything around it. */
  public readonly platform: aws.SparkEksCluster;
  /** The Kubernetes side. */
  public readonly kubernetes: ExamplePlatform;
  /** How it reaches the cluster. */
  public readonly delivery: aws.DirectDelivery;

  public constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    this.platform = new aws.SparkEksCluster(this, 'SparkPlatform', {
      clusterName: 'spark-platform',
      systemPool,
      nodePools: [spotPool, onDemandExecutorPool],
      // The same team objects examples/main.ts renders the namespaces and service accounts from.
      teams,
      // The Kubernetes side runs pipelines (ArgoWorkflows): the server reads the artifact repository.
      argoWorkflows: {},
    });
    // Without the monitoring: it needs the Prometheus Operator's CRDs (kube-prometheus-stack), which this
    // cluster does not have until you install the stack.
    this.kubernetes = new ExamplePlatform(new cdk8s.App(), 'spark-platform', { bindings: this.platform.bindings, argoCd: false, monitoring: false });
    this.delivery = new aws.DirectDelivery(this, 'Delivery', { platform: this.platform });
    this.delivery.addChart(this.kubernetes);
    // Every operator whose custom resources the chart holds, before them.
    this.delivery.addHelmRelease(this.kubernetes.sparkOperator.release);
    this.delivery.addHelmRelease(this.kubernetes.workflows!.release);
    this.delivery.addHelmRelease(this.kubernetes.loggingOperator!.release);
  }
}

/** Builds the app without writing it (the test suite validates it). */
export function createApp(context: { [key: string]: any } = {}, outdir?: string): App {
  const app = new App({ outdir, context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true, ...context } });
  new SameAppPlatformStack(app, 'SparkPlatformSameApp', { env: { account: '123456789012', region: 'eu-west-1' } });
  return app;
}

if (require.main === module) {
  createApp({}, process.env.CDK_OUTDIR ?? 'cdk.out').synth();
}
