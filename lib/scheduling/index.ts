export * from './capacity-type';
export * from './taint';
export * from './node-pool';
export * from './placement';
export * from './instance-type';
export * from './node-capacity';
