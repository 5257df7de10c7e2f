-- The certification body approves report-signing keys (policy key.approve / key.unapprove, staff
-- only). An imported run (source official-runner) counts toward verdicts, status and certificates only
-- while the key its upload was signed with is approved (lib/compliance/certified-endpoint.ts runCounts
-- and countedSql). A CSP registers its keys itself, so without an approval the party being certified
-- could sign PASS results for its own cloud.
--
-- Existing keys stay unapproved (approvedAt NULL): that is the safe default. Runs imported with them
-- are kept and shown but stop counting until staff approve the key. No data is lost or changed.

-- AlterTable
ALTER TABLE "OrganizationKey" ADD COLUMN     "approvedAt" TIMESTAMP(3),
ADD COLUMN     "approvedById" UUID,
ADD COLUMN     "approvedByLabel" TEXT;

-- Clouds with imported runs: what counts for them changes now (the keys of their runs are unapproved).
-- SNAPSHOT_FORMAT 3 makes every stored snapshot stale anyway, this says so in the data too.
UPDATE "ComplianceSnapshot" s SET version = s.version + 1 WHERE s."cloudId" IN (SELECT DISTINCT "cloudId" FROM "ReportUpload");

-- Approving or withdrawing a key changes which imported runs count for every cloud of its
-- organization, and so does removing an approved key (its uploads lose keyId, ON DELETE SET NULL):
-- both make the snapshots of those clouds stale in the transaction of the writer, as the pin does for one cloud
-- (migration certified_endpoint). Rows are locked in cloudId order, as compliance_snapshot_touch
-- does, so two writers touching several clouds cannot deadlock. OLD is set for UPDATE and DELETE
-- alike, and a key never changes organization.
CREATE FUNCTION compliance_snapshot_touch_organization() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM 1 FROM "ComplianceSnapshot" s JOIN "Cloud" c ON c.id = s."cloudId" WHERE c."organizationId" = OLD."organizationId" ORDER BY s."cloudId" FOR UPDATE OF s\073
  UPDATE "ComplianceSnapshot" s SET version = s.version + 1 FROM "Cloud" c WHERE c.id = s."cloudId" AND c."organizationId" = OLD."organizationId"\073
  RETURN NULL\073
END';

CREATE TRIGGER "OrganizationKey_snapshot_approval" AFTER UPDATE ON "OrganizationKey" FOR EACH ROW
  WHEN (OLD."approvedAt" IS DISTINCT FROM NEW."approvedAt")
  EXECUTE FUNCTION compliance_snapshot_touch_organization();
CREATE TRIGGER "OrganizationKey_snapshot_delete" AFTER DELETE ON "OrganizationKey" FOR EACH ROW
  WHEN (OLD."approvedAt" IS NOT NULL)
  EXECUTE FUNCTION compliance_snapshot_touch_organization();

-- Which key signed an upload, and which upload a run came in, decide whether the run counts too:
-- changes to them (no code makes any today but the ON DELETE SET NULL above) make the
-- snapshot of the cloud stale as well, so no later code path can forget it.
CREATE TRIGGER "ReportUpload_snapshot_update" AFTER UPDATE ON "ReportUpload" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD."keyId" IS DISTINCT FROM NEW."keyId")
  EXECUTE FUNCTION compliance_snapshot_touch_row();

DROP TRIGGER "Run_snapshot_update" ON "Run";
CREATE TRIGGER "Run_snapshot_update" AFTER UPDATE ON "Run" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD."queuedAt" IS DISTINCT FROM NEW."queuedAt" OR OLD."finishedAt" IS DISTINCT FROM NEW."finishedAt"
     OR OLD."authUrl" IS DISTINCT FROM NEW."authUrl" OR OLD.region IS DISTINCT FROM NEW.region
     OR OLD.source IS DISTINCT FROM NEW.source OR OLD."uploadId" IS DISTINCT FROM NEW."uploadId")
  EXECUTE FUNCTION compliance_snapshot_touch_row();
