// km-backend: a hint at where the Master-KEK lives, from Barbican's secret-stores API. The
// standard asks CSPs not to keep the Master-KEK in plain text on the key-manager host; only the
// CSP's attestation can prove that, but the global default store tells the reviewer what to ask.

import { abortFromError, fail, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

/** Crypto/secret-store plugins that keep the Master-KEK outside the Barbican host. */
const PROTECTED_PLUGINS: Record<string, string> = {
  p11_crypto: 'a PKCS#11 HSM',
  kmip_plugin: 'a KMIP server',
  vault_plugin: 'HashiCorp Vault',
  dogtag_crypto: 'Dogtag KRA',
  dogtag_plugin: 'Dogtag KRA',
};

export const kmBackend: CheckDefinition = {
  id: 'km-backend',
  title: 'Key manager backend (where the Master-KEK lives)',
  clause:
    'scs-0116-v1 "Key Manager Standard": the Master-KEK MUST be stored apart from the keys and SHOULD NOT be in plain text on the Key Manager host',
  target: 'informational',
  lifetime: 'month',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'simple-crypto-backend': 'FAIL', 'hsm-backend': 'PASS' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let store;
    let stores;
    try {
      store = await km.client.globalDefaultStore();
      stores = store ? (await km.client.secretStores()).stores : [];
    } catch (err) {
      return abortFromError(err, 'read the secret-stores API', ctx.http.redactor);
    }
    if (!store) {
      return pass(
        'Barbican does not disclose its backend (multiple secret stores are not enabled, HTTP 404), so the backend is unknown; the attestation must name it and explain how the Master-KEK is protected.',
        { backend: 'unknown' },
      );
    }
    const plugin = store.cryptoPlugin ?? store.secretStorePlugin ?? 'unknown';
    const details = { backend: plugin, globalDefault: store, stores };
    if (plugin === 'simple_crypto') {
      return fail(
        `The global default secret store "${store.name}" uses simple_crypto: the Master-KEK is likely in plain text in barbican.conf; the attestation must explain how it is protected (or move to an HSM, KMIP or Vault backend).`,
        details,
      );
    }
    const where = PROTECTED_PLUGINS[plugin] ?? PROTECTED_PLUGINS[store.secretStorePlugin ?? ''];
    return pass(
      `The global default secret store "${store.name}" uses ${plugin}${where ? `, which keeps the Master-KEK in ${where}` : ''}; the attestation must confirm how it is protected.`,
      details,
    );
  },
};
