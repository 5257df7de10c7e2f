// Text output of km-check beyond the SCS runner's lines (those come from lib/checks/invocation.ts,
// shared with the reports the dashboard emits): the --verbose trace of each request. Everything printed
// comes from a report that the HTTP layer has already redacted.

import type { Evidence } from '../checks/types';

export function formatExchange(e: Evidence): string {
  const outcome = e.status === null ? `failed: ${e.error ?? 'no response'}` : `${e.status}`;
  return `-> ${e.method} ${e.url} ${outcome} (${e.durationMs} ms)`;
}
