export * from './helm-release';
export * from './sync-wave';
export * from './application-source';
export * from './argo-cd-application';
export * from './argo-cd-project';
export * from './git-ops';
export * from './argo-cd-release';
export * from './run-once';
