/**
 * The cluster-autoscaler image for each Kubernetes minor version: the autoscaler's minor must match the
 * cluster's (it simulates the scheduler of that version). Latest verified patch of each minor.
 */
export const CLUSTER_AUTOSCALER_IMAGES: { readonly [kubernetesMinor: string]: string } = {
  1.32: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7',
  1.33: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6',
  1.34: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.4',
  1.35: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0',
};
