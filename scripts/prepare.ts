// Start-up preparation, run by scripts/start.ts as a child process against the database it
// chose: migrations, the vault check, the first admin. In a process of its own, so the web
// server does not keep the schema engine and a second database client in memory for its lifetime.
import { applyMigrations } from '../lib/db/migrate';
import { log } from './lib/log';
import { loadConfig } from '../lib/config';

const cfg = loadConfig();
const url = cfg.DATABASE_URL;
if (!url) {
  console.error('prepare: DATABASE_URL is not set (scripts/start.ts passes it)');
  process.exit(2);
}
try {
  const applied = await applyMigrations(url);
  log('start', applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  // Refuses to start, naming the KEK id, when a stored credential or webhook secret is wrapped by a
  // KEK we cannot load.
  const { assertVaultReady, getVault } = await import('../lib/credentials');
  const { envelopeStores } = await import('./lib/envelope-stores');
  const vault = await assertVaultReady(getVault(), await envelopeStores());
  log('start', `vault: ${vault.provider} KEK provider (${vault.where}), active KEK ${vault.activeKekId}`);
  // The instance's report-signing key (GET /api/v1/signing-key): made once, sealed by the vault.
  const { ensureSigningKey } = await import('../lib/interop/signing-key');
  const signing = await ensureSigningKey();
  if (signing.created) log('start', `created this instance's report-signing key: ${signing.publicKey}`);
  const { testClockNotice } = await import('../lib/clock');
  const clockNotice = testClockNotice();
  if (clockNotice) log('start', clockNotice);

  const { ensureAdmin } = await import('../lib/users');
  const { generatePassword } = await import('../lib/auth/password');
  const admin = await ensureAdmin({
    email: cfg.ADMIN_EMAIL,
    password: cfg.ADMIN_PASSWORD,
    generate: generatePassword,
  });
  if (admin.generatedPassword) {
    // Printed once, on the start that created the account; it is stored only as a hash.
    console.log(
      `\n  First start: created the admin account\n    email:    ${admin.email}\n    password: ${admin.generatedPassword}\n  Keep it safe; it will not be shown again.\n`,
    );
  } else if (admin.created) {
    log('start', `created the admin account ${admin.email}`);
  }
  const { db } = await import('../lib/db');
  await db.$disconnect();
} catch (err) {
  console.error(`start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
process.exit(0);
