export * from './scheduling';
export * from './storage';
export * from './bindings';
export * from './delivery';
export * from './spark';
export * from './autoscaling';
export * from './workflows';
export * from './history';
export * as aws from './aws';
