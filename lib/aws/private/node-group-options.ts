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
 */
export function nodegroupOptions(pool: NodePool, clusterName: string, launchTemplate: ec2.LaunchTemplate): eks.NodegroupOptions {
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
    maxSize: pool.maxSize,
    // The autoscaler owns the size between min and max; deploys keep the floor.
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
    tags: { ...autoDiscoveryTags(clusterName), ...pool.autoscalerNodeTemplateTags },
  };
}
