// km-transport-keys: whether Barbican offers transport keys (secret payloads wrapped for the
// trip in addition to TLS). Optional in Barbican; recorded for the reviewer.

import { abortFromError, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

export const kmTransportKeys: CheckDefinition = {
  id: 'km-transport-keys',
  title: 'Transport keys offered',
  clause: 'scs-0116-v1 "Key Manager Standard": protection of keys in transit (informational)',
  target: 'informational',
  lifetime: 'month',
  preflight: true,
  expectations: { 'full-check-set': 'PASS', 'no-key-manager': 'ABORT' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    let keys;
    try {
      keys = await km.client.transportKeys();
    } catch (err) {
      return abortFromError(err, 'list transport keys', ctx.http.redactor);
    }
    const plugins = [...new Set(keys.map((k) => k.pluginName).filter(Boolean))];
    if (keys.length === 0) {
      return pass(
        'Barbican offers no transport keys, so payloads are protected in transit by TLS only (transport keys are optional).',
        { offered: false, count: 0 },
      );
    }
    return pass(`Barbican offers ${keys.length} transport key(s)${plugins.length ? ` (${plugins.join(', ')})` : ''}.`, {
      offered: true,
      count: keys.length,
      plugins,
    });
  },
};
