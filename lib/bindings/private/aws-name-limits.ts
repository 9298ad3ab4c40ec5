// AWS name limits the derived names are checked against.

/** IAM's limit on role names. */
export const MAX_ROLE_NAME = 64;
/** SQS's limit on queue names (CreateQueue: up to 80 alphanumerics, hyphens and underscores). */
export const MAX_QUEUE_NAME = 80;
/** The longest AWS region name (`ap-southeast-5`, `ap-northeast-3`), for a region known only at deploy time. */
export const LONGEST_REGION = 14;
