export * from './policy-violation';
export * from './manifest-policy';
export type { ImageUser } from './image-users';
