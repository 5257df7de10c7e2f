// Redaction of everything that leaves the HTTP layer as evidence, messages or log lines.
//
// Two independent guards, because either alone has holes:
//  1. by structure: header names (X-Auth-Token, X-Subject-Token, ...) and JSON keys (password,
//     secret, payload, ...) are replaced wherever they occur;
//  2. by value: every credential, token and payload the run knows about is registered here and
//     replaced wherever it shows up in any text (URLs, error messages, non-JSON bodies).
// Fernet and JWT-looking tokens are also masked by pattern, for tokens we never saw being issued.

export const REDACTED = '[REDACTED]';

const SENSITIVE_HEADERS = new Set([
  'x-auth-token',
  'x-subject-token',
  'x-service-token',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
]);

// JSON keys whose string values are secret wherever they appear: Keystone password and
// application-credential auth, Barbican secret payloads and passphrases, private keys.
const SENSITIVE_KEYS = new Set([
  'password',
  'original_password',
  'secret',
  'application_credential_secret',
  'payload',
  'passphrase',
  'private_key',
  'private_key_passphrase',
  'access_token',
  'refresh_token',
  'client_secret',
  'totp',
]);

// Fernet tokens (gAAAAA...) and JWS/JWT tokens; long enough not to hit ordinary words.
const TOKEN_PATTERNS = [
  /gAAAAA[A-Za-z0-9_\-=]{20,}/g,
  /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
];

// Shorter values are not registered: replacing e.g. "abc" everywhere would shred evidence
// without protecting anything a person could not guess anyway.
const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly values = new Set<string>();

  /** Register a value that must never appear in evidence, messages or output. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    this.values.add(value);
    // URL-encoded and JSON-escaped forms show up in query strings and re-serialised bodies.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.values.add(encoded);
    const jsonEscaped = JSON.stringify(value).slice(1, -1);
    if (jsonEscaped !== value) this.values.add(jsonEscaped);
  }

  /** Register the bytes of a binary payload in the forms it can take in text (base64, hex, utf-8). */
  addSecretBytes(bytes: Uint8Array): void {
    const buf = Buffer.from(bytes);
    this.addSecret(buf.toString('base64'));
    this.addSecret(buf.toString('hex'));
    const utf8 = buf.toString('utf8');
    if (!utf8.includes('\uFFFD')) this.addSecret(utf8);
  }

  get size(): number {
    return this.values.size;
  }

  /** Replace every registered value and every token-looking string in free text. */
  text(input: string): string {
    let out = input;
    // Longest first, so a value that contains another registered value is replaced whole.
    const sorted = [...this.values].sort((a, b) => b.length - a.length);
    for (const v of sorted) {
      if (out.includes(v)) out = out.split(v).join(REDACTED);
    }
    for (const re of TOKEN_PATTERNS) out = out.replace(re, REDACTED);
    return out;
  }

  headers(headers: Record<string, string | string[] | undefined>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, raw] of Object.entries(headers)) {
      if (raw === undefined) continue;
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      out[name.toLowerCase()] = SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.text(value);
    }
    return out;
  }

  /** Structural redaction of a parsed JSON value, then value redaction of every string in it. */
  json(value: unknown): unknown {
    return this.walk(value, undefined);
  }

  private walk(value: unknown, parentKey: string | undefined): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, parentKey));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const key = k.toLowerCase();
        // {"token": {"id": "..."}} is Keystone's token auth method: the id is the token itself.
        const tokenId = parentKey === 'token' && key === 'id';
        if ((SENSITIVE_KEYS.has(key) || tokenId) && v !== null && typeof v !== 'object') {
          out[k] = REDACTED;
        } else if (key === 'token' && typeof v === 'string') {
          out[k] = REDACTED;
        } else {
          out[k] = this.walk(v, key);
        }
      }
      return out;
    }
    return value;
  }

  /**
   * Redact a body for evidence. JSON is redacted structurally; anything else by value.
   * `whole` is for bodies that are secret by nature (secret payloads): only their size is kept.
   */
  body(text: string, contentType: string | undefined, whole = false): string {
    if (whole) return text.length === 0 ? '' : `${REDACTED} (${Buffer.byteLength(text)} bytes)`;
    if (text.length === 0) return '';
    if (isJsonContentType(contentType) || looksLikeJson(text)) {
      try {
        return JSON.stringify(this.json(JSON.parse(text)));
      } catch {
        // Malformed JSON is evidence too (it explains an ABORT); keep it, redacted by value.
      }
    }
    return this.text(text);
  }

  /** Redact an Error's message for messages and evidence. */
  error(err: unknown): string {
    if (err instanceof Error) return this.text(err.message);
    return this.text(String(err));
  }
}

export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}

function looksLikeJson(text: string): boolean {
  const c = text.trimStart()[0];
  return c === '{' || c === '[';
}
