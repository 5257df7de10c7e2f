// Data step of the migration webhook_secret_sealed (run by lib/db/migrate.ts before its SQL): seals
// every plain-text webhook signing secret with the vault of this process (KEK_PROVIDER and friends,
// as the app uses) and empties the plain-text column in the same statement, one webhook per
// transaction. Idempotent: it only touches rows that still have a plain-text secret.
import type pg from 'pg';
import { sealWebhookSecret } from '../../../lib/notify/secrets';

export default async function sealWebhookSecrets(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id::text AS id FROM "Webhook" WHERE "secret" IS NOT NULL ORDER BY id`,
  );
  for (const { id } of rows) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query<{ secret: string }>(
        `SELECT "secret" FROM "Webhook" WHERE id = $1::uuid AND "secret" IS NOT NULL FOR UPDATE`,
        [id],
      );
      const secret = locked.rows[0]?.secret;
      if (secret !== undefined) {
        const s = await sealWebhookSecret(id, secret);
        await client.query(
          `UPDATE "Webhook" SET "secretCiphertext" = $2, "secretNonce" = $3, "secretTag" = $4, "secretWrappedKey" = $5,
             "secretKekId" = $6, "secretFormatVersion" = $7, "secret" = NULL WHERE id = $1::uuid`,
          [
            id,
            Buffer.from(s.secretCiphertext),
            Buffer.from(s.secretNonce),
            Buffer.from(s.secretTag),
            Buffer.from(s.secretWrappedKey),
            s.secretKekId,
            s.secretFormatVersion,
          ],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw new Error(
        `sealing the signing secret of webhook ${id} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    } finally {
      client.release();
    }
  }
}
