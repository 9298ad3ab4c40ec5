import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TaintEffect } from 'cdk8s-plus-33';
import { CapacityType, NodePool, aws } from '../../lib';

export const systemPool = new NodePool({ name: 'system', capacityType: CapacityType.ON_DEMAND, instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 2, maxSize: 6 });
export const spotPool = new NodePool({
  name: 'spark-spot',
  capacityType: CapacityType.SPOT,
  instanceTypes: ['m5.2xlarge', 'm5a.2xlarge', 'm6i.2xlarge'],
  taints: [{ key: 'spark-platform.io/capacity', value: 'spot', effect: TaintEffect.NO_SCHEDULE }],
  labels: { 'spark-platform.io/role': 'spark-executor' },
  maxSize: 40,
});
export const gravitonPool = new NodePool({
  name: 'graviton-spot', capacityType: CapacityType.SPOT, instanceTypes: ['m7g.2xlarge', 'm6g.2xlarge'], maxSize: 10,
});

/** A stack in an app without aws-cdk-lib's built-in validation (the strict test has it). */
export function testStack(): Stack {
  const app = new App({ builtinCloudFormationValidation: false, context: { '@aws-cdk/aws-eks:useNativeOidcProvider': true } });
  return new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

export function platform(props: Partial<aws.SparkEksClusterProps> = {}): { stack: Stack; cluster: aws.SparkEksCluster; template: Template } {
  const stack = testStack();
  const cluster = new aws.SparkEksCluster(stack, 'Platform', { clusterName: 'spark-platform', systemPool, nodePools: [spotPool], ...props });
  // The template is synthesized when first read, so a test can still add constructs to the stack.
  let template: Template | undefined;
  return { stack, cluster, get template() { return (template ??= Template.fromStack(stack)); } };
}

/** Every IAM policy statement of the template (inline role policies and AWS::IAM::Policy documents). */
export function allStatements(template: Template): Array<{ resource: string; statement: any }> {
  const out: Array<{ resource: string; statement: any }> = [];
  for (const [id, res] of Object.entries<any>(template.toJSON().Resources)) {
    const docs = res.Type === 'AWS::IAM::Policy' ? [res.Properties.PolicyDocument]
      : res.Type === 'AWS::IAM::Role' ? (res.Properties.Policies ?? []).map((p: any) => p.PolicyDocument) : [];
    for (const doc of docs) for (const statement of doc.Statement) out.push({ resource: id, statement });
  }
  return out;
}
