// Response helpers shared by the Keystone and Barbican clients: strict JSON reading (the content
// type must say JSON and the body must parse) and short, redacted error descriptions.

import { HttpStatusError, ProtocolError } from './errors';
import { contentTypeOf, isJsonResponse, type HttpResponse } from './http';
import type { Redactor } from './redact';

export function readJson<T = Record<string, unknown>>(res: HttpResponse, service: string, redactor: Redactor): T {
  const url = redactor.text(res.url);
  if (!isJsonResponse(res)) {
    throw new ProtocolError(
      service,
      `${service} answered ${url} with content type "${contentTypeOf(res) || 'none'}" where JSON was expected.`,
      url,
    );
  }
  try {
    const parsed: unknown = JSON.parse(res.text());
    if (parsed === null || typeof parsed !== 'object') throw new Error('not an object');
    return parsed as T;
  } catch {
    throw new ProtocolError(service, `${service} answered ${url} with malformed JSON (${res.body.length} bytes).`, url);
  }
}

/** The human part of an OpenStack error body (Barbican `description`, Keystone `error.message`). */
export function errorDescription(res: HttpResponse, redactor: Redactor): string {
  let text = '';
  try {
    const body = JSON.parse(res.text()) as Record<string, unknown>;
    const err = body.error as Record<string, unknown> | undefined;
    const candidate = body.description ?? body.title ?? err?.message ?? body.message;
    if (typeof candidate === 'string') text = candidate;
  } catch {
    text = '';
  }
  text = redactor.text(text.replace(/\s+/g, ' ').trim());
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

export function statusError(service: string, method: string, res: HttpResponse, redactor: Redactor): HttpStatusError {
  return new HttpStatusError(service, method, redactor.text(res.url), res.status, errorDescription(res, redactor));
}

/** Join a base URL and a path without doubling or losing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
