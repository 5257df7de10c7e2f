-- Webhook signing secrets sealed by the vault, step 2 of 2. Its data step (before.ts, run by
-- lib/db/migrate.ts: `npm start`, `npm run db:migrate`, `npm run worker`) has sealed every
-- plain-text secret and emptied its column. Applied any other way, with a secret still in plain
-- text, this migration stops here instead of dropping it.
DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM "Webhook" WHERE "secret" IS NOT NULL OR "secretCiphertext" IS NULL) THEN
    RAISE EXCEPTION ''webhook signing secrets are still in plain text: apply the migrations with npm run db:migrate, which seals them first (the before.ts of migration webhook_secret_sealed)''\073
  END IF\073
END
';

-- AlterTable
ALTER TABLE "Webhook" DROP COLUMN "secret",
ALTER COLUMN "secretCiphertext" SET NOT NULL,
ALTER COLUMN "secretNonce" SET NOT NULL,
ALTER COLUMN "secretTag" SET NOT NULL,
ALTER COLUMN "secretWrappedKey" SET NOT NULL,
ALTER COLUMN "secretKekId" SET NOT NULL,
ALTER COLUMN "secretFormatVersion" SET NOT NULL;
