import { IConstruct } from 'constructs';
import { ClusterAutoscaler } from '../../autoscaling';
import { PlatformBindings } from '../../bindings';
import { GitOps } from '../../delivery';
import { SparkHistoryServer } from '../../history';
import { Logging, LoggingOperator } from '../../logging';
import { PlatformMonitoring } from '../../monitoring';
import { PlatformNetwork } from '../../network';
import { NodePool } from '../../scheduling';
import { JobNamespace, SparkOperator } from '../../spark';
import { ArgoWorkflows } from '../../workflows';

/**
 * What the platform's checks and its diagram read of a platform: `SparkPlatform` is one and passes itself, so
 * these files never import it (data flows one way).
 *
 * @internal
 */
export interface PlatformParts extends IConstruct {
  readonly nodePools: NodePool[];
  readonly bindings: PlatformBindings;
  readonly sparkOperator: SparkOperator;
  readonly jobNamespaces: JobNamespace[];
  readonly workflows?: ArgoWorkflows;
  readonly historyServer?: SparkHistoryServer;
  readonly clusterAutoscaler?: ClusterAutoscaler;
  readonly loggingOperator?: LoggingOperator;
  readonly logging?: Logging;
  readonly monitoring?: PlatformMonitoring;
  readonly gitOps?: GitOps;
  readonly network?: PlatformNetwork;
}
