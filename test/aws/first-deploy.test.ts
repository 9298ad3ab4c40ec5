// What a first `cdk deploy` of the AWS side would still stop at, each pinned to the upstream behaviour it relies on.
import { platform } from './fixtures';
import { SparkTeam } from '../../lib';

const logicalIds = (template: any, type: string) => Object.entries<any>(template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
const dependsOn = (template: any, id: string): string[] => [].concat(template.Resources[id].DependsOn ?? []);

describe('NetworkPolicies are enforced on the cluster the library builds', () => {
  // aws/aws-network-policy-agent v1.4.1 pkg/config/controller_config.go: enable-network-policy defaults to false;
  // aws/amazon-vpc-cni-k8s v1.23.0 charts/aws-vpc-cni/values.yaml enableNetworkPolicy "false"; the EKS add-on takes
  // {"enableNetworkPolicy": "true"} (EKS user guide, cni-network-policy-configure).
  test('the vpc-cni add-on with its network policy agent on, before any node group', () => {
    const template = platform().template.toJSON();
    const [cni] = logicalIds(template, 'AWS::EKS::Addon').filter(id => template.Resources[id].Properties.AddonName === 'vpc-cni');
    expect(cni).toBeDefined();
    expect(JSON.parse(template.Resources[cni].Properties.ConfigurationValues)).toEqual({ enableNetworkPolicy: 'true' });
    expect(template.Resources[cni].Properties.ResolveConflicts).toBe('OVERWRITE');
    const nodegroups = logicalIds(template, 'AWS::EKS::Nodegroup');
    expect(nodegroups.length).toBe(2);
    for (const nodegroup of nodegroups) expect(dependsOn(template, nodegroup)).toContain(cni);
  });

  test('networkPolicies: false leaves the VPC CNI as EKS installs it', () => {
    const template = platform({ networkPolicies: false }).template.toJSON();
    expect(logicalIds(template, 'AWS::EKS::Addon').map(id => template.Resources[id].Properties.AddonName)).not.toContain('vpc-cni');
  });
});

// A Deployment-type add-on or a chart installed with `wait` and `atomic` before any node can run it stays
// Pending, and the stack rolls back (EKS user guide: add-ons run on the nodes you provision).
test('Argo CD (wait, atomic) and the EBS CSI driver wait for the system node group', () => {
  const template = platform({ gitOps: { repoUrl: 'https://github.com/acme/infra.git' } }).template.toJSON();
  const system = logicalIds(template, 'AWS::EKS::Nodegroup').find(id => id.includes('system'))!;
  const [argoCd] = logicalIds(template, 'Custom::AWSCDK-EKS-HelmChart');
  const [ebs] = logicalIds(template, 'AWS::EKS::Addon').filter(id => template.Resources[id].Properties.AddonName === 'aws-ebs-csi-driver');
  expect(dependsOn(template, argoCd)).toContain(system);
  expect(dependsOn(template, ebs)).toContain(system);
  expect(SparkTeam).toBeDefined();
});
