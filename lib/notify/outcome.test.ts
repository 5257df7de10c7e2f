import { describe, expect, it } from 'vitest';
import { notifySettings, retryDelayMs } from './config';
import { EVENTS, eventOf, kindOf } from './kinds';
import { REASONS, describeOutcome } from './outcome';

describe('describeOutcome', () => {
  const held = REASONS.emailNotConfigured(24);
  it('says queued, expired and no recipients', () => {
    expect(describeOutcome('queued', [])).toEqual({ state: 'queued', text: 'queued' });
    expect(describeOutcome('expired', [], 168).text).toBe(
      'not sent: the message waited longer than 168 h for a worker',
    );
    expect(describeOutcome('dispatched', []).state).toBe('no-recipients');
  });
  it('counts recipients, with plurals', () => {
    expect(describeOutcome('dispatched', [{ status: 'delivered', lastError: null }]).text).toBe('sent to 1 recipient');
    const three = Array.from({ length: 3 }, () => ({ status: 'delivered' as const, lastError: null }));
    expect(describeOutcome('dispatched', three).text).toBe('sent to 3 recipients');
    expect(describeOutcome('dispatched', [...three, { status: 'pending', lastError: 'SMTP 451' }]).text).toBe(
      'sending: 3 of 4 recipients so far',
    );
  });
  it('names the reason a message was not sent, the most common first', () => {
    expect(describeOutcome('dispatched', [{ status: 'held', lastError: held }])).toEqual({
      state: 'not-sent',
      text: held,
    });
    expect(
      describeOutcome('dispatched', [
        { status: 'delivered', lastError: null },
        { status: 'held', lastError: held },
        { status: 'held', lastError: held },
        { status: 'failed', lastError: 'the receiver answered 500' },
      ]).text,
    ).toBe(`sent to 1 of 4 recipients; 3 others ${held} (and 1 other reason)`);
    expect(describeOutcome('dispatched', [{ status: 'failed', lastError: 'the receiver answered 500' }]).text).toBe(
      'not sent: the receiver answered 500',
    );
  });
});

describe('retry backoff', () => {
  it('doubles from NOTIFY_RETRY_DELAY_S with at most 10 % jitter, capped at 6 h', () => {
    const s = notifySettings({ NOTIFY_RETRY_DELAY_S: '30' });
    expect([1, 2, 3, 4].map((n) => retryDelayMs(s, n, () => 0))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(s, 1, () => 0.999)).toBe(32_997);
    expect(retryDelayMs(s, 30, () => 0)).toBe(6 * 3_600_000);
  });
  it('stops at bad values, naming the variable, instead of turning them into NaN; empty is unset', () => {
    expect(() => notifySettings({ NOTIFY_RETRY_DELAY_S: 'soon' })).toThrow(/NOTIFY_RETRY_DELAY_S must be a number/);
    expect(() => notifySettings({ NOTIFY_RETRY_LIMIT: '-1' })).toThrow(/NOTIFY_RETRY_LIMIT must be at least 0/);
    expect(notifySettings({ NOTIFY_MAX_AGE_HOURS: '' })).toMatchObject({
      retryDelayMs: 30_000,
      retryLimit: 5,
      maxAgeMs: 168 * 3_600_000,
    });
    expect(notifySettings({ NOTIFY_RETRY_LIMIT: '0' }).retryLimit).toBe(0);
  });
});

describe('kinds', () => {
  it('map event names to enum values and back, and refuse unknown ones', () => {
    for (const e of EVENTS) expect(eventOf(kindOf(e))).toBe(e);
    expect(() => kindOf('attestation.reviewed' as never)).toThrow(/unknown notification kind/);
  });
});
