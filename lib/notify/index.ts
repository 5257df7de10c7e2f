export { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './deliver';
export { Dispatcher, type DispatcherOptions } from './dispatcher';
export { sendMail, smtpConfigured, type Mail } from './email';
export { enqueue, messagesWithKeyPrefix, type OutboxMessage, type OutboxView } from './outbox';
export { EVENTS, EVENT_LABELS, type NotificationEvent } from './kinds';
export { notifySettings } from './config';
export * from './settings';
