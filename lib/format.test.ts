import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatDuration, formatTimestamp, plural } from './format';

describe('one time format', () => {
  const t = new Date('2025-05-01T20:07:12.345Z');
  it('is 24-hour UTC and names the zone', () => {
    expect(formatDateTime(t)).toBe('2025-05-01 20:07 UTC');
    expect(formatTimestamp(t)).toBe('2025-05-01 20:07:12 UTC');
    expect(formatTimestamp('2025-05-01T20:07:12.345Z')).toBe('2025-05-01 20:07:12 UTC');
    expect(formatDay(t)).toBe('2025-05-01');
  });
  it('says "—" for no time or an invalid one', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatTimestamp(undefined)).toBe('—');
    expect(formatDay('not a date')).toBe('—');
  });
});

describe('plural', () => {
  it('uses the singular only for one', () => {
    expect(plural(1, 'warning')).toBe('1 warning');
    expect(plural(0, 'warning')).toBe('0 warnings');
    expect(plural(2, 'warning')).toBe('2 warnings');
    expect(plural(1200, 'result')).toBe('1,200 results');
    expect(plural(3, 'answer needs', 'answers need')).toBe('3 answers need');
  });
});

describe('formatDuration', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_400)).toBe('12.4 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(null)).toBe('—');
  });
});
