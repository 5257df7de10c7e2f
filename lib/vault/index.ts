// The vault: envelope encryption of stored credentials, KEK providers and rotation. Imports
// nothing of the app (only lib/openstack, for the barbican provider). Only this module decrypts.
export * from './envelope';
export * from './errors';
export * from './kek';
export * from './rotate';
export * from './vault';
export { FileKekProvider, newFileKekId } from './providers/file';
export { EnvKekProvider, keyCheckValue } from './providers/env';
export {
  BarbicanKekProvider,
  barbicanConfigFromEnv,
  createBarbicanKek,
  type BarbicanKekConfig,
} from './providers/barbican';
export { PROVIDER_NAMES, kekPrefix, type KekProvider, type ProviderName, type VaultEnv } from './providers/types';
