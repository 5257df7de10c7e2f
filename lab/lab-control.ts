// Driving lab/lab.sh from TypeScript (test:lab and bench:checks): install, start, stop, and the
// lab's own description (lab.json) and clouds.yaml.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const LAB_DIR = import.meta.dirname;
export const LAB_SH = path.join(LAB_DIR, 'lab.sh');

export interface LabSettings {
  /** State directory (inside lab/state/, which git ignores). */
  stateDir: string;
  keystonePort: number;
  barbicanPort: number;
  barbicanDenyPort: number;
}

export function labEnv(s: LabSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LAB_STATE_DIR: s.stateDir,
    LAB_KEYSTONE_PORT: String(s.keystonePort),
    LAB_BARBICAN_PORT: String(s.barbicanPort),
    LAB_BARBICAN_DENY_PORT: String(s.barbicanDenyPort),
  };
}

/** Run a lab.sh command; its log goes to our stderr. Throws on failure. */
export function lab(settings: LabSettings, ...args: string[]): string {
  const r = spawnSync('bash', [LAB_SH, ...args], {
    env: labEnv(settings),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 540_000,
  });
  if (r.status !== 0) throw new Error(`lab.sh ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

export function labStatus(settings: LabSettings): boolean {
  const r = spawnSync('bash', [LAB_SH, 'status'], {
    env: labEnv(settings),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return r.status === 0;
}

/** The packages lab.sh needs; empty when everything is installed. */
export function missingPackages(): string[] {
  const text = readFileSync(LAB_SH, 'utf8');
  const m = /PACKAGES=\(([^)]*)\)/.exec(text);
  const pkgs = (m?.[1] ?? '').split(/\s+/).filter(Boolean);
  return pkgs.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

/**
 * Install the Debian packages when missing. Needs root on Debian; says so plainly otherwise
 * (returns the reason instead of throwing, so the caller can print it as its one message).
 */
export function ensureInstalled(settings: LabSettings): string | null {
  if (!existsSync('/usr/bin/dpkg-query') || !existsSync('/usr/bin/apt-get')) {
    return 'The OpenStack lab needs Debian 12 (dpkg and apt-get were not found).';
  }
  const missing = missingPackages();
  if (missing.length > 0 && process.getuid?.() !== 0) {
    return `The OpenStack lab needs Debian packages that are not installed (${missing.join(' ')}); installing them needs root: run "sudo bash lab/lab.sh install" once, or run this as root.`;
  }
  lab(settings, 'install');
  return null;
}

export interface LabUser {
  username: string;
  id: string;
  password: string;
  user_domain_name: string;
  project_id: string;
  roles: string[];
}

export interface LabJson {
  auth_url: string;
  region: string;
  barbican: { url: string; policy: string };
  barbican_deny: { url: string; in_catalog_region: string | null } | null;
  cloud_admin: { username: string; password: string };
  project: { id: string };
  project2: { id: string };
  users: Record<'member' | 'reader' | 'admin' | 'creator' | 'other', LabUser>;
  application_credential: { id: string; secret: string };
  service_user: { password: string };
  clouds_yaml: string;
}

export function readLabJson(settings: LabSettings): LabJson {
  return JSON.parse(readFileSync(path.join(settings.stateDir, 'lab.json'), 'utf8')) as LabJson;
}

/** Every secret value the lab knows (passwords, application credential secret). */
export function labSecrets(j: LabJson): string[] {
  return [
    j.cloud_admin.password,
    j.service_user.password,
    j.application_credential.secret,
    ...Object.values(j.users).map((u) => u.password),
  ].filter((v) => typeof v === 'string' && v.length > 0);
}
