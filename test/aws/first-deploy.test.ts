// What a first `cdk deploy` of the AWS side would still stop at, each pinned to the upstream behaviour it relies on.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { platform } from './fixtures';
import { SparkTeam, aws } from '../../lib';

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

// aws-cdk-lib Stack.availabilityZones: with an explicit account and region and no zones given, the VPC's zones are a
// context lookup (the manifest's "missing" entries), which the CDK CLI answers with an AWS call.
describe('the AWS side synthesizes without AWS credentials', () => {
  test('examples/aws.ts: a cloud assembly with no context lookup left, written to the outdir', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk.out-'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../examples/aws').createApp({}, outdir).synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
    expect(manifest.missing ?? []).toEqual([]);
    expect(fs.existsSync(path.join(outdir, 'SparkPlatform.template.json'))).toBe(true);
  });

  test('without the zones in the context the lookup is still needed (the check is not vacuous); bad zones fail', () => {
    const { stack } = platform();
    expect((stack.node.root as any).synth().manifest.missing?.map((m: any) => m.provider)).toEqual(['availability-zones']);
    expect(aws.SparkEksCluster.availabilityZonesContext('123456789012', 'eu-west-1', ['eu-west-1a', 'eu-west-1b']))
      .toEqual({ 'availability-zones:account=123456789012:region=eu-west-1': ['eu-west-1a', 'eu-west-1b'] });
    expect(() => aws.SparkEksCluster.availabilityZonesContext('123456789012', 'eu-west-1', ['eu-west-1a', 'us-east-1b']))
      .toThrow('SparkEksCluster: invalid prop "zones" ["eu-west-1a","us-east-1b"]: must list at least two zones of eu-west-1');
  });
});

// One bootstrap: the AWS side applies the Kubernetes side's own gitops.k8s.yaml, so the root Application exists
// once, as dist/ holds it (its project, its ignoreDifferences), and syncs itself from then on.
describe('the GitOps bootstrap is the Kubernetes side\'s gitops.k8s.yaml', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const gitops = () => (require('../../examples/main').createApp().node.findChild('gitops') as any).toJson();

  test('examples/aws.ts applies exactly those objects once Argo CD runs, and renders no root Application of its own', () => {
    const docs = gitops();
    const { template } = platform({ gitOps: { repoUrl: 'https://github.com/acme/spark-platform-infra.git', path: 'dist', manifests: docs } });
    const json = template.toJSON();
    const manifests = Object.entries<any>(json.Resources).filter(([, r]) => r.Type === 'Custom::AWSCDK-EKS-KubernetesResource');
    const bootstrap = manifests.filter(([id]) => id.includes('ArgoCdBootstrap'));
    expect(bootstrap.length).toBe(1);
    expect(manifests.filter(([id]) => id.includes('RootApplication'))).toEqual([]);
    const applied = JSON.parse(bootstrap[0][1].Properties.Manifest);
    expect(applied).toEqual(docs);
    const root = applied.find((d: any) => d.kind === 'Application' && d.spec.source.path === 'dist');
    expect(root.spec.project).toBe('spark-platform');
    expect(root.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    const [argoCd] = Object.keys(json.Resources).filter(id => json.Resources[id].Type === 'Custom::AWSCDK-EKS-HelmChart');
    expect([].concat(bootstrap[0][1].DependsOn ?? [])).toContain(argoCd);
  });

  test('objects of another repository, revision or path, or without the AppProject, fail', () => {
    const docs = gitops();
    expect(() => platform({ gitOps: { repoUrl: 'https://github.com/acme/other.git', manifests: docs } }))
      .toThrow(/invalid prop "gitOps.manifests" .*hold a root Application following another source than repoUrl, revision and path/);
    expect(() => platform({ gitOps: { repoUrl: 'https://github.com/acme/spark-platform-infra.git', manifests: docs.filter((d: any) => d.kind !== 'AppProject') } }))
      .toThrow(/must be the Kubernetes side's gitops.k8s.yaml: an AppProject and the root Application "spark-platform"/);
  });
});
