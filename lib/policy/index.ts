export * from './policy-violation';
export * from './manifest-policy';
export { ImageUser } from './image-users';
