-- CreateTable
CREATE TABLE "ComplianceSnapshot" (
    "cloudId" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "computedVersion" INTEGER NOT NULL DEFAULT 0,
    "computedAt" TIMESTAMP(3),
    "staleAt" TIMESTAMP(3),
    "status" TEXT,
    "lastRunAt" TIMESTAMP(3),
    "attestationExpiresAt" TIMESTAMP(3),
    "certificateValidUntil" TIMESTAMP(3),
    "summary" JSONB,

    CONSTRAINT "ComplianceSnapshot_pkey" PRIMARY KEY ("cloudId")
);

-- CreateIndex
CREATE INDEX "ComplianceSnapshot_status_idx" ON "ComplianceSnapshot"("status");

-- AddForeignKey
ALTER TABLE "ComplianceSnapshot" ADD CONSTRAINT "ComplianceSnapshot_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every cloud has a snapshot row from its creation on (computedVersion 0: to be computed).
INSERT INTO "ComplianceSnapshot" ("cloudId") SELECT id FROM "Cloud";

-- Function bodies are E-strings with \073 for semicolons, since the migration runner splits statements there.
CREATE FUNCTION compliance_snapshot_create() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "ComplianceSnapshot" ("cloudId") SELECT id FROM created ON CONFLICT DO NOTHING\073
  RETURN NULL\073
END';

CREATE TRIGGER "Cloud_compliance_snapshot" AFTER INSERT ON "Cloud"
  REFERENCING NEW TABLE AS created FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_create();

-- Any change to what a cloud's status is computed from makes its snapshot stale, in the writer's
-- own transaction (so no code path can forget it). Statement-level with a transition table: a bulk
-- insert of a million results bumps each affected cloud once. Rows are locked in cloudId order so
-- two writers touching several clouds cannot deadlock each other.
CREATE FUNCTION compliance_snapshot_touch() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM 1 FROM "ComplianceSnapshot" s WHERE s."cloudId" IN (SELECT DISTINCT "cloudId" FROM changed) ORDER BY s."cloudId" FOR UPDATE\073
  UPDATE "ComplianceSnapshot" s SET version = s.version + 1 WHERE s."cloudId" IN (SELECT DISTINCT "cloudId" FROM changed)\073
  RETURN NULL\073
END';

-- PostgreSQL allows a transition table on one event per trigger: three triggers per table.
CREATE TRIGGER "Run_snapshot_insert" AFTER INSERT ON "Run" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Run_snapshot_update" AFTER UPDATE ON "Run" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Run_snapshot_delete" AFTER DELETE ON "Run" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "RunResult_snapshot_insert" AFTER INSERT ON "RunResult" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "RunResult_snapshot_update" AFTER UPDATE ON "RunResult" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "RunResult_snapshot_delete" AFTER DELETE ON "RunResult" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Attestation_snapshot_insert" AFTER INSERT ON "Attestation" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Attestation_snapshot_update" AFTER UPDATE ON "Attestation" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Attestation_snapshot_delete" AFTER DELETE ON "Attestation" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Certificate_snapshot_insert" AFTER INSERT ON "Certificate" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Certificate_snapshot_update" AFTER UPDATE ON "Certificate" REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
CREATE TRIGGER "Certificate_snapshot_delete" AFTER DELETE ON "Certificate" REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION compliance_snapshot_touch();
