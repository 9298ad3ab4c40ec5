export * from './s3-location';
export * from './event-log-location';
export * from './ebs-storage-class';
