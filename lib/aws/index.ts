export * from './cluster-endpoint';
export * from './helm-release-chart';
export * from './platform-bucket';
export * from './service-account-role';
export * from './workload-policies';
export * from './spark-eks-cluster';
export * from './direct-delivery';
