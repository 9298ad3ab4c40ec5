import { ImageUser, imageUserOf, verifiablyNonRoot } from '../image-users';
import { PolicyContainer } from './pod-containers';
import { objectName, PolicyRule, PolicyViolation } from '../policy-violation';

// The tag must not move: a digest, or a tag other than `latest` (Kubernetes pulls `:latest` and untagged
// images on every start: pkg/kubelet/images "IfNotPresent" defaulting in pkg/apis/core/v1/defaults.go).
function pinned(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const last = image.split('/').pop()!;
  return last.includes(':') && !last.endsWith(':latest') && !/\{\{/.test(last);
}

// A field of the container's security context, else the pod's (the kubelet's precedence:
// pkg/securitycontext/util.go DetermineEffectiveSecurityContext).
function effective(container: PolicyContainer, field: string): any {
  return container.securityContext?.[field] ?? container.podSecurityContext?.[field];
}

/** The container rules: a pinned image, requests and a memory limit, not root, no escalation, no capabilities, seccomp, read-only root. */
export function containerViolations(container: PolicyContainer, imageUsers: ImageUser[] = []): PolicyViolation[] {
  const found: PolicyViolation[] = [];
  const add = (rule: PolicyRule, message: string) => found.push({ rule, object: objectName(container.doc), path: container.path, message });

  if (!container.image) add(PolicyRule.UNPINNED_IMAGE, 'declares no image: the operator\'s default may move; pin one');
  else if (!pinned(container.image)) add(PolicyRule.UNPINNED_IMAGE, `image "${container.image}" is not pinned: use a version tag other than "latest", or a digest`);

  const missing = [
    container.requests.cpu === undefined ? 'a CPU request' : undefined,
    container.requests.memory === undefined ? 'a memory request' : undefined,
    container.memoryLimit === undefined ? 'a memory limit' : undefined,
  ].filter(Boolean);
  if (missing.length > 0) add(PolicyRule.MISSING_RESOURCES, `has no ${missing.join(', ')}: the scheduler cannot place it and the node cannot bound it`);

  const runAsUser = effective(container, 'runAsUser');
  if (runAsUser === 0 || (effective(container, 'runAsNonRoot') !== true && !(typeof runAsUser === 'number' && runAsUser > 0))) {
    add(PolicyRule.MAY_RUN_AS_ROOT, 'may run as root: set runAsNonRoot: true with a numeric non-zero runAsUser');
  }
  // The kubelet's own check (pkg/kubelet/kuberuntime/security_context_others.go, verifyRunAsNonRoot): without a
  // runAsUser it reads the image's USER, and refuses a name ("non-numeric user") or root.
  if (effective(container, 'runAsNonRoot') === true && runAsUser === undefined) {
    const user = imageUserOf(container.image, imageUsers);
    if (!user) {
      add(PolicyRule.NON_ROOT_UNVERIFIABLE, `sets runAsNonRoot without runAsUser, and the user of image "${container.image}" is not recorded: `
        + 'the kubelet refuses it if the image\'s USER is a name or root; set runAsUser (and runAsGroup) to the image\'s numeric uid');
    } else if (!verifiablyNonRoot(user)) {
      add(PolicyRule.NON_ROOT_UNVERIFIABLE, `sets runAsNonRoot without runAsUser, and image "${container.image}" runs as ${user.user ? `"${user.user}"` : 'root (no USER)'} `
        + `(${user.source}): the kubelet refuses to start it; set runAsUser (and runAsGroup) to a numeric non-zero uid${user.uid > 0 ? ` (${user.uid})` : ''}`);
    }
  }
  if (container.securityContext?.allowPrivilegeEscalation !== false) {
    add(PolicyRule.PRIVILEGE_ESCALATION, 'may escalate privileges: set allowPrivilegeEscalation: false');
  }
  const capabilities = container.securityContext?.capabilities;
  if (!(capabilities?.drop ?? []).includes('ALL') || (capabilities?.add ?? []).length > 0) {
    add(PolicyRule.CAPABILITIES, 'keeps Linux capabilities: drop ALL and add none');
  }
  if (effective(container, 'seccompProfile')?.type !== 'RuntimeDefault') {
    add(PolicyRule.SECCOMP, 'has no seccomp profile RuntimeDefault (container or pod level)');
  }
  if (container.securityContext?.readOnlyRootFilesystem !== true) {
    add(PolicyRule.WRITABLE_ROOT_FILESYSTEM, 'has a writable root filesystem: set readOnlyRootFilesystem: true and mount emptyDir where it writes');
  }
  if (container.longRunning && (!container.readiness || !container.liveness)) {
    const lacks = [container.readiness ? undefined : 'readiness', container.liveness ? undefined : 'liveness'].filter(Boolean).join(' and ');
    add(PolicyRule.MISSING_PROBES, `runs as long as its workload but has no ${lacks} probe`);
  }
  return found;
}
