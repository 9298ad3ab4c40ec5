import { IConstruct } from 'constructs';
import { checkArgs, invalidProp } from '../validation';

// Elasticsearch and OpenSearch index names (MetadataCreateIndexService.validateIndexOrAliasName): lower case, not
// starting with '_', '-' or '+', none of \ / * ? " < > | space , # :, not "." or "..", at most 255 bytes.
const FORBIDDEN = /[\\/*?"<>| ,#:]/;

/** Why `name` is not an index name Elasticsearch accepts, or undefined when it is one. */
export function indexNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must not be empty';
  if (name !== name.toLowerCase()) return 'must be lower case';
  if (/^[_\-+]/.test(name)) return 'must not start with "_", "-" or "+"';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  const forbidden = FORBIDDEN.exec(name);
  if (forbidden) return `must not contain ${JSON.stringify(forbidden[0])} (nor any of \\ / * ? " < > | space , # :)`;
  if (Buffer.byteLength(name, 'utf-8') > 255) return `must be at most 255 bytes (has ${Buffer.byteLength(name, 'utf-8')})`;
  return undefined;
}

/**
 * The index an output writes to: one named index (rolled over by the cluster's own lifecycle policy), or one
 * index per day with a prefix (`<prefix>-YYYY.MM.DD`, logstash style).
 */
export class LogIndex {
  /** One index of this name (`index_name`). */
  public static named(name: string): LogIndex {
    checkArgs('LogIndex.named', 'LogIndex', 'named', [name]);
    return new LogIndex(name, false);
  }

  /** One index per day, `<prefix>-YYYY.MM.DD` (`logstash_format`, `logstash_prefix`). */
  public static daily(prefix: string): LogIndex {
    checkArgs('LogIndex.daily', 'LogIndex', 'daily', [prefix]);
    return new LogIndex(prefix, true);
  }

  private constructor(
    /** The index name, or the prefix of the daily indices. */
    public readonly name: string,
    /** Whether it is one index per day (`name` is then the prefix). */
    public readonly rollsDaily: boolean,
  ) {}

  /** @internal */
  public _render(where: IConstruct): { [key: string]: any } {
    const problem = indexNameProblem(this.name);
    if (problem) throw invalidProp(where, this.rollsDaily ? 'index (daily prefix)' : 'index', this.name, `${problem}: an index name Elasticsearch and OpenSearch accept`);
    return this.rollsDaily ? { logstash_format: true, logstash_prefix: this.name } : { index_name: this.name };
  }
}
