// The objects both sides of the example platform are built from: node pools, teams, and what the AWS side outputs.
// A module of its own that synthesizes nothing, so examples/main.ts (the cdk8s app) and examples/aws.ts (the CDK
// app) both import it; importing a file that synthesizes at load would synthesize as a side effect.
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { CapacityType, NodePool, PlatformBindings, SparkTeam } from '../lib';

const spotTaint = { key: 'spark-platform.io/capacity', value: 'spot', effect: kplus.TaintEffect.NO_SCHEDULE };
/** On-demand nodes for the platform's components and the Spark drivers: never reclaimed. */
export const systemPool = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 2, maxSize: 6 });
/** On-demand nodes executors fall back to when spot has none; empty (and free) otherwise. */
export const onDemandExecutorPool = new NodePool({
  name: 'spark-on-demand',
  capacityType: CapacityType.ON_DEMAND,
  instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'],
  maxSize: 20,
  taints: [{ ...spotTaint, value: 'on-demand' }],
});
/** Spot nodes for the executors (six markets of one size), tainted so only executors land there. */
export const spotPool = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  maxSize: 50,
  taints: [spotTaint],
  fallback: onDemandExecutorPool,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm5d.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge', 'm7i.2xlarge'],
});
/** Every pool of the platform. */
export const pools = [systemPool, spotPool, onDemandExecutorPool];

/** The teams, each a namespace, a service account and an IAM role on both sides. */
export const dataEngineering = new SparkTeam({ name: 'data-engineering', costCenter: 'cc-1001', readPrefixes: ['raw'], readWritePrefixes: ['curated'] });
export const analytics = new SparkTeam({
  name: 'analytics',
  costCenter: 'cc-2002',
  readPrefixes: ['curated'],
  readWritePrefixes: ['analytics'],
  quota: { cpu: kplus.Cpu.units(400), memory: Size.tebibytes(2), pods: 500 },
});
export const mlPlatform = new SparkTeam({ name: 'ml-platform', costCenter: 'cc-3003', readPrefixes: ['curated'], readWritePrefixes: ['features'] });
/** Every team. */
export const teams = [dataEngineering, analytics, mlPlatform];

/** What the AWS side outputs after `cdk deploy` (`PlatformBindings.fromOutputsFile()` reads them in a pipeline). */
export const exampleBindings = new PlatformBindings({
  accountId: '123456789012', clusterName: 'spark-platform', region: 'eu-west-1', bucketName: 'acme-spark-platform-eu-west-1', eventLogPrefix: 'spark-events',
});
