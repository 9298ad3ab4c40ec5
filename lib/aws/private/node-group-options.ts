import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { CapacityType, CpuArchitecture, NodePool, NodeTaints } from '../../scheduling';

/** The tags the cluster-autoscaler discovers node groups by. */
export function autoDiscoveryTags(clusterName: string): { [key: string]: string } {
  return { 'k8s.io/cluster-autoscaler/enabled': 'true', [`k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' };
}

/**
 * The managed node group of a pool: everything is read from the `NodePool` (the one source of its taints,
 * labels, capacity and size), taints translated to the EKS spelling by `NodeTaints`.
 *
 * With `karpenter`, Karpenter owns scaling: the group is the pool's fixed baseline of `minSize` nodes (min = max =
 * desired) and carries none of the cluster-autoscaler's tags (nothing scales it). A pool with `minSize` 0 gets no
 * group at all (the caller does not ask for one).
 */
export function nodegroupOptions(pool: NodePool, clusterName: string, launchTemplate: ec2.LaunchTemplate, karpenter = false): eks.NodegroupOptions {
  if (karpenter && pool.minSize < 1) throw new Error(`node pool ${pool.name} has no baseline (minSize 0): Karpenter launches all its nodes, no node group`);
  return {
    // Root volume, IMDSv2 and local disks (no diskSize here: the launch template has it).
    launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
    nodegroupName: pool.nodeGroupName,
    capacityType: pool.capacityType === CapacityType.SPOT ? eks.CapacityType.SPOT : eks.CapacityType.ON_DEMAND,
    instanceTypes: pool.instanceTypes.map(type => new ec2.InstanceType(type)),
    amiType: pool.cpuArchitecture === CpuArchitecture.ARM_64
      ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
      : eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
    minSize: pool.minSize,
    maxSize: karpenter ? pool.minSize : pool.maxSize,
    // The autoscaler owns the size between min and max; deploys keep the floor (with Karpenter: the fixed size).
    desiredSize: pool.minSize,
    // An update (new AMI, new launch template) drains nodes respecting PodDisruptionBudgets and fails rather
    // than evict running drivers and operators (aws-eks-v2 defaults to forcing past them).
    forceUpdate: false,
    labels: pool.labels,
    taints: pool.taints.map(taint => ({
      key: taint.key,
      value: taint.value,
      effect: NodeTaints.toEksEffect(taint.effect) as eks.TaintEffect,
    })),
    subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    // Managed node group tags do not reach the Auto Scaling group; EKS tags the group for auto-discovery
    // itself and the autoscaler reads labels and taints of an empty group with eks:DescribeNodegroup. The
    // node-template tags keep the same facts visible on the node group for people and tools.
    tags: karpenter ? undefined : { ...autoDiscoveryTags(clusterName), ...pool.autoscalerNodeTemplateTags },
  };
}
