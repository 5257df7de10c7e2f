// Building check outcomes, and turning errors into the verdict the official semantics give them:
// a refusal by policy (403) is a FAIL of the cloud; anything that kept us from finding out
// (transport errors, timeouts, 5xx, garbled answers, refused addresses) is an ABORT.

import { AuthenticationError, HttpStatusError, describeError, type Redactor } from '../openstack';
import type { CheckOutcome } from './types';

export function pass(message: string, details: Record<string, unknown> = {}): CheckOutcome {
  return { verdict: 'PASS', message, details };
}

export function fail(message: string, details: Record<string, unknown> = {}): CheckOutcome {
  return { verdict: 'FAIL', message, details };
}

export function abort(message: string, details: Record<string, unknown> = {}): CheckOutcome {
  return { verdict: 'ABORT', message, details };
}

/** ABORT for an error raised while doing `what` ("create a secret", ...). */
export function abortFromError(err: unknown, what: string, redactor?: Redactor): CheckOutcome {
  const reason = redactor ? redactor.text(describeError(err)) : describeError(err);
  if (err instanceof AuthenticationError) {
    return abort(`Authentication failed, so nothing could be tested: ${reason}`, {
      error: reason,
      stage: 'authentication',
    });
  }
  return abort(`Could not ${what}: ${reason}`, {
    error: reason,
    ...(err instanceof HttpStatusError ? { status: err.status } : {}),
  });
}

export function isForbidden(err: unknown): err is HttpStatusError {
  return err instanceof HttpStatusError && err.status === 403;
}

/** The key-manager is not in the region under test: informational checks have nothing to look at. */
export function notApplicable(region: string | undefined): CheckOutcome {
  return abort(
    `No key-manager endpoint in ${region ? `region ${region}` : 'the catalog'}, so this check could not run.`,
    { applicable: false },
  );
}
