import { z } from 'zod';
import { PolicyError } from './auth/policy';
import { isDatabaseUnavailable, isInvalidText } from './db/pool';

/** Errors the domain raises on purpose; anything else is a bug and is shown as 500 without detail. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(fields: Record<string, string>, message = 'Some fields need attention.') {
    super('invalid_input', message, 422, fields);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super('not_found', `${what} not found.`, 404);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, fields?: Record<string, string>) {
    super('conflict', message, 409, fields);
  }
}

/** Field errors of a zod failure, one message per field (the first). */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}

/** A missing field says so (instead of zod's "expected string, received undefined"); schema messages win. */
const requiredMessage = (issue: { code: string; input?: unknown }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required.' : undefined;

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const r = schema.safeParse(input, { error: requiredMessage });
  if (!r.success) throw new ValidationError(fieldErrors(r.error));
  return r.data;
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

/**
 * A unique constraint the database enforced because two requests raced past a "does it exist"
 * check (two creates of one slug at the same moment): a conflict for the caller, not a 500.
 */
export function uniqueViolation(err: unknown): ConflictError | null {
  const e = err as {
    name?: string;
    code?: string;
    meta?: {
      target?: unknown;
      driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } };
    };
  } | null;
  if (e?.name !== 'PrismaClientKnownRequestError' || e.code !== 'P2002') return null;
  const constraint = e.meta?.driverAdapterError?.cause?.constraint;
  const target = Array.isArray(e.meta?.target) ? (e.meta.target as string[]) : undefined;
  const field =
    constraint?.fields?.[0] ?? target?.[0] ?? /^[A-Za-z]+_([A-Za-z]+)_key$/.exec(constraint?.index ?? '')?.[1];
  return new ConflictError(
    'This exists already (it was created at the same moment).',
    field ? { [field]: `This ${field} is taken.` } : undefined,
  );
}

/** The one mapping from a thrown error to what a caller may see (never internals). */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  err = uniqueViolation(err) ?? err;
  if (err instanceof PolicyError) {
    const code =
      err.decision === 'unauthenticated' ? 'unauthenticated' : err.decision === 'hidden' ? 'not_found' : 'forbidden';
    return { status: err.status, body: { error: { code, message: err.message } } };
  }
  if (err instanceof AppError) {
    return {
      status: err.status,
      body: { error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } },
    };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      status: 503,
      body: {
        error: { code: 'database_unavailable', message: 'The database is not answering; try again in a few seconds.' },
      },
    };
  }
  if (isInvalidText(err)) {
    return {
      status: 400,
      body: { error: { code: 'invalid_text', message: 'Text must not contain a NUL character (\\u0000).' } },
    };
  }
  return {
    status: 500,
    body: { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } },
  };
}

/**
 * An unexpected error as one log entry without the data it carried: name, code, the first line of
 * the message and the stack frames. Database errors quote the arguments of the failing call in
 * later message lines, and those may hold a secret or a token hash.
 */
export function describeInternalError(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as { code?: unknown }).code;
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .slice(0, 8)
    .join('\n');
  return `${err.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${err.message.split('\n')[0].slice(0, 200)}${frames ? `\n${frames}` : ''}`;
}
