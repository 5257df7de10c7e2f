/**
 * Where to go after signing in: only a path of this site. An open redirect would help phishing, and a
 * control character (a newline in `?next=`) must not reach a Location header, where Node refuses it
 * with a 500 instead of a page.
 */
export function safeNext(v: unknown, fallback = '/compliance'): string {
  const s = typeof v === 'string' ? v : '';
  if (!s.startsWith('/') || s.startsWith('//') || s.startsWith('/\\') || s.length > 2000) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(s)) return fallback;
  return s;
}
