import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

// Keys that carry a credential wherever they land: Hadoop's S3A keys (fs.s3a.access.key, .secret.key,
// .session.token), Spark's (spark.authenticate.secret, spark.ssl.keyPassword, spark.kubernetes.authenticate.*
// oauthToken), fluentd outputs' (password, ssl_key_pass, api_key, aws_sec_key), environment variables
// (AWS_SECRET_ACCESS_KEY, *_PASSWORD, *_TOKEN).
const CREDENTIAL = /(^|[._-])(secret|password|passwd|token|oauthtoken|credentials?|api[._-]?key|access[._-]?key|secret[._-]?key|private[._-]?key|sec[._-]?key|key[._-]?pass|key[._-]?id)([._-]|$)|keypassword$|storepassword$/i;
// Keys that name where a credential comes from, not the credential: a provider class, a Secret to mount or read.
const REFERENCE = /(provider|\.secrets\.|secretkeyref|secretname|_file$|\.file$|file$|valuefrom|mountfrom)/i;

/** Whether a key carries a credential (by its name), rather than a reference to one. */
export function isCredentialKey(key: string): boolean {
  return CREDENTIAL.test(key) && !REFERENCE.test(key);
}

/**
 * Throws when a map that lands in a rendered object (and so in Git) holds a credential by value. `how` says how
 * to reference a Secret in that place instead.
 */
export function checkNoCredentials(where: IConstruct | string, prop: string, values: { [key: string]: unknown } | undefined, how: string): void {
  for (const [key, value] of Object.entries(values ?? {})) {
    const reference = typeof value === 'object' && value !== null && ('valueFrom' in value || 'mountFrom' in value);
    if (value !== undefined && value !== null && value !== '' && !reference && isCredentialKey(key)) {
      throw invalidProp(where, `${prop}["${key}"]`, '<redacted>', `carries a credential in clear: it would be rendered into the manifests and committed to Git; ${how}`);
    }
  }
}
