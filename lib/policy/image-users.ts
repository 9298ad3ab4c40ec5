/**
 * The user a pinned image runs as when the pod does not say (its Dockerfile's last `USER`), as the kubelet sees
 * it: with `runAsNonRoot: true` and no `runAsUser`, the kubelet starts the container only when that user is
 * numeric and not 0 ("container has runAsNonRoot and image will run as root", "image has non-numeric user";
 * kubernetes pkg/kubelet/kuberuntime/security_context_others.go, verifyRunAsNonRoot).
 */
export interface ImageUser {
  /** The image reference exactly as pods name it (repository and tag, or digest). */
  readonly image: string;
  /** The image's `USER` as written: a numeric uid (`8737`, `185:185`), a name (`spark`), or `''` when none (root). */
  readonly user: string;
  /** The numeric uid the user stands for (0 for root). */
  readonly uid: number;
  /** Where that is written: repository, tag and file. */
  readonly source: string;
}

/**
 * The images the library and its pinned charts run, with the user each was built with (read from the
 * Dockerfile at the image's tag). Only an image whose `user` is numeric and not 0 may rely on it under
 * `runAsNonRoot`; every other one needs a numeric `runAsUser` in the pod.
 */
export const PLATFORM_IMAGE_USERS: ImageUser[] = [
  { image: 'ghcr.io/kubeflow/spark-operator/controller:2.5.2', user: '185:185', uid: 185, source: 'kubeflow/spark-operator v2.5.2, Dockerfile: USER ${SPARK_UID}:${SPARK_GID} (ARG 185)' },
  { image: 'quay.io/argoproj/workflow-controller:v4.0.6', user: '8737', uid: 8737, source: 'argoproj/argo-workflows v4.0.6, Dockerfile (target workflow-controller): USER 8737' },
  { image: 'quay.io/argoproj/argocli:v4.0.6', user: '8737', uid: 8737, source: 'argoproj/argo-workflows v4.0.6, Dockerfile (target argocli): USER 8737' },
  { image: 'quay.io/argoproj/argoexec:v4.0.6', user: '', uid: 0, source: 'argoproj/argo-workflows v4.0.6, Dockerfile (target argoexec): no USER, distroless static (root); argoexec:v4.0.6-nonroot has USER 8737' },
  { image: 'ghcr.io/kube-logging/logging-operator:6.7.0', user: '', uid: 0, source: 'kube-logging/logging-operator 6.7.0, Dockerfile: FROM gcr.io/distroless/static:latest, no USER (root)' },
  { image: 'ghcr.io/kube-logging/logging-operator/fluentd:6.7.0-full', user: 'fluent', uid: 100, source: 'kube-logging/logging-operator 6.7.0, images/fluentd/Dockerfile (target full): adduser -S -G fluent -u 100 fluent; USER fluent' },
  { image: 'ghcr.io/fluent/fluent-bit:5.0.5', user: '', uid: 0, source: 'fluent/fluent-bit v5.0.5, dockerfiles/Dockerfile (production): FROM gcr.io/distroless/cc-debian13, no USER (root)' },
  { image: 'quay.io/prometheus/pushgateway:v1.11.3', user: '65534', uid: 65534, source: 'prometheus/pushgateway v1.11.3, Dockerfile: USER 65534' },
  { image: 'docker.io/curlimages/curl:8.11.1', user: 'curl_user', uid: 100, source: 'curl/curl-container 8.11.1, create_appliance_image.sh: buildah config --user curl_user (alpine adduser -S: uid 100)' },
  { image: 'quay.io/argoproj/argocd:v3.4.4', user: '999', uid: 999, source: 'argoproj/argo-cd v3.4.4, Dockerfile: ENV ARGOCD_USER_ID=999; USER $ARGOCD_USER_ID' },
];

/** The `registry.k8s.io/autoscaling/cluster-autoscaler` images: `FROM gcr.io/distroless/static:nonroot` (uid 65532). */
const DISTROLESS_NONROOT_IMAGES = /^registry\.k8s\.io\/autoscaling\/cluster-autoscaler:v1\.(3[2-9])\.[0-9]+$/;

/** The recorded user of an image, if the table (or the caller's own entries) holds it. */
export function imageUserOf(image: string | undefined, extra: ImageUser[] = []): ImageUser | undefined {
  if (!image) return undefined;
  const known = [...extra, ...PLATFORM_IMAGE_USERS].find(u => u.image === image);
  if (known) return known;
  if (DISTROLESS_NONROOT_IMAGES.test(image)) {
    return { image, user: '65532', uid: 65532, source: 'kubernetes/autoscaler cluster-autoscaler-1.33.6, cluster-autoscaler/Dockerfile: FROM gcr.io/distroless/static:nonroot (USER "65532")' };
  }
  return undefined;
}

/** Whether the kubelet accepts the user under `runAsNonRoot` without a `runAsUser`: numeric and not 0. */
export function verifiablyNonRoot(user: ImageUser): boolean {
  return /^[0-9]+(:[0-9]+)?$/.test(user.user) && user.uid > 0;
}
