export * from './policy-violation';
export * from './manifest-policy';
