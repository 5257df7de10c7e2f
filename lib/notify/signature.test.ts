import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { legacySignature, standardSignature, webhookHeaders } from './deliver';
import { newWebhookSecret, signingKey } from './secrets';

describe('webhook signatures', () => {
  it("follow Standard Webhooks: the reference implementation's test vector", () => {
    // From the standard-webhooks JavaScript library's tests ("sign function works").
    expect(
      standardSignature(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        '1614265330',
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('make secrets of 32 random bytes as whsec_<base64>', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(signingKey(a)).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(a);
  });

  it('key secrets made before (base64url of 24 bytes) with the same bytes', () => {
    const bytes = Buffer.from('fb/+' + 'a'.repeat(28), 'base64');
    const old = `whsec_${bytes.toString('base64url')}`;
    expect(old).toMatch(/[-_]/);
    expect(signingKey(old).equals(bytes)).toBe(true);
  });

  it('carry the legacy X-SCS-Signature for one more release, keyed with the whole secret string', () => {
    const h = webhookHeaders({ kind: 'statusChange' }, { id: 'd-1', secret: 'whsec_k' }, '1700000000', '{"a":1}');
    expect(h['X-SCS-Signature']).toBe(
      `sha256=${createHmac('sha256', 'whsec_k').update('1700000000.{"a":1}').digest('hex')}`,
    );
    expect(h['X-SCS-Signature']).toBe(legacySignature('whsec_k', '1700000000', '{"a":1}'));
    expect(h).toMatchObject({
      'webhook-id': 'd-1',
      'webhook-timestamp': '1700000000',
      'X-SCS-Event': 'status-change',
      'X-SCS-Delivery': 'd-1',
      'X-SCS-Timestamp': '1700000000',
    });
    expect(h['webhook-signature']).toBe(standardSignature('whsec_k', 'd-1', '1700000000', '{"a":1}'));
  });
});
