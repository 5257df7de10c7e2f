import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { config } from '../config';
import { poolTimeouts } from './pool';

export * from './generated/client';

// One client per process (and per module instance under Next's dev reloads).
const globalForDb = globalThis as unknown as { scsDb?: PrismaClient };

export function createDb(url = config().DATABASE_URL): PrismaClient {
  if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start`, which provides one');
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: config().DB_POOL_SIZE, ...poolTimeouts() }),
  });
}

export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_t, prop) {
    globalForDb.scsDb ??= createDb();
    const value = Reflect.get(globalForDb.scsDb, prop);
    return typeof value === 'function' ? value.bind(globalForDb.scsDb) : value;
  },
});

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
