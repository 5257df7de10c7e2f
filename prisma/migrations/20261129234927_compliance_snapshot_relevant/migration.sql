-- AlterTable
ALTER TABLE "ComplianceSnapshot" ADD COLUMN     "format" INTEGER NOT NULL DEFAULT 0;

-- Updates make a snapshot stale only when they change what the evaluation reads: a run's progress
-- and heartbeat, an attestation draft being edited or evidence being pruned leave it fresh (they are
-- frequent, and a cloud with a run in progress would otherwise never be fresh). Transition tables
-- cannot name columns, so updates are row-level triggers with a WHEN condition. Inserts and deletes
-- stay statement-level (compliance_snapshot migration).
DROP TRIGGER "Run_snapshot_update" ON "Run";
DROP TRIGGER "RunResult_snapshot_update" ON "RunResult";
DROP TRIGGER "Attestation_snapshot_update" ON "Attestation";
DROP TRIGGER "Certificate_snapshot_update" ON "Certificate";

CREATE FUNCTION compliance_snapshot_touch_row() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "ComplianceSnapshot" SET version = version + 1 WHERE "cloudId" IN (OLD."cloudId", NEW."cloudId")\073
  RETURN NULL\073
END';

CREATE TRIGGER "Run_snapshot_update" AFTER UPDATE ON "Run" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD."queuedAt" IS DISTINCT FROM NEW."queuedAt" OR OLD."finishedAt" IS DISTINCT FROM NEW."finishedAt")
  EXECUTE FUNCTION compliance_snapshot_touch_row();
CREATE TRIGGER "RunResult_snapshot_update" AFTER UPDATE ON "RunResult" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD."runId" IS DISTINCT FROM NEW."runId" OR OLD.testcase IS DISTINCT FROM NEW.testcase
     OR OLD.verdict IS DISTINCT FROM NEW.verdict OR OLD."checkedAt" IS DISTINCT FROM NEW."checkedAt" OR OLD.message IS DISTINCT FROM NEW.message)
  EXECUTE FUNCTION compliance_snapshot_touch_row();
CREATE TRIGGER "Attestation_snapshot_update" AFTER UPDATE ON "Attestation" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD.state IS DISTINCT FROM NEW.state OR OLD.revision IS DISTINCT FROM NEW.revision
     OR OLD."decidedAt" IS DISTINCT FROM NEW."decidedAt" OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt")
  EXECUTE FUNCTION compliance_snapshot_touch_row();
CREATE TRIGGER "Certificate_snapshot_update" AFTER UPDATE ON "Certificate" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD.standard IS DISTINCT FROM NEW.standard OR OLD."grantedAt" IS DISTINCT FROM NEW."grantedAt"
     OR OLD."validUntil" IS DISTINCT FROM NEW."validUntil" OR OLD."grantedByLabel" IS DISTINCT FROM NEW."grantedByLabel"
     OR OLD."revokedAt" IS DISTINCT FROM NEW."revokedAt" OR OLD."revokedReason" IS DISTINCT FROM NEW."revokedReason")
  EXECUTE FUNCTION compliance_snapshot_touch_row();
