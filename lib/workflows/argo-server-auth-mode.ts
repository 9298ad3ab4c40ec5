/**
 * How the Argo Workflows server authenticates its callers (`--auth-mode`).
 */
export enum ArgoServerAuthMode {
  /** The caller's own Kubernetes bearer token: the server acts with the caller's RBAC. The default. */
  CLIENT = 'client',
  /** Single sign-on through the server's OIDC configuration (`server.sso` values). */
  SSO = 'sso',
  /**
   * No authentication: every caller acts with the server's own service account. Only when asked for by name,
   * on a server nobody untrusted can reach.
   */
  SERVER = 'server',
}
