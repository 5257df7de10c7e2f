-- DropIndex
DROP INDEX "Notification_runId_kind_key";

-- AlterTable
ALTER TABLE "Cloud" DROP COLUMN "status",
DROP COLUMN "statusChangedAt",
DROP COLUMN "statusDetail";

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "data" JSONB;

-- AlterTable
ALTER TABLE "NotificationOutbox" ADD COLUMN     "data" JSONB;

-- AlterTable
ALTER TABLE "ComplianceSnapshot" ADD COLUMN     "officialStatus" TEXT,
ADD COLUMN     "statusChangedAt" TIMESTAMP(3),
ADD COLUMN     "statusSeq" INTEGER NOT NULL DEFAULT 0;

-- The one scale (PASS, FAIL, MISS, DNF): stored snapshots keep their status in the new words, so
-- the first recomputation after the deploy compares like with like and notifies only real changes.
-- Cloud.status/statusDetail/statusChangedAt of the second status model are dropped above: they were
-- derived from the runs' results, which stay, and the stored snapshot is now the only status.
UPDATE "ComplianceSnapshot" SET status = CASE status WHEN 'MISSING' THEN 'MISS' WHEN 'INCONCLUSIVE' THEN 'DNF' ELSE status END
 WHERE status IN ('MISSING', 'INCONCLUSIVE');
