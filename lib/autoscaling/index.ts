export * from './expander';
export * from './cluster-autoscaler';
