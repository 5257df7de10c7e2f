-- Webhook signing secrets sealed by the vault (issue 12 item 11), step 1 of 2: room for the
-- envelope. The next migration's data step (before.ts) seals every plain-text secret into it.

-- AlterTable
ALTER TABLE "Webhook" ADD COLUMN     "secretCiphertext" BYTEA,
ADD COLUMN     "secretFormatVersion" INTEGER,
ADD COLUMN     "secretKekId" TEXT,
ADD COLUMN     "secretNonce" BYTEA,
ADD COLUMN     "secretTag" BYTEA,
ADD COLUMN     "secretWrappedKey" BYTEA,
ALTER COLUMN "secret" DROP NOT NULL;
