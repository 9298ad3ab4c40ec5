import { k8s } from 'cdk8s-plus-33';

// What a cluster-autoscaler minor needs: its image (the autoscaler's minor must match the cluster's: it
// simulates that version's scheduler) and the API objects its informers list. Newest patch of each minor
// (kubernetes/autoscaler tags cluster-autoscaler-<version>, version/version.go, July 2026).
const IMAGES: { readonly [kubernetesMinor: string]: string } = {
  1.32: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7',
  1.33: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.33.6',
  1.34: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.5',
  1.35: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.2',
  1.36: 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.36.1',
};

const NAME = 'cluster-autoscaler';
const READ = ['watch', 'list', 'get'];

// Cluster-wide reads and writes every supported minor needs (upstream chart's ClusterRole, without the
// long-gone `extensions` group): no wildcards.
const BASE_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['events', 'endpoints'], verbs: ['create', 'patch'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
  { apiGroups: [''], resources: ['pods/status'], verbs: ['update'] },
  { apiGroups: [''], resources: ['endpoints'], resourceNames: [NAME], verbs: ['get', 'update'] },
  { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] },
  {
    apiGroups: [''],
    resources: ['namespaces', 'pods', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes'],
    verbs: READ,
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['watch', 'list', 'get', 'patch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['watch', 'list'] },
  { apiGroups: ['apps'], resources: ['daemonsets', 'replicasets', 'statefulsets'], verbs: READ },
  // Since Kubernetes 1.32 the scheduler's CSI volume limits read VolumeAttachments, and since 1.33 the
  // autoscaler waits for every informer cache before it scales: without this rule it hangs at start
  // (upstream chart >= 9.46.3, clusterrole.yaml).
  { apiGroups: ['storage.k8s.io'], resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'], verbs: READ },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['list', 'watch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [NAME], verbs: ['get', 'update'] },
];

// From 1.35 dynamic resource allocation is locked on (config/flags/flags.go `enable-dynamic-resource-allocation`)
// and its simulator lists these (simulator/dynamicresources/provider/provider.go).
const DRA_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['resource.k8s.io'], resources: ['resourceslices', 'deviceclasses', 'resourceclaims'], verbs: READ },
];

/** The Kubernetes minor versions ("1.33") with a known cluster-autoscaler image, oldest first. */
export const KNOWN_KUBERNETES_VERSIONS = Object.keys(IMAGES);

/** The cluster-autoscaler image of a Kubernetes minor version, or undefined when the library does not know it. */
export function clusterAutoscalerImage(kubernetesVersion: string): string | undefined {
  return IMAGES[kubernetesVersion];
}

/** The ClusterRole rules the autoscaler of a Kubernetes minor version ("1.35") needs. */
export function clusterAutoscalerRules(kubernetesVersion: string): k8s.PolicyRule[] {
  const minor = Number(/^1\.([0-9]+)$/.exec(kubernetesVersion)?.[1] ?? NaN);
  return [...BASE_RULES, ...(minor >= 35 ? DRA_RULES : [])];
}
