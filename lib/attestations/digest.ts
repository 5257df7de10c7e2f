import crypto from 'node:crypto';
import type { Statement } from './statement';

/**
 * The submission digest, shown to the CSP and the reviewer: SHA-256 (lower-case hex) over the
 * UTF-8 bytes of the canonical JSON of
 *
 *   {"attestation": <id>, "cloud": <slug>, "files": [{"mime","name","sha256","size"}, ...],
 *    "revision": <n>, "standard": "scs-0116-v1", "statement": {<answered fields>}}
 *
 * Canonical JSON here: object keys sorted by UTF-16 code units at every level, no whitespace,
 * strings escaped as JSON.stringify does, unanswered fields left out; files sorted by sha256,
 * then name. Anyone holding the statement and the files can recompute it
 * (`canonicalJson` + `sha256Hex`).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    if (value === undefined) throw new TypeError('canonicalJson: undefined');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export interface DigestFile {
  name: string;
  sha256: string;
  size: number;
  mime: string;
}

export interface DigestInput {
  attestationId: string;
  cloudSlug: string;
  revision: number;
  standard: string;
  statement: Statement;
  files: DigestFile[];
}

export function sortedFiles(files: DigestFile[]): DigestFile[] {
  return [...files]
    .map((f) => ({ name: f.name, sha256: f.sha256, size: f.size, mime: f.mime }))
    .sort((a, b) =>
      a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
}

export function submissionDocument(input: DigestInput): string {
  return canonicalJson({
    attestation: input.attestationId,
    cloud: input.cloudSlug,
    files: sortedFiles(input.files),
    revision: input.revision,
    standard: input.standard,
    statement: input.statement,
  });
}

export function submissionDigest(input: DigestInput): string {
  return sha256Hex(submissionDocument(input));
}
