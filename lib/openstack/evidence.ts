// One record per HTTP exchange with a cloud: what was asked, what came back, how long it took.
// Records are built by the HTTP layer only, already redacted, so nothing downstream (checks,
// server persistence, CLI output) can see a token, password, credential secret or payload.

export interface Evidence {
  /** Position of the exchange within the run (1-based). */
  seq: number;
  /** ISO time the request was sent. */
  at: string;
  /** OpenStack service type the request was addressed to, e.g. identity or key-manager. */
  service: string;
  method: string;
  url: string;
  /** HTTP status, or null when no response arrived (timeout, refused address, TLS error, ...). */
  status: number | null;
  durationMs: number;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** Size of the response body as received, before redaction and truncation. */
  responseBytes?: number;
  /** True when the stored body was shortened to the evidence limit. */
  bodyTruncated?: boolean;
  /** Why the exchange failed, when it did (already redacted). */
  error?: string;
}

/** Evidence bodies are kept short: they explain a verdict, they are not an archive. */
export const EVIDENCE_BODY_LIMIT = 8 * 1024;

export function clip(text: string, limit = EVIDENCE_BODY_LIMIT): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  return { text: `${text.slice(0, limit)}…`, truncated: true };
}
