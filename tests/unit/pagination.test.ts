import { describe, expect, it } from 'vitest';
import { MAX_PAGE, pageArgs } from '@/lib/pagination';

describe('pageArgs', () => {
  it('reads page and size, with defaults and bounds', () => {
    expect(pageArgs({ page: '3', pageSize: '10' })).toEqual({ skip: 20, take: 10, page: 3, pageSize: 10 });
    expect(pageArgs({}, 50)).toEqual({ skip: 0, take: 50, page: 1, pageSize: 50 });
    expect(pageArgs({ page: '-4', pageSize: '5000' })).toMatchObject({ page: 1, pageSize: 200 });
    expect(pageArgs({ page: 'abc' })).toMatchObject({ page: 1, skip: 0 });
  });

  it('keeps absurd page numbers to a safe integer offset', () => {
    for (const page of ['1e400', '1e21', 'Infinity', String(Number.MAX_SAFE_INTEGER)]) {
      const a = pageArgs({ page, pageSize: 200 });
      expect(a.page).toBe(MAX_PAGE);
      expect(Number.isSafeInteger(a.skip)).toBe(true);
    }
  });
});
