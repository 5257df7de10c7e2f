import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { dataDirectory } from '../../lib/db/embedded';
import { log } from './log';

/**
 * AUTH_SECRET signs session cookies. Several web instances must share one, so it comes from the
 * environment in production; on a single machine it is generated once into DATA_DIR (mode 0600).
 */
export function ensureRuntimeSecrets(): void {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(dataDirectory(), 'auth-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('base64url'), { mode: 0o600 });
    log('start', `generated AUTH_SECRET into ${file}; set AUTH_SECRET when running several instances`);
  }
  process.env.AUTH_SECRET = fs.readFileSync(file, 'utf8').trim();
}
