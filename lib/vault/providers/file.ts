import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { VaultError } from '../errors';
import { KEK_BYTES, LocalKek, type Kek } from '../kek';
import type { KekProvider } from './types';
import { now as clockNow } from '../../clock';

/**
 * `file`: a 256-bit KEK in a file on the host, generated on first use with mode 0600 into
 * `<DATA_DIR>/kek/<id>.key` (beside, never inside, the database directory `<DATA_DIR>/postgres`),
 * or the file named by KEK_FILE. `<DATA_DIR>/kek/current` names the active key. A plain-text KEK on
 * the host is what scs-0116 says SHOULD NOT be done in production: use `env` or `barbican` there.
 */
export interface FileProviderOptions {
  /** Directory for generated keys (default `<DATA_DIR>/kek`). */
  dir: string;
  /** An explicit key file (KEK_FILE); its id is KEK_ID or the file name without `.key`. */
  file?: string;
  fileId?: string;
  /** Create the key when it does not exist (start-up and `rotate`); status and checks pass false. */
  create?: boolean;
}

const ID_RE = /^[A-Za-z0-9._-]{1,64}$/;

function assertPrivate(file: string, id: string): void {
  const st = fs.statSync(file);
  if ((st.mode & 0o077) !== 0) {
    throw new VaultError(
      'provider_config',
      `KEK file ${file} (KEK ${id}) is readable or writable by others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 on it.`,
      id,
    );
  }
}

function readKeyFile(file: string, id: string): Kek {
  assertPrivate(file, id);
  const text = fs.readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEK_BYTES || key.toString('base64') !== text) {
    throw new VaultError(
      'provider_config',
      `KEK file ${file} (KEK ${id}) does not hold a base64-encoded 256-bit key.`,
      id,
    );
  }
  return new LocalKek(id, 'file', key);
}

function writeKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // 'wx' fails if the file exists: two processes starting at once never overwrite a key.
  fs.writeFileSync(file, `${crypto.randomBytes(KEK_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
}

export function newFileKekId(now = clockNow()): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${crypto.randomBytes(4).toString('hex')}`;
}

export class FileKekProvider implements KekProvider {
  readonly name = 'file' as const;
  private cache = new Map<string, Kek>();

  constructor(private readonly opts: FileProviderOptions) {}

  private explicit(): { file: string; id: string } | null {
    if (!this.opts.file) return null;
    const file = path.resolve(this.opts.file);
    const id = this.opts.fileId || path.basename(file).replace(/\.key$/, '');
    if (!ID_RE.test(id))
      throw new VaultError(
        'provider_config',
        `KEK id "${id}" may contain only letters, digits, dot, dash and underscore.`,
      );
    return { file, id: `file:${id}` };
  }

  private pointer(): string {
    return path.join(this.opts.dir, 'current');
  }

  private fileFor(bareId: string): string {
    return path.join(this.opts.dir, `${bareId}.key`);
  }

  async active(): Promise<Kek> {
    const explicit = this.explicit();
    if (explicit) {
      if (!fs.existsSync(explicit.file)) {
        if (!this.opts.create)
          throw new VaultError(
            'kek_unavailable',
            `KEK file ${explicit.file} (KEK ${explicit.id}) does not exist.`,
            explicit.id,
          );
        writeKeyFile(explicit.file);
      }
      return this.remember(readKeyFile(explicit.file, explicit.id));
    }
    const ptr = this.pointer();
    if (fs.existsSync(ptr)) {
      const bare = fs.readFileSync(ptr, 'utf8').trim();
      const kek = await this.load(`file:${bare}`);
      if (!kek)
        throw new VaultError(
          'kek_unavailable',
          `${ptr} names KEK file:${bare}, but ${this.fileFor(bare)} does not exist.`,
          `file:${bare}`,
        );
      return kek;
    }
    if (!this.opts.create) throw new VaultError('kek_unavailable', `no file KEK exists yet in ${this.opts.dir}.`);
    return this.generate();
  }

  /** Create a new key and make it the active one (`vault rotate --to file --new-key`). */
  async generate(): Promise<Kek> {
    if (this.opts.file)
      throw new VaultError(
        'provider_config',
        'KEK_FILE names a fixed key file; unset it to let the file provider generate keys.',
      );
    const bare = newFileKekId();
    writeKeyFile(this.fileFor(bare));
    const tmp = `${this.pointer()}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${bare}\n`, { mode: 0o600 });
    fs.renameSync(tmp, this.pointer());
    return this.remember(readKeyFile(this.fileFor(bare), `file:${bare}`));
  }

  async load(kekId: string): Promise<Kek | null> {
    if (!kekId.startsWith('file:')) return null;
    const hit = this.cache.get(kekId);
    if (hit) return hit;
    const explicit = this.explicit();
    if (explicit && explicit.id === kekId && fs.existsSync(explicit.file))
      return this.remember(readKeyFile(explicit.file, kekId));
    const bare = kekId.slice('file:'.length);
    if (!ID_RE.test(bare)) return null;
    const file = this.fileFor(bare);
    if (!fs.existsSync(file)) return null;
    return this.remember(readKeyFile(file, kekId));
  }

  private remember(kek: Kek): Kek {
    this.cache.set(kek.id, kek);
    return kek;
  }

  describe(): string {
    return this.opts.file ? `file ${path.resolve(this.opts.file)}` : `files in ${this.opts.dir}`;
  }
}
