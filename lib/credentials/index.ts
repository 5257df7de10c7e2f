import crypto from 'node:crypto';
import { z } from 'zod';
import { db, Prisma, type Credential, type CredentialPersona } from '../db';
import { authorize, visibleOrganizationIds, type Action } from '../auth/policy';
import { recordAudit } from '../audit';
import type { RequestContext } from '../context';
import { AppError, ConflictError, NotFoundError, ValidationError, parseInput } from '../errors';
import { checkboxSchema } from '../validation';
import { plural } from '../format';
import { config } from '../config';
import { fingerprint, VaultError } from '../vault';
import { HttpClient, KeystoneClient, describeError, regionsOffering, selectEndpoint } from '../openstack';
import { ELEVATED_ROLES } from '../checks/preflight';
import type { CloudConfig } from '../checks/types';
import { PERSONAS, principalOf, secretOf, type CredentialConfig, type PersonaSlug } from './config';
import { fromCloudsYaml, fromExplicit, fromOpenrc } from './import';
import { getVault, toStored } from './vault';
import { assertMatchesPin, certifiedEndpointOf, normalizeAuthUrl, runCounts } from '../compliance/certified-endpoint';
import { now as clockNow } from '../clock';
import { loadCloud } from '../resources';

export { PERSONAS, type PersonaSlug, type CredentialConfig } from './config';
export { cloudsYamlEntries } from './import';
export { assertVaultReady, getVault, setVault } from './vault';

const MAX_TEXT = 200_000;

const PERSONA_DB: Record<PersonaSlug, CredentialPersona> = {
  primary: 'primary',
  reader: 'reader',
  'other-project': 'otherProject',
};
const PERSONA_SLUG: Record<CredentialPersona, PersonaSlug> = {
  primary: 'primary',
  reader: 'reader',
  otherProject: 'other-project',
};
export const PERSONA_LABEL: Record<PersonaSlug, string> = {
  primary: 'primary credential',
  reader: 'reader persona',
  'other-project': 'other-project persona',
};

export const personaSchema = z
  .enum(PERSONAS, { message: 'persona must be primary, reader or other-project.' })
  .default('primary');

const opt = z.string().max(MAX_TEXT, 'Too long.').optional();
/** Everything a form or API body may send; which source is used follows from what is filled in. */
export const credentialInput = z.object({
  persona: personaSchema,
  source: z.enum(['clouds_yaml', 'openrc', 'fields']).optional(),
  clouds_yaml: opt,
  secure_yaml: opt,
  cloud: opt,
  openrc: opt,
  type: opt,
  auth_url: opt,
  region: opt,
  interface: opt,
  username: opt,
  user_id: opt,
  user_domain_name: opt,
  user_domain_id: opt,
  password: opt,
  project_id: opt,
  project_name: opt,
  project_domain_name: opt,
  project_domain_id: opt,
  application_credential_id: opt,
  application_credential_name: opt,
  application_credential_secret: opt,
  ca_bundle: opt,
  allow_private_addresses: checkboxSchema.optional().default(false),
});

/** What pages and the API show of a stored credential: never the secret, only how to recognise it. */
export interface CredentialView {
  persona: PersonaSlug;
  type: 'password' | 'application_credential';
  /** User name (or id) for a password; application credential id (or name). */
  principal: string;
  authUrl: string;
  region: string;
  interface: string;
  fingerprint: string;
  allowPrivateAddresses: boolean;
  hasCaBundle: boolean;
  setBy: string;
  setAt: Date;
  lastTest: ConnectionTestResult | null;
}

function view(c: Credential): CredentialView {
  return {
    persona: PERSONA_SLUG[c.persona],
    type: c.authType,
    principal: c.principal,
    authUrl: c.authUrl,
    region: c.region,
    interface: c.interface,
    fingerprint: c.fingerprint,
    allowPrivateAddresses: c.allowPrivateAddresses,
    hasCaBundle: c.hasCaBundle,
    setBy: c.setByLabel,
    setAt: c.setAt,
    lastTest: (c.lastTest as unknown as ConnectionTestResult | null) ?? null,
  };
}

/** Finds the cloud and asks the policy; another organization's cloud is "not found". */
async function cloudFor(ctx: RequestContext, slug: string, action: Action) {
  return loadCloud(ctx, { slug }, action, {
    id: true,
    slug: true,
    name: true,
    region: true,
    organizationId: true,
    archivedAt: true,
  });
}

/** Ask the policy about a cloud's credentials before reading a request body (401/404 before 400/422). */
export async function assertCredentialAccess(
  ctx: RequestContext,
  slug: string,
  action: Extract<Action, `credential.${string}`>,
): Promise<void> {
  await cloudFor(ctx, slug, action);
}

function parsePersona(p: unknown): PersonaSlug {
  return parseInput(personaSchema, p ?? undefined);
}

/** Which of these clouds (ids, of the caller's visible organizations) have a primary credential. */
export async function cloudsWithCredential(ctx: RequestContext, cloudIds: string[]): Promise<Set<string>> {
  authorize(ctx.actor, 'cloud.list', { type: 'global' });
  const orgIds = visibleOrganizationIds(ctx.actor);
  const rows = await db.credential.findMany({
    where: {
      cloudId: { in: cloudIds },
      persona: 'primary',
      ...(orgIds ? { cloud: { organizationId: { in: orgIds } } } : {}),
    },
    select: { cloudId: true },
  });
  return new Set(rows.map((r) => r.cloudId));
}

/** The write-only views of a cloud's credentials, one per persona (null where none is set). */
export async function getCredentials(
  ctx: RequestContext,
  slug: string,
): Promise<Record<PersonaSlug, CredentialView | null>> {
  const cloud = await cloudFor(ctx, slug, 'credential.read');
  const rows = await db.credential.findMany({ where: { cloudId: cloud.id } });
  const out = { primary: null, reader: null, 'other-project': null } as Record<PersonaSlug, CredentialView | null>;
  for (const r of rows) out[PERSONA_SLUG[r.persona]] = view(r);
  return out;
}

export async function getCredential(
  ctx: RequestContext,
  slug: string,
  persona: unknown = 'primary',
): Promise<CredentialView> {
  const cloud = await cloudFor(ctx, slug, 'credential.read');
  const p = parsePersona(persona);
  const row = await db.credential.findUnique({
    where: { cloudId_persona: { cloudId: cloud.id, persona: PERSONA_DB[p] } },
  });
  if (!row) throw new NotFoundError(`The ${PERSONA_LABEL[p]} of this cloud`);
  return view(row);
}

/** Parse any of the three sources into a CredentialConfig; field errors name the input at fault. */
export function credentialConfigFrom(input: z.infer<typeof credentialInput>, cloudRegion: string): CredentialConfig {
  const defaults = {
    region: cloudRegion,
    allowPrivateAddresses: input.allow_private_addresses,
    caBundle: input.ca_bundle,
  };
  if (input.ca_bundle?.trim() && !/-----BEGIN CERTIFICATE-----/.test(input.ca_bundle)) {
    throw new ValidationError({ ca_bundle: 'The CA bundle must be PEM certificates (-----BEGIN CERTIFICATE-----).' });
  }
  const source =
    input.source ?? (input.clouds_yaml?.trim() ? 'clouds_yaml' : input.openrc?.trim() ? 'openrc' : 'fields');
  if (source === 'clouds_yaml')
    return fromCloudsYaml(
      { clouds_yaml: input.clouds_yaml ?? '', secure_yaml: input.secure_yaml, cloud: input.cloud },
      defaults,
    );
  if (source === 'openrc')
    return fromOpenrc(
      {
        openrc: input.openrc ?? '',
        password: input.password,
        application_credential_secret: input.application_credential_secret,
      },
      defaults,
    );
  return fromExplicit(input, defaults);
}

/** Set or replace one persona's credential of a cloud: sealed by the vault, audited in the same transaction. */
export async function setCredential(ctx: RequestContext, slug: string, input: unknown): Promise<CredentialView> {
  const cloud = await cloudFor(ctx, slug, 'credential.write');
  const data = parseInput(credentialInput, input);
  // The per-cloud address-guard switch lets the checks reach internal services and show their answers
  // in the evidence: a CSP (possibly hostile tenant) may not set it for its own cloud.
  if (data.allow_private_addresses)
    authorize(ctx.actor, 'credential.allow_private', { type: 'cloud', organizationId: cloud.organizationId });
  const config = credentialConfigFrom(data, cloud.region);
  // A pinned cloud accepts credentials for its certified endpoint only (422 naming the pinned one).
  assertMatchesPin(await certifiedEndpointOf(cloud.id), { authUrl: config.auth.authUrl, region: config.region });
  const persona = data.persona;
  const id = crypto.randomUUID();
  const envelope = await getVault().sealJson(config, { cloudId: cloud.id, credentialId: id });
  const secret = secretOf(config.auth);
  const fp = fingerprint(secret);
  const actorLabel = ctx.actor?.email || ctx.via || 'system';
  try {
    return await db.$transaction(async (tx) => {
      const existing = await tx.credential.findUnique({
        where: { cloudId_persona: { cloudId: cloud.id, persona: PERSONA_DB[persona] } },
        select: { id: true },
      });
      if (existing) await tx.credential.delete({ where: { id: existing.id } });
      const row = await tx.credential.create({
        data: {
          id,
          cloudId: cloud.id,
          persona: PERSONA_DB[persona],
          authType: config.auth.type,
          principal: principalOf(config.auth),
          authUrl: config.auth.authUrl,
          region: config.region,
          interface: config.interface,
          allowPrivateAddresses: config.allowPrivateAddresses,
          hasCaBundle: !!config.caBundle,
          fingerprint: fp,
          ciphertext: new Uint8Array(envelope.ciphertext),
          nonce: new Uint8Array(envelope.nonce),
          tag: new Uint8Array(envelope.tag),
          wrappedKey: new Uint8Array(envelope.wrappedKey),
          kekId: envelope.kekId,
          formatVersion: envelope.formatVersion,
          setById: ctx.actor?.id || null,
          setByLabel: actorLabel,
        },
      });
      const kind =
        config.auth.type === 'password'
          ? `password of user ${row.principal}`
          : `application credential ${row.principal}`;
      await recordAudit(tx, ctx, {
        action: existing ? 'credential.replace' : 'credential.set',
        targetType: 'cloud',
        targetId: cloud.slug,
        organizationId: cloud.organizationId,
        summary: `${existing ? 'replaced' : 'set'} the ${PERSONA_LABEL[persona]} of cloud ${cloud.slug}: ${kind} at ${row.authUrl}, region ${row.region}, fingerprint ${fp}`,
      });
      return view(row);
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw new ConflictError('Someone else saved this credential at the same moment; reload and try again.');
    }
    throw err;
  }
}

export async function deleteCredential(ctx: RequestContext, slug: string, persona: unknown = 'primary'): Promise<void> {
  const cloud = await cloudFor(ctx, slug, 'credential.write');
  const p = parsePersona(persona);
  await db.$transaction(async (tx) => {
    const existing = await tx.credential.findUnique({
      where: { cloudId_persona: { cloudId: cloud.id, persona: PERSONA_DB[p] } },
    });
    if (!existing) throw new NotFoundError(`The ${PERSONA_LABEL[p]} of this cloud`);
    await tx.credential.delete({ where: { id: existing.id } });
    await recordAudit(tx, ctx, {
      action: 'credential.delete',
      targetType: 'cloud',
      targetId: cloud.slug,
      organizationId: cloud.organizationId,
      summary: `deleted the ${PERSONA_LABEL[p]} of cloud ${cloud.slug} (${existing.authType === 'password' ? 'user' : 'application credential'} ${existing.principal}, fingerprint ${existing.fingerprint})`,
    });
  });
}

function unreadable(err: VaultError): AppError {
  // The detail (KEK ids, key file paths) is for the operator's log, not for the caller.
  console.error(`[vault] a stored credential cannot be decrypted: ${err.message}`);
  return new AppError(
    'credential_unreadable',
    'The stored credential cannot be decrypted with the key-encryption keys this server has; the operator has been told in the server log.',
    503,
  );
}

async function openRow(row: Credential): Promise<CredentialConfig> {
  try {
    return await getVault().openJson<CredentialConfig>(toStored(row), toStored(row).binding);
  } catch (err) {
    if (err instanceof VaultError) throw unreadable(err);
    throw err;
  }
}

/**
 * The configuration a run needs, decrypted in memory (server-side only: lib/runs calls this right
 * before a run and drops it afterwards). null when the cloud has no primary credential.
 */
export async function decryptCloudConfig(cloudId: string): Promise<CloudConfig | null> {
  const rows = await db.credential.findMany({ where: { cloudId } });
  const primary = rows.find((r) => r.persona === 'primary');
  if (!primary) return null;
  const main = await openRow(primary);
  const cfg: CloudConfig = {
    auth: main.auth,
    region: main.region,
    interface: main.interface,
    caBundle: main.caBundle,
    allowPrivateAddresses: main.allowPrivateAddresses,
  };
  for (const r of rows) {
    if (r.persona === 'primary') continue;
    const p = await openRow(r);
    cfg.personas ??= {};
    cfg.personas[r.persona === 'reader' ? 'reader' : 'otherProject'] = p.auth;
  }
  return cfg;
}

export interface ConnectionTestResult {
  ok: boolean;
  persona: PersonaSlug;
  testedAt: string;
  durationMs: number;
  authUrl: string;
  identityUrl: string | null;
  region: string;
  interface: string;
  roles: string[];
  project: { id: string; name?: string; domain?: string } | null;
  user: { id: string; name?: string } | null;
  /** Service types in the token's catalog. */
  services: string[];
  keyManager: { url: string; region: string | null; serviceName?: string } | null;
  /** Regions where the catalog offers a key-manager on this interface. */
  keyManagerRegions: string[];
  tls: { validTo?: string; issuer?: string; subject?: string } | null;
  warnings: string[];
  /** Why it failed (redacted, one sentence). */
  error?: string;
}

const DAY = 86_400_000;

/**
 * Authenticate with a stored credential and report what the checks will see: roles, project,
 * catalog services and the key-manager endpoint of the cloud's region, with warnings. The secret
 * is decrypted in memory for this call only, registered with the HTTP layer's redactor, and
 * never part of the result, the audit event or an error.
 */
export async function testConnection(
  ctx: RequestContext,
  slug: string,
  persona: unknown = 'primary',
  now = clockNow,
): Promise<ConnectionTestResult> {
  const cloud = await cloudFor(ctx, slug, 'credential.test');
  const p = parsePersona(persona);
  const row = await db.credential.findUnique({
    where: { cloudId_persona: { cloudId: cloud.id, persona: PERSONA_DB[p] } },
  });
  if (!row) throw new NotFoundError(`The ${PERSONA_LABEL[p]} of this cloud`);
  const config = await openRow(row);
  // The region the checks will test: the cloud's (its certification record), as the run's resolver does.
  const region = cloud.region || config.region;
  const started = Date.now();
  const http = new HttpClient({ caBundle: config.caBundle, allowPrivateAddresses: config.allowPrivateAddresses });
  http.redactor.addSecret(secretOf(config.auth));
  const result: ConnectionTestResult = {
    ok: false,
    persona: p,
    testedAt: now().toISOString(),
    durationMs: 0,
    authUrl: config.auth.authUrl,
    identityUrl: null,
    region,
    interface: config.interface,
    roles: [],
    project: null,
    user: null,
    services: [],
    keyManager: null,
    keyManagerRegions: [],
    tls: null,
    warnings: [],
  };
  if (config.auth.authUrl.startsWith('http://')) {
    result.warnings.push('The auth URL uses plain http://: the credential and tokens travel unencrypted. Use https.');
  }
  // Pinned after this credential was saved: runs with it are kept but do not count.
  const pin = await certifiedEndpointOf(cloud.id);
  const origin = { source: 'dashboard', authUrl: config.auth.authUrl, region: cloud.region || config.region } as const;
  if (pin && !runCounts(pin, origin).counts)
    result.warnings.push(
      `This credential names ${normalizeAuthUrl(config.auth.authUrl)} (region ${cloud.region || config.region}), not the certified endpoint ${pin.authUrl} (region ${pin.region}) that staff pinned: runs with it are kept but do not count toward verdicts or certificates. Replace it with a credential for the certified endpoint.`,
    );
  try {
    const session = await new KeystoneClient(http).authenticate(config.auth, AbortSignal.timeout(60_000));
    const token = session.token;
    result.ok = true;
    result.identityUrl = http.redactor.text(session.identityUrl);
    result.roles = [...token.roles];
    result.project = token.project
      ? {
          id: token.project.id,
          name: token.project.name,
          domain: token.project.domain?.name ?? token.project.domain?.id,
        }
      : null;
    result.user = token.user ? { id: token.user.id, name: token.user.name } : null;
    result.services = [...new Set(token.catalog.map((s) => s.type))].sort();
    const km = selectEndpoint(token.catalog, 'key-manager', config.interface, region);
    result.keyManagerRegions = regionsOffering(token.catalog, 'key-manager', config.interface);
    if (km) result.keyManager = { url: km.endpoint.url, region: km.endpoint.region, serviceName: km.service.name };
    const elevated = result.roles.filter((r) => (ELEVATED_ROLES as readonly string[]).includes(r));
    if (p === 'primary' && elevated.length) {
      result.warnings.push(
        `The token carries ${elevated.join(' and ')}: the official checks would ABORT (user privileges too high). Use a credential with only the member role.`,
      );
    }
    if (p === 'primary' && !result.roles.includes('member')) {
      result.warnings.push(
        'The token has no member role: the official checks would ABORT. The credential must belong to a member of the project.',
      );
    }
    if (!km) {
      result.warnings.push(
        `The catalog lists no key-manager (${config.interface}) in region ${region}${result.keyManagerRegions.length ? `; it does in ${result.keyManagerRegions.join(', ')}` : ''}: the checks would find no key manager to test.`,
      );
    }
    if (config.region !== region) {
      result.warnings.push(
        `The credential names region ${config.region}, but this cloud is certified in region ${region}: the checks test ${region}.`,
      );
    }
    const peer = http.tlsPeer(session.identityUrl);
    if (peer) {
      result.tls = { validTo: peer.validTo, issuer: peer.issuer, subject: peer.subject };
      const until = peer.validTo ? Date.parse(peer.validTo) : NaN;
      if (Number.isFinite(until) && until - now().getTime() < 30 * DAY) {
        const host = new URL(session.identityUrl).host;
        const date = new Date(until).toISOString().slice(0, 10);
        result.warnings.push(
          until < now().getTime()
            ? `The TLS certificate of ${host} expired on ${date}.`
            : `The TLS certificate of ${host} expires on ${date}, within 30 days.`,
        );
      }
    }
  } catch (err) {
    result.ok = false;
    result.error = http.redactor.text(describeError(err));
  } finally {
    await http.close();
    result.durationMs = Date.now() - started;
  }
  await db.$transaction(async (tx) => {
    await tx.credential.updateMany({
      where: { id: row.id },
      data: {
        lastTestAt: new Date(result.testedAt),
        lastTestOk: result.ok,
        lastTest: result as unknown as Prisma.InputJsonValue,
      },
    });
    await recordAudit(tx, ctx, {
      action: 'credential.test',
      targetType: 'cloud',
      targetId: cloud.slug,
      organizationId: cloud.organizationId,
      summary: `tested the ${PERSONA_LABEL[p]} of cloud ${cloud.slug}: ${result.ok ? `authenticated (roles ${result.roles.join(', ') || 'none'}; key-manager ${result.keyManager ? 'found' : 'not found'})` : `failed: ${result.error}`}${result.warnings.length ? `; ${plural(result.warnings.length, 'warning')}` : ''}`,
    });
  });
  return result;
}

/** Whether the operator runs the plain-text `file` KEK provider (admin pages warn about it). */
export function vaultProviderName(): string {
  try {
    return getVault().provider.name;
  } catch {
    return config().KEK_PROVIDER;
  }
}
