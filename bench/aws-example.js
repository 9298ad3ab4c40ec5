// One whole-process run of the AWS example (examples/aws.ts: the EKS cluster, node groups from the example's pools,
// bucket, team roles, Argo CD) synthesized into the given folder without aws-cdk-lib's built-in CloudFormation
// validation, twice: the second synth's time is the synth itself (the first also loads what it uses).
// Usage: node bench/aws-example.js <outdir>
'use strict';
const started = process.hrtime.bigint();
const { App, Stack } = require('aws-cdk-lib');
const lib = require('../build');
const { aws } = lib;
const kplus = require('cdk8s-plus-33');
const loaded = process.hrtime.bigint();

const spotTaint = { key: 'spark-platform.io/capacity', value: 'spot', effect: kplus.TaintEffect.NO_SCHEDULE };
const systemPool = new lib.NodePool({ name: 'system', capacityType: lib.CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 2, maxSize: 6 });
const onDemand = new lib.NodePool({
  name: 'spark-on-demand', capacityType: lib.CapacityType.ON_DEMAND, instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'], maxSize: 20, taints: [{ ...spotTaint, value: 'on-demand' }],
});
const spot = new lib.NodePool({
  name: 'spark-spot', capacityType: lib.CapacityType.SPOT, maxSize: 50, taints: [spotTaint], fallback: onDemand,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm5d.2xlarge', 'm6i.2xlarge', 'm6a.2xlarge', 'm7i.2xlarge'],
});
const teams = [
  new lib.SparkTeam({ name: 'data-engineering', costCenter: 'cc-1001', readPrefixes: ['raw'], readWritePrefixes: ['curated'] }),
  new lib.SparkTeam({ name: 'analytics', costCenter: 'cc-2002', readPrefixes: ['curated'], readWritePrefixes: ['analytics'] }),
  new lib.SparkTeam({ name: 'ml-platform', costCenter: 'cc-3003', readPrefixes: ['curated'], readWritePrefixes: ['features'] }),
];

/** Builds and synthesizes the example. */
function synth() {
  const app = new App({ outdir: process.argv[2], builtinCloudFormationValidation: false, context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
  const stack = new Stack(app, 'SparkPlatform', { env: { account: '123456789012', region: 'eu-west-1' } });
  new aws.SparkEksCluster(stack, 'SparkPlatform', {
    clusterName: 'spark-platform',
    systemPool,
    nodePools: [spot, onDemand],
    endpoint: aws.ClusterEndpoint.publicAndPrivate(['203.0.113.0/24']),
    bucket: { eventLogPrefix: 'spark-events' },
    teams,
    historyServer: { cleaner: true },
    argoWorkflows: {},
    gitOps: { repoUrl: 'https://github.com/acme/spark-platform-infra.git', path: 'dist' },
  });
  app.synth();
}

// The first synth loads what the example uses (aws-cdk-lib loads its classes on first access); the second is the
// synth itself: constructing and synthesizing.
synth();
const warm = process.hrtime.bigint();
synth();
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({
  loadMs: Number(loaded - started) / 1e6, firstSynthMs: Number(warm - loaded) / 1e6, workMs: Number(done - warm) / 1e6, maxRssKiB: process.resourceUsage().maxRSS,
}));
