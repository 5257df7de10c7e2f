// When a result expires: scs_cert_lib.add_period of the official SCS tooling (SCS-0004 regulations 2
// and 3), in UTC. A result checked at t is valid before that instant, not at it. The table test
// tests/unit/lifetime.test.ts runs upstream's Python function beside this one.

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
      // the midnight that starts the day after tomorrow (t + 2 days, time dropped)
      return midnight(new Date(checkedAt.getTime() + 2 * DAY));
    case 'week': {
      // midnight of the Monday after t + 7 days (t + 14 days - weekday, time dropped)
      const weekday = (checkedAt.getUTCDay() + 6) % 7; // Monday = 0
      return midnight(new Date(checkedAt.getTime() + (14 - weekday) * DAY));
    }
    case 'month':
      // the first of the month after next (Date.UTC carries month 12 and 13 into the next year)
      return new Date(Date.UTC(y, m + 2, 1));
    case 'quarter': {
      // the first day of the quarter after next
      const q = Math.floor(m / 3);
      return new Date(Date.UTC(y, (q + 2) * 3, 1));
    }
    case 'year':
      return new Date(Date.UTC(y + 1, m + 2, 1));
  }
}
