// km-tls: the key-manager endpoint is served over https with a certificate that verifies, and
// how long until that certificate expires. Secrets and tokens travel on this connection.

import { TransportError } from '../../openstack';
import { abortFromError, fail, notApplicable, pass } from '../outcome';
import type { CheckDefinition } from '../definition';

/** Renewal should not be a surprise: warn a fortnight ahead. */
const EXPIRY_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

export const kmTls: CheckDefinition = {
  id: 'km-tls',
  title: 'Key manager endpoint uses TLS with a valid certificate',
  clause: 'scs-0116-v1 "Key Manager Standard": keys must be protected; transport protection of the Key Manager API',
  target: 'informational',
  lifetime: 'week',
  preflight: false,
  expectations: { 'full-check-set': 'FAIL', 'trusted-tls': 'PASS', 'no-key-manager': 'ABORT' },
  async run(ctx) {
    const km = await ctx.keyManager();
    if (!km.present) return notApplicable(ctx.region);
    const url = km.endpoint.catalogUrl;
    const details: Record<string, unknown> = { url, verification: ctx.http.insecure ? 'skipped' : 'verified' };
    if (new URL(url).protocol !== 'https:') {
      return fail(
        `The key-manager endpoint ${url} uses plain http, so tokens and secret payloads travel unencrypted; serve it over https with a certificate from a trusted CA.`,
        details,
      );
    }
    try {
      await km.client.versions();
    } catch (err) {
      if (err instanceof TransportError && err.failure === 'tls') {
        return fail(
          `The key-manager's TLS certificate does not verify: ${ctx.http.redactor.text(err.message)}`,
          details,
        );
      }
      return abortFromError(err, `connect to ${km.endpoint.root}/`, ctx.http.redactor);
    }
    const peer = ctx.http.tlsPeer(url);
    if (!peer)
      return abortFromError(new Error('no TLS session information was recorded'), 'inspect the TLS certificate');
    Object.assign(details, peer);
    if (!peer.authorized) {
      return fail(
        `The key-manager's TLS certificate does not verify (${peer.authorizationError ?? 'unknown reason'}); verification is switched off for this cloud, which hides the problem: install a certificate from a trusted CA.`,
        details,
      );
    }
    const validTo = peer.validTo ? Date.parse(peer.validTo) : NaN;
    if (Number.isNaN(validTo))
      return pass('The key-manager is served over https with a certificate that verifies.', details);
    const daysLeft = Math.floor((validTo - Date.now()) / DAY_MS);
    details.daysUntilExpiry = daysLeft;
    if (daysLeft < EXPIRY_WARNING_DAYS) {
      return fail(
        `The key-manager's TLS certificate expires in ${daysLeft} days (${peer.validTo}); renew it.`,
        details,
      );
    }
    return pass(
      `The key-manager is served over https with a certificate that verifies and expires in ${daysLeft} days (${peer.validTo}).`,
      details,
    );
  },
};
