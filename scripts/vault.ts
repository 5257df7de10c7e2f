// `npm run vault -- <command>`: the operator's tool for the vault (cloud credentials, webhook signing secrets).
//   status                      KEK ids in use, how many records each wraps, and whether this process can load them
//   check                       the start-up check (every referenced KEK loads and unwraps)
//   rotate --to <provider>      re-wrap every data key under the provider's active KEK, in batches;
//          [--new-key]          (file) generate a new file KEK first and make it the active one
//          [--batch-size N] [--pause-ms N]
//                              resumable: run it again after an interruption; safe while the app serves
//   barbican-create             store a new random KEK in Barbican (KEK_BARBICAN_* set, without KEK_BARBICAN_SECRET)
// Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR like `npm start`.
import { parseArgs } from 'node:util';
import { connectDatabase } from '../lib/db/connect';
import {
  FileKekProvider,
  PROVIDER_NAMES,
  Vault,
  VaultError,
  barbicanConfigFromEnv,
  createBarbicanKek,
  rotate,
  selectedProvider,
  type ProviderName,
} from '../lib/vault';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    to: { type: 'string' },
    'new-key': { type: 'boolean', default: false },
    'batch-size': { type: 'string', default: '100' },
    'pause-ms': { type: 'string', default: '0' },
    name: { type: 'string', default: 'scs-km-dashboard-kek' },
  },
});
const cmd = positionals[0] ?? 'status';
const out = (line: string) => console.log(line);

async function main(): Promise<number> {
  if (cmd === 'barbican-create') {
    const cfg = barbicanConfigFromEnv({ ...process.env, KEK_BARBICAN_SECRET: '00000000-0000-0000-0000-000000000000' });
    if (!cfg)
      throw new Error('set KEK_BARBICAN_AUTH_URL, KEK_BARBICAN_APP_CRED_ID and KEK_BARBICAN_APP_CRED_SECRET first');
    const uuid = await createBarbicanKek(cfg, values.name);
    out(`created a 256-bit KEK in Barbican; set KEK_PROVIDER=barbican KEK_BARBICAN_SECRET=${uuid}`);
    return 0;
  }
  const database = await connectDatabase();
  try {
    const { assertVaultReady } = await import('../lib/credentials/vault');
    const { envelopeStores } = await import('./lib/envelope-stores');
    const stores = await envelopeStores();
    const countAll = async () => {
      const all: Record<string, number> = {};
      for (const store of stores)
        for (const [k, n] of Object.entries(await store.countByKek())) all[k] = (all[k] ?? 0) + n;
      return all;
    };
    if (cmd === 'status') {
      const provider = selectedProvider();
      const vault = Vault.fromEnv({ create: false });
      let active = '(none yet: created on first start)';
      try {
        active = (await vault.active()).id;
      } catch (err) {
        if (!(err instanceof VaultError) || err.code !== 'kek_unavailable') throw err;
      }
      out(`active provider: ${provider} (${vault.provider.describe()})`);
      out(`active KEK:      ${active}`);
      const counts = await countAll();
      const ids = Object.keys(counts).sort();
      if (ids.length === 0) out('no sealed records yet');
      for (const id of ids) {
        let state = 'loadable';
        try {
          await vault.lookup(id);
        } catch (err) {
          state = `NOT LOADABLE: ${err instanceof Error ? err.message : String(err)}`;
        }
        out(
          `  ${id.padEnd(40)} ${String(counts[id]).padStart(7)} record(s)  ${id === active ? '(active) ' : ''}${state}`,
        );
      }
      return 0;
    }
    if (cmd === 'check') {
      const r = await assertVaultReady(Vault.fromEnv({ create: false }), stores);
      out(
        `vault ready: provider ${r.provider}, active KEK ${r.activeKekId}; ${
          Object.entries(r.kekIds)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ') || 'no records'
        }`,
      );
      return 0;
    }
    if (cmd === 'rotate') {
      const to = values.to as ProviderName | undefined;
      if (!to || !PROVIDER_NAMES.includes(to)) throw new Error(`rotate needs --to ${PROVIDER_NAMES.join('|')}`);
      const vault = Vault.fromEnv({ provider: to, create: true });
      if (values['new-key']) {
        if (!(vault.provider instanceof FileKekProvider))
          throw new Error(
            '--new-key applies to the file provider only; for env, set a new KEK_BASE64 (old one in KEK_PREVIOUS_BASE64)',
          );
        out(`generated a new file KEK ${(await vault.provider.generate()).id}`);
      }
      const target = await vault.active();
      const batchSize = Math.max(1, Number(values['batch-size']) || 100);
      const pauseMs = Math.max(0, Number(values['pause-ms']) || 0);
      out(`re-wrapping data keys under ${target.id} in batches of ${batchSize}`);
      const t0 = Date.now();
      let total = 0;
      let failed = 0;
      for (const store of stores) {
        // Two passes: the second catches records the app replaced during the first.
        for (let pass = 1; pass <= 2; pass++) {
          const p = await rotate(vault, store, target, {
            batchSize,
            pauseMs,
            onBatch: (b) =>
              out(
                `  ${store.label}s, pass ${pass} batch ${b.batch}: ${b.rewrapped} re-wrapped, ${b.skipped} changed meanwhile, ${b.failed.length} failed`,
              ),
          });
          total += p.rewrapped;
          failed += p.failed.length;
          for (const f of p.failed) out(`  FAILED ${store.label} ${f.id} (${f.kekId}): ${f.message}`);
          if (p.rewrapped === 0 && p.skipped === 0) break;
        }
      }
      const counts = await countAll();
      out(`done in ${Date.now() - t0} ms: ${total} record(s) re-wrapped under ${target.id}`);
      const left = Object.entries(counts).filter(([k]) => k !== target.id);
      if (left.length)
        out(
          `still under other KEKs: ${left.map(([k, n]) => `${k}: ${n}`).join(', ')} (failed, or written by an app still on the old KEK: restart it with KEK_PROVIDER=${to}, then run rotate again)`,
        );
      else
        out(
          `every record is wrapped by ${target.id}. Restart the app with KEK_PROVIDER=${to}${to === selectedProvider() ? '' : ' (it still says ' + selectedProvider() + ')'}; keep the old KEK until then.`,
        );
      return failed ? 1 : 0;
    }
    throw new Error(`unknown command "${cmd}" (status, check, rotate --to <provider>, barbican-create)`);
  } finally {
    const { db } = await import('../lib/db');
    await db.$disconnect().catch(() => {});
    await database.stop();
  }
}

// Flush stdout before exiting (the pg pool would otherwise keep the process alive for a while).
const exit = (code: number) => process.stdout.write('', () => process.exit(code));
main().then(exit, (err) => {
  console.error(`vault: ${err instanceof Error ? err.message : String(err)}`);
  exit(1);
});
