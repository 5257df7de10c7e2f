// When a result expires (scs_cert_lib.add_period, SCS-0004 regulations 2 and 3), in UTC. Used by
// "refresh expiring" to re-run testcases before their results lapse.

import type { ResultLifetime } from '../checks/types';

const DAY = 86_400_000;

function midnight(t: Date): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
}

export function expiresAt(checkedAt: Date, lifetime: ResultLifetime): Date {
  const y = checkedAt.getUTCFullYear();
  const m = checkedAt.getUTCMonth();
  switch (lifetime) {
    case 'day':
      // the midnight after t + 2 days
      return new Date(midnight(new Date(checkedAt.getTime() + 2 * DAY)).getTime() + DAY);
    case 'week': {
      // midnight of the Monday after t + 7 days
      const u = midnight(new Date(checkedAt.getTime() + 7 * DAY));
      const weekday = (u.getUTCDay() + 6) % 7; // Monday = 0
      return new Date(u.getTime() + (7 - weekday) * DAY);
    }
    case 'month':
      return new Date(Date.UTC(y, m + 2, 1));
    case 'quarter': {
      const q = Math.floor(m / 3);
      return new Date(Date.UTC(y, (q + 2) * 3, 1));
    }
    case 'year':
      return new Date(Date.UTC(y + 1, m + 2, 1));
  }
}
