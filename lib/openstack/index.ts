// Public surface of the OpenStack layer. Nothing here imports from the application (Next.js,
// prisma, auth, vault): this layer can be used by the server, the CLI and the lab tests alike.

export * from './address-guard';
export * from './barbican';
export * from './catalog';
export * from './errors';
export * from './evidence';
export * from './http';
export * from './keystone';
export * from './redact';
export { joinUrl, readJson } from './service';
