export { planDeliveries, attemptDelivery, signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './deliver';
export { sendMail, smtpConfigured, type Mail } from './email';
export * from './settings';
