// The example platform: what `npm run synth` (cdk8s synth) renders into dist/.
// The node pools are defined once here; examples/aws.ts builds the EKS node groups from the same objects.
import { App, Chart, ChartProps, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { CapacityType, NodePool, Placement, TaintEffect } from '../lib';

/** On-demand capacity for operators and Spark drivers: never reclaimed, so a driver never dies with its node. */
export const systemPool = new NodePool({
  name: 'system',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.xlarge', 'm5.xlarge'],
  labels: { 'spark-platform.io/role': 'system' },
  minSize: 2,
  maxSize: 6,
});

/** Spot capacity for Spark executors, tainted so that only pods that asked for spot land there. */
export const spotPool = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm5d.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge', 'm7i.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
  labels: { 'spark-platform.io/role': 'spark-executor' },
  minSize: 0,
  maxSize: 50,
});

/** Every pool of the example platform. */
export const pools = [systemPool, spotPool];

/** The example platform's Kubernetes side. */
export class ExamplePlatform extends Chart {
  public constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // A small batch-style workload that tolerates spot loss, placed on the spot pool.
    const deployment = new kplus.Deployment(this, 'spot-smoke-test', {
      metadata: { name: 'spot-smoke-test', namespace: 'default' },
      replicas: 2,
      containers: [{
        name: 'app',
        image: 'public.ecr.aws/docker/library/busybox:1.37',
        command: ['sh', '-c', 'while true; do sleep 3600; done'],
        securityContext: { user: 65534, group: 65534 },
        resources: {
          cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
        },
      }],
    });
    Placement.onPool(spotPool).applyToScheduling(deployment.scheduling);
  }
}

/** Builds the example app without writing it (the test suite validates it). */
export function createApp(): App {
  const app = new App();
  new ExamplePlatform(app, 'spark-platform');
  return app;
}

if (require.main === module) {
  createApp().synth();
}
