/**
 * The one policy function: every page, server action, route handler and job asks `decide`
 * (or `authorize`, which throws) whether an actor may do an action to a resource.
 *
 * Outcomes follow one rule: an anonymous caller is unauthenticated (401 / sign-in); a user
 * who may not even see the resource gets "hidden" (404, its existence is not revealed); a
 * user who may see it but not do this gets "forbidden" (403).
 */
export type Role = 'admin' | 'reviewer' | 'csp';

export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** Organizations a csp user belongs to (staff see all regardless). */
  organizationIds: string[];
}

/**
 * The machine itself (start-up, the admin CLI run by the operator, scheduled jobs): full rights,
 * no user row, recorded in the audit log under its label.
 */
export function systemActor(label: string): Actor {
  return { id: '', email: label, name: label, role: 'admin', organizationIds: [] };
}

export type Resource =
  | { type: 'global' }
  | { type: 'organization'; id: string }
  | { type: 'cloud'; organizationId: string }
  | { type: 'attestation'; organizationId: string }
  | { type: 'user'; id: string }
  | { type: 'token'; userId: string }
  /** A report-signing key of an organization; whether the certification body approved it decides who may remove it. */
  | { type: 'key'; organizationId: string; approved: boolean }
  /**
   * A resource that does not exist (lib/resources.ts): it answers as one out of sight, so whether it
   * exists is not revealed; staff, who see everything, learn that it is missing.
   */
  | { type: 'missing' };

export const ACTIONS = [
  // organizations (resource: global for list/create, organization otherwise)
  'organization.list',
  'organization.create',
  'organization.read',
  'organization.update',
  'organization.archive',
  // clouds (resource: global for list, organization for create, cloud otherwise)
  'cloud.list',
  'cloud.create',
  'cloud.read',
  'cloud.update',
  'cloud.archive',
  // the certified endpoint (Keystone auth URL and region) runs must use to count: staff only, audited
  'cloud.pin',
  // cloud credentials (resource: the cloud): the write-only view, setting/replacing/deleting, the connection test
  'credential.read',
  'credential.write',
  'credential.test',
  // letting a cloud's checks reach loopback and private addresses (the address guard's per-cloud switch):
  // an SSRF switch, so the certification body's alone
  'credential.allow_private',
  // how the vault protects credentials (KEK provider and its warnings; resource: global)
  'vault.status',
  // users and invitations (resource: global, or the user)
  'user.list',
  'user.create',
  'user.read',
  'user.update',
  'invitation.create',
  'invitation.revoke',
  // audit log (resource: global for the whole log, organization for one organization's events)
  'audit.read',
  // personal API tokens (resource: the token's owner)
  'token.create',
  'token.list',
  'token.revoke',
  // attestations of the manual testcase key-manager-docs-check (resource: global for the list,
  // cloud for starting one, attestation otherwise; both carry the cloud's organization)
  'attestation.list',
  'attestation.read',
  'attestation.write',
  'attestation.submit',
  'attestation.review',
  // runs of checks (resource: the cloud): CSP users start and read runs of their organizations' clouds; staff cancel
  'run.create',
  'run.read',
  'run.cancel',
  // notifications: own e-mail preferences (resource: the user), an organization's webhooks
  // (resource: the organization, or global for the certification body's own), the delivery log (global, staff)
  'notification.manage',
  'webhook.manage',
  'webhook.log.read',
  // certificates (resource: the cloud): granted and revoked by the certification body only; who may
  // see a cloud sees its certificates (and the public pages show those of public clouds to everyone)
  'certificate.grant',
  'certificate.revoke',
  // Prometheus metrics of every cloud (resource: global): staff, or a staff user's API token
  'metrics.read',
  // OpenSSH keys an organization signs official-runner reports with (resource: the organization for
  // list and create, the key otherwise): who sees the organization lists them; the CSP registers them
  // and removes those not approved. Reports signed with a key count only while the certification body
  // approves it (a CSP's own key would let it vouch for itself): approving and withdrawing are staff's,
  // and so is removing an approved key (removing it would let the CSP shed the results it signed).
  'key.list',
  'key.create',
  'key.delete',
  'key.approve',
  'key.unapprove',
  // POST /reports (resource: the cloud): a signed report of the official runner, uploaded by a user of
  // the cloud's organization (its signature must be by one of the organization's keys)
  'report.upload',
  // forwarding a cloud's runs to an SCS compliance monitor (resource: the cloud): staff set it; who sees
  // the cloud sees where its results go and whether they arrived (never the API key)
  'forwarding.read',
  'forwarding.manage',
] as const;
export type Action = (typeof ACTIONS)[number];

export type Decision = 'allow' | 'unauthenticated' | 'hidden' | 'forbidden';

export const STATUS_OF: Record<Exclude<Decision, 'allow'>, number> = {
  unauthenticated: 401,
  hidden: 404,
  forbidden: 403,
};

const STAFF: Role[] = ['admin', 'reviewer'];

function isStaff(actor: Actor): boolean {
  return STAFF.includes(actor.role);
}

/** Whether the actor can see the organization a resource belongs to at all. */
function seesOrganization(actor: Actor, organizationId: string): boolean {
  return isStaff(actor) || actor.organizationIds.includes(organizationId);
}

export function decide(actor: Actor | null, action: Action, resource: Resource): Decision {
  if (!actor) return 'unauthenticated';
  if (resource.type === 'missing') return isStaff(actor) ? 'allow' : 'hidden';
  if (actor.role === 'admin') return 'allow';
  const [noun, verb] = action.split('.') as [string, string];

  switch (noun) {
    case 'organization': {
      if (action === 'organization.list') return 'allow'; // callers filter by visibility
      if (action === 'organization.create') return isStaff(actor) ? 'allow' : 'forbidden';
      if (resource.type !== 'organization') return 'hidden';
      if (!seesOrganization(actor, resource.id)) return 'hidden';
      if (verb === 'read') return 'allow';
      return isStaff(actor) ? 'allow' : 'forbidden';
    }
    case 'cloud': {
      if (action === 'cloud.list') return 'allow'; // callers filter by visibility
      const orgId =
        resource.type === 'cloud' ? resource.organizationId : resource.type === 'organization' ? resource.id : null;
      if (orgId === null) return action === 'cloud.create' && isStaff(actor) ? 'allow' : 'forbidden';
      if (!seesOrganization(actor, orgId)) return 'hidden';
      if (verb === 'read') return 'allow';
      // Cloud metadata (name, public listing, organization) is the certification body's.
      return isStaff(actor) ? 'allow' : 'forbidden';
    }
    case 'credential': {
      // Staff may handle any cloud's credentials; a CSP user those of its own organizations' clouds.
      if (resource.type !== 'cloud') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      if (action === 'credential.allow_private') return isStaff(actor) ? 'allow' : 'forbidden';
      return 'allow';
    }
    case 'vault':
      return isStaff(actor) ? 'allow' : 'forbidden';
    case 'user':
    case 'invitation': {
      // Only admins (handled above) manage users; a user may read their own record.
      if (action === 'user.read' && resource.type === 'user' && resource.id === actor.id) return 'allow';
      // Another user's record is not theirs to see: 404, as for any resource out of sight.
      if (resource.type === 'user' && resource.id !== actor.id) return 'hidden';
      return 'forbidden';
    }
    case 'audit': {
      if (isStaff(actor)) return 'allow';
      if (resource.type === 'organization') return seesOrganization(actor, resource.id) ? 'allow' : 'hidden';
      return 'forbidden';
    }
    case 'attestation': {
      // The list is filtered by visibility (staff: all, for the review queue; csp: their own).
      if (action === 'attestation.list') return 'allow';
      const orgId = resource.type === 'attestation' || resource.type === 'cloud' ? resource.organizationId : null;
      if (orgId === null) return action === 'attestation.review' && isStaff(actor) ? 'allow' : 'forbidden';
      if (!seesOrganization(actor, orgId)) return 'hidden';
      if (verb === 'read') return 'allow';
      // The statement, its evidence and the signature are the CSP's; the review is the
      // certification body's, and a reviewer does not write what they judge.
      if (verb === 'review') return isStaff(actor) ? 'allow' : 'forbidden';
      return actor.role === 'csp' && actor.organizationIds.includes(orgId) ? 'allow' : 'forbidden';
    }
    case 'run': {
      if (resource.type !== 'cloud') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      if (action === 'run.cancel') return isStaff(actor) ? 'allow' : 'forbidden';
      return 'allow';
    }
    case 'notification': {
      if (resource.type !== 'user') return 'forbidden';
      return resource.id === actor.id ? 'allow' : 'hidden';
    }
    case 'webhook': {
      if (action === 'webhook.log.read') return isStaff(actor) ? 'allow' : 'forbidden';
      if (resource.type === 'organization') return seesOrganization(actor, resource.id) ? 'allow' : 'hidden';
      return isStaff(actor) ? 'allow' : 'forbidden';
    }
    case 'certificate': {
      if (resource.type !== 'cloud') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      return isStaff(actor) ? 'allow' : 'forbidden';
    }
    case 'metrics':
      return isStaff(actor) ? 'allow' : 'forbidden';
    case 'key': {
      if (action === 'key.list' || action === 'key.create') {
        if (resource.type !== 'organization') return 'forbidden';
        if (!seesOrganization(actor, resource.id)) return 'hidden';
        if (verb === 'list') return 'allow';
        // The keys are the CSP's own: its members register them, not the staff who judge them.
        return actor.role === 'csp' ? 'allow' : 'forbidden';
      }
      if (resource.type !== 'key') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      // Whether a key's reports count is the certification body's decision.
      if (action === 'key.approve' || action === 'key.unapprove') return isStaff(actor) ? 'allow' : 'forbidden';
      // key.delete: an approved key's reports count, so only staff remove it; an unapproved one is the CSP's.
      if (resource.approved) return isStaff(actor) ? 'allow' : 'forbidden';
      return actor.role === 'csp' ? 'allow' : 'forbidden';
    }
    case 'report': {
      if (resource.type !== 'cloud') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      return actor.role === 'csp' ? 'allow' : 'forbidden';
    }
    case 'forwarding': {
      if (resource.type !== 'cloud') return 'forbidden';
      if (!seesOrganization(actor, resource.organizationId)) return 'hidden';
      if (verb === 'read') return 'allow';
      return isStaff(actor) ? 'allow' : 'forbidden';
    }
    case 'token': {
      if (resource.type !== 'token') return 'forbidden';
      return resource.userId === actor.id ? 'allow' : 'hidden';
    }
  }
  return 'forbidden';
}

/** "cloud.create" -> "create clouds", "cloud.update" -> "update this cloud", "audit.read" -> "read this audit log". */
function describeAction(action: Action, resource?: Resource): string {
  if (action === 'credential.allow_private')
    return 'allow private addresses for this cloud: only certification staff may switch the address guard off';
  if (action === 'key.delete' && resource?.type === 'key' && resource.approved)
    return 'remove this key: the certification body approved it, so the reports it signed count toward verdicts and certificates, and only certification staff may remove it or withdraw its approval';
  if (action === 'key.approve' || action === 'key.unapprove')
    return `${action === 'key.approve' ? 'approve' : 'withdraw the approval of'} report-signing keys: only the certification body decides whose signature makes a report count`;
  const [noun, verb] = action.split('.') as [string, string];
  const thing = noun === 'audit' ? 'audit log' : noun;
  return verb === 'list' || verb === 'create' ? `${verb} ${thing}s` : `${verb} this ${thing}`;
}

export class PolicyError extends Error {
  readonly status: number;
  constructor(
    readonly decision: Exclude<Decision, 'allow'>,
    action: Action,
    resource?: Resource,
  ) {
    super(
      decision === 'unauthenticated'
        ? 'Sign in first.'
        : decision === 'hidden'
          ? 'Not found.'
          : `You may not ${describeAction(action, resource)}.`,
    );
    this.status = STATUS_OF[decision];
  }
}

/** Throws PolicyError unless the actor may do the action; narrows the actor to non-null. */
export function authorize(actor: Actor | null, action: Action, resource: Resource): asserts actor is Actor {
  const d = decide(actor, action, resource);
  if (d !== 'allow') throw new PolicyError(d, action, resource);
}

/** Staff see every organization; csp users only their own (undefined = no filter). */
export function visibleOrganizationIds(actor: Actor): string[] | undefined {
  return isStaff(actor) ? undefined : actor.organizationIds;
}
