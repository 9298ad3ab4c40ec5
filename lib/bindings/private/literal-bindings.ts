import { IConstruct } from 'constructs';
import { AppFacts } from '../../facts';
import { invalidPropMessage, isUnresolvedToken } from '../../validation';
import type { PlatformBindings } from '../platform-bindings';

/**
 * Marks a cdk8s app whose charts the AWS CDK app deploys (`aws.DirectDelivery`).
 *
 * @internal
 */
export function _markResolvedByAwsCdk(app: IConstruct): void {
  AppFacts.of(app).deployedByAwsCdk = true;
}

/**
 * Fails the synth of a cdk8s app whose bindings hold AWS CDK tokens (`Aws.REGION`, a bucket's name) that no AWS
 * CDK app will resolve: cdk8s would write `${Token[TOKEN.1]}` into the manifests. Bindings made by the AWS side
 * (`SparkEksCluster.bindings`, deployed with `cluster.addCdk8sChart()` or `aws.DirectDelivery`) and apps given to
 * `aws.DirectDelivery` resolve when the AWS CDK app synthesizes, and pass.
 */
export function requireLiteralBindings(scope: IConstruct, bindings: PlatformBindings): void {
  const facts = AppFacts.of(scope);
  if (facts.bindingsUses.some(use => use.bindings === bindings)) return;
  if (facts.bindingsUses.length === 0) {
    scope.node.root.node.addValidation({
      validate: () => (facts.deployedByAwsCdk ? [] : facts.bindingsUses.flatMap(use => use.tokenProblems())),
    });
  }
  facts.bindingsUses.push({ bindings, where: scope, tokenProblems: () => (bindings.deployedByAwsCdk ? [] : tokenProblems(scope, bindings)) });
}

function tokenProblems(where: IConstruct, bindings: PlatformBindings): string[] {
  return Object.entries({
    accountId: bindings.accountId,
    clusterName: bindings.clusterName,
    region: bindings.region,
    bucketName: bindings.bucketName,
    partition: bindings.partition,
    kubernetesVersion: bindings.kubernetesVersion,
    eventLogPrefix: bindings.eventLogs.prefix,
    artifactPrefix: bindings.artifacts.prefix,
  }).filter(([, value]) => isUnresolvedToken(value)).map(([prop, value]) => invalidPropMessage(where, `bindings.${prop}`, value,
    'is an AWS CDK token in a plain cdk8s app: cdk8s synth never resolves it and would write it into the manifests; give literal values '
    + '(PlatformBindings.fromStackOutputs), or deploy the chart from the CDK app (aws.DirectDelivery, or cluster.addCdk8sChart() with '
    + 'deployedByAwsCdk: true)'));
}
