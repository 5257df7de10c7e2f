export { QUEUES, getBoss, stopBoss, enqueueRun, enqueueDelivery } from './boss';
export { requestRun } from './queue';
export { startWorker, workerConcurrency, dispatchNotification, type WorkerOptions, type RunningWorker } from './worker';
export { SCHEDULES, jitterMs, nextRunTime, schedulerTick, setSchedule, scheduleInput } from './schedule';
export {
  pruneRetention,
  refreshExpiring,
  requeueOrphans,
  retentionSettings,
  MIN_RESULT_RETENTION_DAYS,
} from './maintenance';
