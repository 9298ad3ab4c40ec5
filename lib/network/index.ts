export * from './network-port';
export * from './network-peer';
export * from './network-flow';
export * from './namespace-isolation';
export * from './platform-network';
