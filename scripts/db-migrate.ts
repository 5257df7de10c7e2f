// `npm run db:migrate` applies pending migrations; `npm run db:migration -- <name>` authors one.
import { connectDatabase } from '../lib/db/connect';
import { applyMigrations, createMigration } from '../lib/db/migrate';
import { loadConfig } from '../lib/config';

// A bad setting stops here, naming the variable (lib/config.ts).
loadConfig();

const [cmd = 'deploy', name = 'migration'] = process.argv.slice(2);
const database = await connectDatabase();
try {
  if (cmd === 'dev') {
    const created = await createMigration(database.url, name);
    console.log(created ? `created and applied migration ${created}` : 'schema unchanged: no migration created');
  } else {
    const applied = await applyMigrations(database.url);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'database is up to date');
  }
} finally {
  await database.stop();
}
// The pg pool of the schema engine would keep the process alive for its idle timeout.
process.exit(0);
