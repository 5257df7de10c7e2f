export * from './service';
export {
  executeRun,
  defaultWorkerId,
  namePrefixOf,
  notifyProgress,
  type ExecuteDeps,
  type ExecuteOutcome,
} from './execute';
export { RunHeartbeat, markInterrupted, heartbeatIntervalMs, DEFAULT_HEARTBEAT_MS, STALE_FACTOR } from './heartbeat';
export { defaultResolver, NoCredentialError, type CloudConfigResolver, type ResolvableCloud } from './cloud-config';
export { jsonReport, reportSpec, scsReport, scsReportYaml } from './report';
