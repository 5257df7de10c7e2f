-- AlterTable
ALTER TABLE "User" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "SignInFailure" ADD COLUMN     "address" TEXT;

-- Backfill: rows of the per-address limit carry their address in the new column too.
UPDATE "SignInFailure" SET "address" = substring("key" from 9) WHERE "key" LIKE 'address:%';
