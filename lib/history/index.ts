export * from './history-store';
export * from './s3a-connector';
export * from './spark-history-server';
