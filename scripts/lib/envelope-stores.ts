// Every kind of record the vault seals in PostgreSQL, for the start-up check and `npm run vault`:
// cloud credentials and webhook signing secrets.
import type { EnvelopeStore } from '../../lib/vault';

export async function envelopeStores(): Promise<EnvelopeStore[]> {
  const { credentialEnvelopeStore } = await import('../../lib/credentials/vault');
  const { webhookSecretStore } = await import('../../lib/notify/secrets');
  return [credentialEnvelopeStore, webhookSecretStore];
}
