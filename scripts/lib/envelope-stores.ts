// Every kind of record the vault seals in PostgreSQL, for the start-up check and `npm run vault`:
// cloud credentials, webhook signing secrets, and the sealed secrets of interop (instance signing key,
// compliance-monitor API keys).
import type { EnvelopeStore } from '../../lib/vault';

export async function envelopeStores(): Promise<EnvelopeStore[]> {
  const { credentialEnvelopeStore } = await import('../../lib/credentials/vault');
  const { webhookSecretStore } = await import('../../lib/notify/secrets');
  const { sealedSecretStore } = await import('../../lib/interop/sealed');
  return [credentialEnvelopeStore, webhookSecretStore, sealedSecretStore];
}
