// Errors of the OpenStack layer. Every message is one sentence a cloud operator can act on and
// never contains a credential, token or payload: messages are built from URLs, status codes and
// error codes only, and the HTTP layer passes them through the run's redactor as a second guard.

/** Why an exchange with a cloud did not produce a usable HTTP response. */
export type TransportFailure =
  | 'connect-timeout'
  | 'headers-timeout'
  | 'body-timeout'
  | 'deadline'
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'address-refused'
  | 'redirect-refused'
  | 'body-too-large'
  | 'truncated'
  | 'aborted'
  | 'network';

export class OpenStackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The request never produced a complete response: timeouts, refused addresses, TLS, resets. */
export class TransportError extends OpenStackError {
  constructor(
    readonly failure: TransportFailure,
    message: string,
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The address guard refused to connect (link-local/metadata, or private without permission). */
export class AddressRefusedError extends TransportError {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly reason: string,
    url = '',
  ) {
    super(
      'address-refused',
      `Refused to connect to ${host}${host === address ? '' : ` (${address})`}: ${reason}.`,
      url,
    );
  }
}

/** The cloud answered with a status the caller did not expect. */
export class HttpStatusError extends OpenStackError {
  constructor(
    readonly service: string,
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly description: string,
  ) {
    super(`${service} answered ${method} ${url} with HTTP ${status}${description ? `: ${description}` : ''}.`);
  }
}

/** The cloud answered, but not in the shape the API defines (bad JSON, wrong content type, bad refs). */
export class ProtocolError extends OpenStackError {
  constructor(
    readonly service: string,
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}

/**
 * A list page whose `next` link names another origin than the catalog's endpoint (Barbican builds
 * it from its host_href setting). openstacksdk follows such a link with its token; we never do.
 */
export class ForeignLinkError extends ProtocolError {
  constructor(
    service: string,
    url: string,
    readonly linkOrigin: string,
    readonly catalogOrigin: string,
  ) {
    super(
      service,
      `The list at ${url} continues at ${linkOrigin}, not at the catalog's ${catalogOrigin} (Barbican builds its next links from host_href): standard clients such as openstacksdk follow that link with their token, and this checker does not send a token to a host the catalog does not name.`,
      url,
    );
  }
}

/** The cloud configuration given to us is incomplete or contradictory. */
export class ConfigError extends OpenStackError {}

/** Keystone refused the credential (401) or the credential cannot be used to get a project token. */
export class AuthenticationError extends OpenStackError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function isStatus(err: unknown, ...statuses: number[]): err is HttpStatusError {
  return err instanceof HttpStatusError && statuses.includes(err.status);
}

/** A short, secret-free description of any error, for messages and evidence. */
export function describeError(err: unknown): string {
  if (err instanceof OpenStackError) return err.message;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
