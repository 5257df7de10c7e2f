import type { Actor } from './auth/policy';

/** Who is asking, and from where: passed from routes into every lib function that changes state. */
export interface RequestContext {
  actor: Actor | null;
  clientAddress: string | null;
  /** Shown in the audit log when there is no user (e.g. "admin-cli", "system"). */
  via?: string;
}
