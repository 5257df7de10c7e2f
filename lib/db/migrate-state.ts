import fs from 'node:fs';
import path from 'node:path';

/** Names of the migrations shipped in prisma/migrations (what the database should have applied). */
export function migrationNames(dir = path.join(process.cwd(), 'prisma', 'migrations')): string[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(/*turbopackIgnore: true*/ path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}
