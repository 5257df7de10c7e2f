import { fileTypeFromBuffer } from 'file-type/core';
import { ValidationError } from '../errors';
import { formatBytes } from '../format';
import { sha256Hex } from './digest';

/**
 * Evidence files: PDF, PNG, JPEG, plain text and Markdown. The type is decided by the content:
 * PDF, PNG and JPEG by their magic bytes (the `file-type` library); plain text and Markdown have
 * no magic, so a file counts as text when no binary type is recognised, it is valid UTF-8 and it
 * contains no NUL byte. The name's extension must then agree with the content (a PNG named
 * .pdf is refused), and the browser's claimed Content-Type is ignored.
 */
export const ACCEPTED = {
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
  'image/png': { label: 'PNG image', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG image', extensions: ['jpg', 'jpeg'] },
  'text/plain': { label: 'plain text', extensions: ['txt', 'text'] },
  'text/markdown': { label: 'Markdown text', extensions: ['md', 'markdown'] },
} as const;
export type AcceptedMime = keyof typeof ACCEPTED;

export const ACCEPT_ATTRIBUTE = '.pdf,.png,.jpg,.jpeg,.txt,.text,.md,.markdown';
export const ACCEPTED_SUMMARY = 'PDF, PNG, JPEG, plain text (.txt) or Markdown (.md)';
const MAX_NAME = 200;
/** Embeddings, overrides and isolates (U+202A-202E, U+2066-2069), marks (LRM, RLM, ALM) and invisible separators. */
const BIDI_CONTROLS = /[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

export interface InspectedFile {
  name: string;
  mime: AcceptedMime;
  size: number;
  sha256: string;
}

function refuse(message: string): never {
  throw new ValidationError({ file: message }, message);
}

/** The file name as it will be stored and shown, or a refusal that says what is wrong with it. */
export function checkFileName(raw: string): string {
  const name = raw.normalize('NFC').trim();
  if (!name) refuse('The file has no name.');
  if (/[/\\]|%2f|%5c/i.test(name) || name === '.' || name === '..' || name.includes('../') || name.startsWith('..')) {
    refuse(`The file name "${printable(name)}" contains a path (/, \\ or ..); upload the file under its plain name.`);
  }
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) refuse('The file name contains control characters.');
  // Bidirectional controls make "invoice\u202Efdp.txt" show as "invoicetxt.pdf": a name must read as it is.
  if (BIDI_CONTROLS.test(name))
    refuse('The file name contains bidirectional text controls (such as U+202E), which hide its real extension.');
  if (/[<>:"|?*]/.test(name))
    refuse(`The file name "${printable(name)}" contains one of < > : " | ? *; rename the file.`);
  if (name.startsWith('.')) refuse('The file name must not start with a dot.');
  if (name.length > MAX_NAME) refuse(`The file name is longer than ${MAX_NAME} characters.`);
  return name;
}

function printable(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
    .replace(new RegExp(BIDI_CONTROLS.source, 'g'), '?')
    .slice(0, 80);
}

export function extensionOf(name: string): string {
  const m = /\.([^.]+)$/.exec(name);
  return m ? m[1].toLowerCase() : '';
}

/** True when the bytes are valid UTF-8 without NUL bytes (a BOM is allowed). */
export function isPlainText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The accepted type of the content, or a refusal naming what the content is. */
export async function detectType(bytes: Uint8Array, ext: string): Promise<AcceptedMime> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) {
    if (detected.mime === 'application/pdf' || detected.mime === 'image/png' || detected.mime === 'image/jpeg') {
      return detected.mime as AcceptedMime;
    }
    refuse(
      `The content is ${detected.ext.toUpperCase()} (${detected.mime}), which is not accepted; upload ${ACCEPTED_SUMMARY}.`,
    );
  }
  if (!isPlainText(bytes))
    refuse(
      `The content is not ${ACCEPTED_SUMMARY} (binary data that is neither PDF, PNG nor JPEG, or text that is not valid UTF-8).`,
    );
  return ext === 'md' || ext === 'markdown' ? 'text/markdown' : 'text/plain';
}

/**
 * Checks everything about an upload before anything is stored: the name, emptiness, the size
 * limit, the content type and that the name's extension agrees with the content.
 */
export async function inspectFile(
  rawName: string,
  bytes: Uint8Array,
  limits: { maxBytes: number },
): Promise<InspectedFile> {
  const name = checkFileName(rawName);
  const ext = extensionOf(name);
  const known = Object.values(ACCEPTED).flatMap((a) => a.extensions as readonly string[]);
  if (!known.includes(ext)) {
    refuse(
      ext
        ? `Files ending in .${ext} are not accepted; upload ${ACCEPTED_SUMMARY}.`
        : `The file name has no extension; upload ${ACCEPTED_SUMMARY}.`,
    );
  }
  if (bytes.length === 0) refuse(`"${name}" is empty.`);
  if (bytes.length > limits.maxBytes)
    refuse(`"${name}" is ${formatBytes(bytes.length)}, more than the limit of ${formatBytes(limits.maxBytes)}.`);
  const mime = await detectType(bytes, ext);
  const expected = ACCEPTED[mime].extensions as readonly string[];
  if (!expected.includes(ext)) {
    refuse(
      `"${name}" is named .${ext}, but its content is ${ACCEPTED[mime].label === 'plain text' ? 'plain text' : `a ${ACCEPTED[mime].label}`}; name it .${expected[0]} or upload the right file.`,
    );
  }
  return { name, mime, size: bytes.length, sha256: sha256Hex(bytes) };
}

/** The Content-Type a download is served with: the detected type, text always as UTF-8. */
export function contentTypeFor(mime: string): string {
  if (mime === 'text/plain' || mime === 'text/markdown') return `${mime}; charset=utf-8`;
  if (mime in ACCEPTED) return mime;
  return 'application/octet-stream';
}

/** Types a page may show in place through <img> (never text, PDF or anything a browser could run). */
export function isInlineImage(mime: string): boolean {
  return mime === 'image/png' || mime === 'image/jpeg';
}

/**
 * Whether a stored file may be handed to a preview (an <img>, or the sandboxed PDF viewer): its
 * stored type is an image or a PDF and its bytes, sniffed again now, are that type. A record whose
 * content is something else (changed in storage, or stored before the content checks) is never
 * shown as what it claims to be.
 */
export async function previewable(mime: string, bytes: Uint8Array): Promise<boolean> {
  if (!isInlineImage(mime) && mime !== 'application/pdf') return false;
  return (await fileTypeFromBuffer(bytes))?.mime === mime;
}

/**
 * A Content-Disposition for the stored name: "attachment" (or "inline" for an image preview), an
 * ASCII fallback with anything unusual replaced by "_", and the UTF-8 name in RFC 5987 form.
 */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii =
    name
      .replace(/[^A-Za-z0-9._ ()-]/g, '_')
      .replace(/^\.+/, '_')
      .slice(0, MAX_NAME) || 'evidence';
  const utf8 = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
