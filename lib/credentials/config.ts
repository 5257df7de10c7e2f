import type { AuthConfig, Interface } from '../openstack';

/**
 * Everything needed to reach a cloud as one credential: sealed whole inside the envelope, so the
 * auth URL the secret is sent to, the CA trust and the address policy are authenticated along
 * with the secret (a database writer cannot redirect a stored secret to another host).
 */
export interface CredentialConfig {
  auth: AuthConfig;
  region: string;
  interface: Interface;
  caBundle?: string;
  allowPrivateAddresses: boolean;
}

export const PERSONAS = ['primary', 'reader', 'other-project'] as const;
export type PersonaSlug = (typeof PERSONAS)[number];

export function secretOf(auth: AuthConfig): string {
  return auth.type === 'password' ? auth.password : auth.applicationCredentialSecret;
}

/** User name (or id), or application credential id (or name): the write-only view's principal. */
export function principalOf(auth: AuthConfig): string {
  if (auth.type === 'password') return auth.username ?? auth.userId ?? '';
  return auth.applicationCredentialId ?? auth.applicationCredentialName ?? '';
}
