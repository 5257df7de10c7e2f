export {
  LEGACY_SIGNATURE_HEADER,
  LEGACY_TIMESTAMP_HEADER,
  WEBHOOK_PRIVATE_SWITCH,
  legacySignature,
  standardSignature,
} from './deliver';
export { webhookSecretStore } from './secrets';
export { Dispatcher, type DispatcherOptions } from './dispatcher';
export { sendMail, smtpConfigured, type Mail } from './email';
export { enqueue, messagesWithKeyPrefix, type OutboxMessage, type OutboxView } from './outbox';
export { EVENTS, EVENT_LABELS, type NotificationEvent } from './kinds';
export { notifySettings } from './config';
export * from './settings';
