export * from './workload-identity';
export * from './service-account-identity';
export * from './platform-service-accounts';
export * from './platform-bindings';
export * from './karpenter-names';
