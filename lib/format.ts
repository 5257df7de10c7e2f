// One way to write times, counts and durations on every page, in messages and e-mails: 24-hour
// clock, always in UTC and saying so ("2025-05-01 08:07 UTC"), so that a screenshot, an audit line
// and an e-mail read the same wherever the reader sits. Pure functions: pages, client components
// and lib messages share them.

type When = Date | string | number | null | undefined;

function iso(d: Exclude<When, null | undefined>): string | null {
  const t = new Date(d);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

/** "2025-05-01 08:07 UTC"; "—" when there is no time. */
export function formatDateTime(d: When): string {
  const s = d === null || d === undefined ? null : iso(d);
  return s ? `${s.slice(0, 10)} ${s.slice(11, 16)} UTC` : '—';
}

/** "2025-05-01 08:07:12 UTC": to the second (audit log, evidence, signatures). */
export function formatTimestamp(d: When): string {
  const s = d === null || d === undefined ? null : iso(d);
  return s ? `${s.slice(0, 10)} ${s.slice(11, 19)} UTC` : '—';
}

/** "2025-05-01" (a UTC day: validity dates of certificates and attestations). */
export function formatDay(d: When): string {
  const s = d === null || d === undefined ? null : iso(d);
  return s ? s.slice(0, 10) : '—';
}

/** "1 warning", "2 warnings", "1 check", "3 checks"; irregular plurals are given. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "850 ms", "12.4 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const total = Math.floor(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(sec).padStart(2, '0')} s`;
}

/** A size in bytes, KiB or MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
