export * from './platform-bindings';
