import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { config } from '../config';

/**
 * The database this process should use: DATABASE_URL when set (nothing is started), else the
 * embedded PostgreSQL under DATA_DIR (started here, or joined when already running).
 */
export async function connectDatabase(log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const external = config().DATABASE_URL;
  if (external)
    return {
      url: external,
      owned: false,
      description: `using the database at ${new URL(external).host} (DATABASE_URL)`,
      stop: async () => {},
    };
  const embedded = await startEmbeddedDatabase({ log });
  process.env.DATABASE_URL = embedded.url;
  return embedded;
}
