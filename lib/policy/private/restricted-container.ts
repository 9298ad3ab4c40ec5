/** What a container's restricted security context leaves out, where its pod (or its image) covers it. */
export interface RestrictedContainerOptions {
  /**
   * Whether the root filesystem is read-only (off where the program writes into its image: Spark's local dirs,
   * fluentd's buffers).
   *
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * Whether the container says `runAsNonRoot` itself (off where the pod says it, or the container must be root).
   *
   * @default true
   */
  readonly runAsNonRoot?: boolean;

  /**
   * Whether the container sets the `RuntimeDefault` seccomp profile itself (off where the pod sets it).
   *
   * @default false
   */
  readonly seccompProfile?: boolean;
}

/**
 * The container security context of the platform's pods, the rules of `ManifestPolicy` (`PolicyRule`): no
 * privilege escalation and no capabilities always; non-root, a read-only root filesystem and the runtime's
 * seccomp profile unless the options leave them to the pod. Fields left out are absent, never `false`.
 */
export function restrictedContainer(options: RestrictedContainerOptions = {}): {
  readonly runAsNonRoot?: boolean;
  readonly allowPrivilegeEscalation: boolean;
  readonly capabilities: { readonly drop: string[] };
  readonly readOnlyRootFilesystem?: boolean;
  readonly seccompProfile?: { readonly type: string };
} {
  return {
    ...(options.runAsNonRoot ?? true ? { runAsNonRoot: true } : {}),
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    ...(options.readOnlyRootFilesystem ?? true ? { readOnlyRootFilesystem: true } : {}),
    ...(options.seccompProfile ?? false ? { seccompProfile: { type: 'RuntimeDefault' } } : {}),
  };
}
