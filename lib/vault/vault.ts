import path from 'node:path';
import { open, rewrap, seal, type Binding, type Envelope } from './envelope';
import { VaultError } from './errors';
import type { Kek } from './kek';
import { BarbicanKekProvider, barbicanConfigFromEnv } from './providers/barbican';
import { EnvKekProvider } from './providers/env';
import { FileKekProvider } from './providers/file';
import { PROVIDER_NAMES, kekPrefix, type KekProvider, type ProviderName, type VaultEnv } from './providers/types';

export interface VaultOptions {
  env?: VaultEnv;
  /** Let the file provider create its key on first use (the app's start and `rotate`); default true. */
  create?: boolean;
  /** Override KEK_PROVIDER. */
  provider?: ProviderName;
}

export function kekDirectory(env: VaultEnv = process.env): string {
  return path.resolve(
    /*turbopackIgnore: true*/ env.KEK_DIR ||
      path.join(path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || 'data'), 'kek'),
  );
}

export function selectedProvider(env: VaultEnv = process.env): ProviderName {
  const name = (env.KEK_PROVIDER || 'file').trim() as ProviderName;
  if (!PROVIDER_NAMES.includes(name)) {
    throw new VaultError(
      'provider_config',
      `KEK_PROVIDER "${env.KEK_PROVIDER}" is unknown; choose one of ${PROVIDER_NAMES.join(', ')}.`,
    );
  }
  return name;
}

/** Build one provider from the environment (null when `barbican` is not configured and not required). */
export function providerFromEnv(name: ProviderName, env: VaultEnv, create: boolean): KekProvider | null {
  switch (name) {
    case 'file':
      return new FileKekProvider({
        dir: kekDirectory(env),
        file: env.KEK_FILE || undefined,
        fileId: env.KEK_ID || undefined,
        create,
      });
    case 'env':
      return new EnvKekProvider({ base64: env.KEK_BASE64, id: env.KEK_ID, previous: env.KEK_PREVIOUS_BASE64 });
    case 'barbican': {
      const cfg = barbicanConfigFromEnv(env);
      return cfg ? new BarbicanKekProvider(cfg) : null;
    }
  }
}

/**
 * The vault: the active KEK provider (which wraps new data keys) plus every other provider that
 * is configured, so records wrapped by an earlier KEK keep opening during and after a rotation.
 * Only this module decrypts; plaintext lives in memory for the caller's operation only.
 */
export class Vault {
  constructor(
    readonly provider: KekProvider,
    private readonly providers: KekProvider[],
  ) {}

  static fromEnv(opts: VaultOptions = {}): Vault {
    const env = opts.env ?? process.env;
    const create = opts.create ?? true;
    const name = opts.provider ?? selectedProvider(env);
    const active = providerFromEnv(name, env, create);
    if (!active)
      throw new VaultError(
        'provider_config',
        'KEK_PROVIDER=barbican needs KEK_BARBICAN_AUTH_URL, KEK_BARBICAN_APP_CRED_ID, KEK_BARBICAN_APP_CRED_SECRET and KEK_BARBICAN_SECRET.',
      );
    const others = PROVIDER_NAMES.filter((n) => n !== name)
      .map((n) => {
        try {
          return providerFromEnv(n, env, false);
        } catch {
          return null; // a half-configured secondary provider only matters if a record needs it
        }
      })
      .filter((p): p is KekProvider => p !== null);
    return new Vault(active, [active, ...others]);
  }

  /** The KEK new records are wrapped with. */
  active(): Promise<Kek> {
    return this.provider.active();
  }

  /** A KEK by id from whichever provider holds it; VaultError('kek_unavailable') naming the id otherwise. */
  readonly lookup = async (kekId: string): Promise<Kek> => {
    const prefix = kekPrefix(kekId);
    const candidates = this.providers.filter((p) => p.name === prefix);
    for (const p of candidates) {
      const kek = await p.load(kekId);
      if (kek) return kek;
    }
    const hint =
      candidates.length === 0
        ? `no ${prefix || 'such'} KEK provider is configured`
        : `the ${prefix} provider (${candidates.map((p) => p.describe()).join('; ')}) does not hold it`;
    throw new VaultError('kek_unavailable', `KEK ${kekId} cannot be loaded: ${hint}.`, kekId);
  };

  async seal(plaintext: Buffer, binding: Binding): Promise<Envelope> {
    return seal(plaintext, binding, await this.active());
  }

  async open(envelope: Envelope, binding: Binding): Promise<Buffer> {
    return open(envelope, binding, this.lookup);
  }

  async sealJson(value: unknown, binding: Binding): Promise<Envelope> {
    const buf = Buffer.from(JSON.stringify(value), 'utf8');
    try {
      return await this.seal(buf, binding);
    } finally {
      buf.fill(0);
    }
  }

  async openJson<T>(envelope: Envelope, binding: Binding): Promise<T> {
    const buf = await this.open(envelope, binding);
    try {
      return JSON.parse(buf.toString('utf8')) as T;
    } finally {
      buf.fill(0);
    }
  }

  async rewrap(envelope: Envelope, binding: Binding, to: Kek): Promise<Pick<Envelope, 'wrappedKey' | 'kekId'>> {
    return rewrap(envelope, binding, this.lookup, to);
  }
}
