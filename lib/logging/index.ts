export * from './logging-operator';
export * from './logging';
export * from './fluent-bit-agent';
export * from './log-output';
export * from './log-index';
export * from './log-flow';
export * from './spark-log-format';
