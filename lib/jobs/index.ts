export { QUEUES, getBoss, stopBoss, enqueueRun } from './boss';
export { requestRun } from './queue';
export { startWorker, workerConcurrency, type WorkerOptions, type RunningWorker } from './worker';
export { sendDueReminders } from './reminders';
export { SCHEDULES, jitterMs, nextRunTime, schedulerTick, setSchedule, scheduleInput } from './schedule';
export {
  pruneRetention,
  refreshExpiring,
  requeueOrphans,
  retentionSettings,
  MIN_RESULT_RETENTION_DAYS,
} from './maintenance';
