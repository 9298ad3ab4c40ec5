import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { invalidProp, isUnresolvedToken } from '../validation';

/** The widest IPv4 block `publicAndPrivate()` takes without `allowWideCidrBlocks`: a /16 (65,536 addresses). */
const WIDEST_PREFIX_LENGTH = 16;

/**
 * Options of a public endpoint.
 */
export interface PublicEndpointOptions {
  /**
   * Accept CIDR blocks wider than a /16 (more than 65,536 addresses, e.g. a /8): a block that wide is usually a
   * typo or "the internet, almost". `0.0.0.0/0` still needs `ClusterEndpoint.unrestrictedPublicAndPrivate()`.
   *
   * @default false
   */
  readonly allowWideCidrBlocks?: boolean;
}

const CIDR = /^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\/([0-9]|[12][0-9]|3[0-2])$/;

/**
 * Who can reach the cluster's Kubernetes API endpoint.
 */
export class ClusterEndpoint {
  /** Only from inside the VPC (and networks connected to it). The safest choice, and the default. */
  public static privateOnly(): ClusterEndpoint {
    return new ClusterEndpoint(eks.EndpointAccess.PRIVATE, []);
  }

  /**
   * From inside the VPC, and from the internet only from the given CIDR blocks (your office, your CI
   * runners). Blocks wider than a /16 need `options.allowWideCidrBlocks`; `0.0.0.0/0` is rejected: use
   * `unrestrictedPublicAndPrivate()` to say so explicitly. A CDK token is accepted as is.
   */
  public static publicAndPrivate(cidrs: string[], options: PublicEndpointOptions = {}): ClusterEndpoint {
    const where = 'ClusterEndpoint.publicAndPrivate';
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      throw invalidProp(where, 'cidrs', cidrs, 'must list at least one CIDR block, e.g. "203.0.113.0/24"');
    }
    cidrs.forEach((cidr, i) => {
      if (isUnresolvedToken(cidr)) return;
      const match = CIDR.exec(cidr);
      if (!match || match.slice(1, 5).some(octet => Number(octet) > 255)) {
        throw invalidProp(where, `cidrs[${i}]`, cidr, 'must be an IPv4 CIDR block such as "203.0.113.0/24"');
      }
      const length = Number(match[5]);
      if (length === 0) {
        throw invalidProp(where, `cidrs[${i}]`, cidr, 'opens the API endpoint to the whole internet: use ClusterEndpoint.unrestrictedPublicAndPrivate() to mean it');
      }
      if (length < WIDEST_PREFIX_LENGTH && !options.allowWideCidrBlocks) {
        throw invalidProp(where, `cidrs[${i}]`, cidr,
          `is wider than a /${WIDEST_PREFIX_LENGTH} (${(2 ** (32 - length)).toLocaleString('en-US')} addresses): give /${WIDEST_PREFIX_LENGTH} to /32 blocks, `
          + 'or pass { allowWideCidrBlocks: true } to mean it');
      }
    });
    return new ClusterEndpoint(eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...cidrs), [...cidrs]);
  }

  /** From inside the VPC and from anywhere on the internet (authentication still applies). Not recommended. */
  public static unrestrictedPublicAndPrivate(): ClusterEndpoint {
    return new ClusterEndpoint(eks.EndpointAccess.PUBLIC_AND_PRIVATE, ['0.0.0.0/0']);
  }

  private constructor(
    /** The aws-eks-v2 endpoint access. */
    public readonly endpointAccess: eks.EndpointAccess,
    /** The CIDR blocks allowed to reach the public endpoint (none when private only). */
    public readonly publicCidrs: string[],
  ) {}

  /** Whether the endpoint is reachable from outside the VPC. */
  public get isPublic(): boolean {
    return this.publicCidrs.length > 0;
  }
}
