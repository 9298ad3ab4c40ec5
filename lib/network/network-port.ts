import { checkArgs, checkInteger } from '../validation';

/**
 * A port a flow is allowed on: a protocol and a port number of the destination pod (after a Service's
 * translation: a NetworkPolicy sees the pod's port, never the Service's).
 */
export class NetworkPort {
  /** DNS, both protocols (resolvers retry over TCP when an answer is truncated). */
  public static dns(): NetworkPort[] {
    return [NetworkPort.udp(53), NetworkPort.tcp(53)];
  }

  /** A TCP port. */
  public static tcp(port: number): NetworkPort {
    checkArgs('NetworkPort.tcp', 'NetworkPort', 'tcp', [port]);
    return new NetworkPort('TCP', checkInteger('NetworkPort', 'port', port, 1, 65535));
  }

  /** A UDP port. */
  public static udp(port: number): NetworkPort {
    checkArgs('NetworkPort.udp', 'NetworkPort', 'udp', [port]);
    return new NetworkPort('UDP', checkInteger('NetworkPort', 'port', port, 1, 65535));
  }

  /** `TCP` or `UDP`. */
  public readonly protocol: string;
  /** The destination pod's port. */
  public readonly port: number;

  private constructor(protocol: string, port: number) {
    this.protocol = protocol;
    this.port = port;
  }

  /** As the flow table shows it: `TCP 7078`. */
  public toString(): string {
    return `${this.protocol} ${this.port}`;
  }
}
