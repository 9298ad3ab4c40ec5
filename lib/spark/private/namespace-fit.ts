import { Construct } from 'constructs';
import { SparkApplicationOptions } from '../spark-application-options';
import { SparkPodRequest } from './spark-pod-resources';
import { cpuMillisOf, invalidPropMessage } from '../../validation';
import { SparkTeam } from '../spark-team';

/**
 * Why a job cannot run in its team's namespace, whatever else runs there: a pod above the LimitRange's max
 * (the LimitRanger admission plugin rejects the pod), or a job that needs more than the ResourceQuota (the quota
 * admission rejects the pods beyond it, and the job waits for executors that never come).
 */
export function namespaceFitProblems(
  where: Construct, team: SparkTeam, p: SparkApplicationOptions, driver: SparkPodRequest, executor: SparkPodRequest,
): string[] {
  const problems: string[] = [];
  const max = team.limits?.maxMemory?.toMebibytes();
  if (max !== undefined) {
    for (const [role, request] of [['driver', driver], ['executor', executor]] as const) {
      if (request.memoryMiB > max) {
        const options = role === 'driver' ? p.driver : p.executor;
        problems.push(invalidPropMessage(where, `${role}.memory`, options?.memory?.value ?? `${request.heapMiB}m`,
          `makes ${role} pods of ${request.memoryMiB}Mi (heap + overhead), above the ${max}Mi LimitRange max of namespace "${team.namespace}" `
          + `(team "${team.name}" limits.maxMemory): the API server rejects such pods; lower it or raise limits.maxMemory`));
      }
    }
  }
  const quota = team.quota;
  if (!quota) return problems;
  const executors = p.dynamicAllocation
    ? Math.max(p.dynamicAllocation.minExecutors ?? 0, p.dynamicAllocation.initialExecutors ?? 0)
    : p.executor?.instances ?? 2;
  const prop = p.dynamicAllocation ? 'dynamicAllocation.minExecutors' : 'executor.instances';
  const need = {
    cpu: driver.cpuMillis + executors * executor.cpuMillis,
    memory: driver.memoryMiB + executors * executor.memoryMiB,
    pods: 1 + executors,
  };
  const limits: Array<[string, number, number | undefined, string]> = [
    ['CPU', need.cpu, quota.cpu ? cpuMillisOf(quota.cpu.amount) : undefined, 'm'],
    ['memory', need.memory, quota.memory?.toMebibytes(), 'Mi'],
    ['pods', need.pods, quota.pods, ''],
  ];
  for (const [what, needed, hard, unit] of limits) {
    if (hard !== undefined && needed > hard) {
      problems.push(invalidPropMessage(where, prop, executors,
        `makes the job alone need ${needed}${unit} ${what} (driver and ${executors} executors), more than the ${hard}${unit} quota of namespace `
        + `"${team.namespace}" (team "${team.name}" quota): the pods beyond it are refused and the job never gets its executors`));
    }
  }
  return problems;
}
