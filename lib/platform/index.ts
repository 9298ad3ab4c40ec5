export * from './spark-platform';
