import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from './redact';

describe('Redactor', () => {
  it('replaces sensitive headers whatever their case', () => {
    const r = new Redactor();
    expect(
      r.headers({
        'X-Auth-Token': 'abc',
        'x-subject-token': 'def',
        Authorization: 'Basic x',
        'Content-Type': 'application/json',
      }),
    ).toEqual({
      'x-auth-token': REDACTED,
      'x-subject-token': REDACTED,
      authorization: REDACTED,
      'content-type': 'application/json',
    });
  });

  it('redacts passwords, application credential secrets and payloads in JSON bodies by key', () => {
    const r = new Redactor();
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password', 'application_credential'],
          password: { user: { name: 'u', password: 'hunter2-long' } },
          application_credential: { id: 'ac-id', secret: 'ac-secret-value' },
          token: { id: 'tok-123456' },
        },
      },
      payload: 'c2VjcmV0',
      payload_content_type: 'text/plain',
    });
    const out = r.body(body, 'application/json');
    expect(out).not.toContain('hunter2-long');
    expect(out).not.toContain('ac-secret-value');
    expect(out).not.toContain('c2VjcmV0');
    expect(out).not.toContain('tok-123456');
    // Non-secret structure stays readable for the reviewer.
    expect(JSON.parse(out)).toMatchObject({
      auth: { identity: { application_credential: { id: 'ac-id', secret: REDACTED } } },
      payload_content_type: 'text/plain',
    });
  });

  it('keeps the password key visible as redacted when the password method object is structural', () => {
    const r = new Redactor();
    const out = JSON.parse(
      r.body(JSON.stringify({ password: { user: { password: 'pw-123456' } } }), 'application/json'),
    );
    expect(out).toEqual({ password: { user: { password: REDACTED } } });
  });

  it('replaces registered values anywhere in text, including URL-encoded forms', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t/value+1');
    expect(r.text('GET /x?q=s3cr3t%2Fvalue%2B1 and s3cr3t/value+1')).toBe(`GET /x?q=${REDACTED} and ${REDACTED}`);
  });

  it('replaces binary payloads registered as bytes in base64 and hex form', () => {
    const r = new Redactor();
    const bytes = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    r.addSecretBytes(bytes);
    expect(r.text(`b64 ${bytes.toString('base64')} hex ${bytes.toString('hex')}`)).toBe(
      `b64 ${REDACTED} hex ${REDACTED}`,
    );
  });

  it('masks Fernet tokens it was never told about', () => {
    const r = new Redactor();
    const fernet = `gAAAAABk${'x'.repeat(120)}`;
    expect(r.text(`token ${fernet} end`)).toBe(`token ${REDACTED} end`);
  });

  it('ignores values too short to be meaningful instead of shredding evidence', () => {
    const r = new Redactor();
    r.addSecret('abc');
    expect(r.text('abc')).toBe('abc');
    expect(r.size).toBe(0);
  });

  it('replaces a whole secret response body with its size', () => {
    const r = new Redactor();
    expect(r.body('the payload itself', 'text/plain', true)).toBe(`${REDACTED} (18 bytes)`);
  });

  it('still redacts malformed JSON by value', () => {
    const r = new Redactor();
    r.addSecret('pw-abcdef');
    expect(r.body('{"password": "pw-abcdef", ', 'application/json')).not.toContain('pw-abcdef');
  });
});
