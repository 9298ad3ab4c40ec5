// Values made by the AWS side in the same CDK app (a role's ARN, the bucket's name, an env-agnostic stack's
// region) are AWS CDK tokens until the stack is synthesized: strings such as "${Token[TOKEN.123]}", or a literal
// with a token inside ("s3a://${Token[TOKEN.7]}/events"). aws-cdk-lib resolves them when the chart is deployed
// with `cluster.addCdk8sChart()`. A check can only judge a literal, so it accepts any value with a token in it.
const TOKEN = /\$\{Token\[[^\]]+\]\}/;

/** True when `value` holds an unresolved AWS CDK token (checked at deploy time, not at synth). */
export function isUnresolvedToken(value: unknown): boolean {
  return typeof value === 'string' && TOKEN.test(value);
}
