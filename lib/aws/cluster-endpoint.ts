import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { invalidProp } from '../validation';

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
   * runners). `0.0.0.0/0` is rejected: use `unrestrictedPublicAndPrivate()` to say so explicitly.
   */
  public static publicAndPrivate(cidrs: string[]): ClusterEndpoint {
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      throw invalidProp('ClusterEndpoint', 'cidrs', cidrs, 'must list at least one CIDR block, e.g. "203.0.113.0/24"');
    }
    for (const cidr of cidrs) {
      const match = CIDR.exec(cidr);
      if (!match || match.slice(1, 5).some(octet => Number(octet) > 255)) {
        throw invalidProp('ClusterEndpoint', 'cidrs', cidr, 'must be an IPv4 CIDR block such as "203.0.113.0/24"');
      }
      if (match[5] === '0') {
        throw invalidProp('ClusterEndpoint', 'cidrs', cidr, 'opens the API endpoint to the whole internet: use ClusterEndpoint.unrestrictedPublicAndPrivate() to mean it');
      }
    }
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
