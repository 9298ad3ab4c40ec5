export * from './expander';
export * from './cluster-autoscaler';
export * from './karpenter-node-pool';
export * from './karpenter-release';
export * from './karpenter';
