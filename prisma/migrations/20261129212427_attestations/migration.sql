-- CreateEnum
CREATE TYPE "AttestationState" AS ENUM ('draft', 'submitted', 'changes_requested', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('approve', 'reject', 'request_changes');

-- CreateTable
CREATE TABLE "Attestation" (
    "id" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "state" "AttestationState" NOT NULL DEFAULT 'draft',
    "standard" TEXT NOT NULL DEFAULT 'scs-0116-v1',
    "statement" JSONB NOT NULL,
    "createdById" UUID,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submittedAt" TIMESTAMP(3),
    "decidedAt" TIMESTAMP(3),
    "approvedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "Attestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttestationBlob" (
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "storage" TEXT NOT NULL,
    "content" BYTEA,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttestationBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "AttestationFile" (
    "id" UUID NOT NULL,
    "attestationId" UUID NOT NULL,
    "sha256" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "uploadedById" UUID,
    "uploadedByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttestationFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttestationSubmission" (
    "id" UUID NOT NULL,
    "attestationId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "signerId" UUID,
    "signerName" TEXT NOT NULL,
    "signerEmail" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "clientAddress" TEXT,
    "userAgent" TEXT,
    "digest" TEXT NOT NULL,
    "statement" JSONB NOT NULL,
    "files" JSONB NOT NULL,

    CONSTRAINT "AttestationSubmission_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AttestationReview" (
    "id" UUID NOT NULL,
    "attestationId" UUID NOT NULL,
    "submissionId" UUID NOT NULL,
    "decision" "ReviewDecision" NOT NULL,
    "comment" TEXT NOT NULL,
    "reviewerId" UUID,
    "reviewerLabel" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AttestationReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationOutbox" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "organizationId" UUID NOT NULL,
    "cloudId" UUID,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "NotificationOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Attestation_state_submittedAt_idx" ON "Attestation"("state", "submittedAt");

-- CreateIndex
CREATE INDEX "Attestation_cloudId_decidedAt_idx" ON "Attestation"("cloudId", "decidedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Attestation_cloudId_revision_key" ON "Attestation"("cloudId", "revision");

-- CreateIndex
CREATE INDEX "AttestationFile_attestationId_idx" ON "AttestationFile"("attestationId");

-- CreateIndex
CREATE INDEX "AttestationFile_sha256_idx" ON "AttestationFile"("sha256");

-- CreateIndex
CREATE UNIQUE INDEX "AttestationSubmission_attestationId_number_key" ON "AttestationSubmission"("attestationId", "number");

-- CreateIndex
CREATE INDEX "AttestationReview_attestationId_at_idx" ON "AttestationReview"("attestationId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationOutbox_dedupeKey_key" ON "NotificationOutbox"("dedupeKey");

-- CreateIndex
CREATE INDEX "NotificationOutbox_organizationId_createdAt_idx" ON "NotificationOutbox"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "NotificationOutbox_deliveredAt_idx" ON "NotificationOutbox"("deliveredAt");

-- AddForeignKey
ALTER TABLE "Attestation" ADD CONSTRAINT "Attestation_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttestationFile" ADD CONSTRAINT "AttestationFile_attestationId_fkey" FOREIGN KEY ("attestationId") REFERENCES "Attestation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttestationFile" ADD CONSTRAINT "AttestationFile_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "AttestationBlob"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttestationSubmission" ADD CONSTRAINT "AttestationSubmission_attestationId_fkey" FOREIGN KEY ("attestationId") REFERENCES "Attestation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttestationReview" ADD CONSTRAINT "AttestationReview_attestationId_fkey" FOREIGN KEY ("attestationId") REFERENCES "Attestation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttestationReview" ADD CONSTRAINT "AttestationReview_submissionId_fkey" FOREIGN KEY ("submissionId") REFERENCES "AttestationSubmission"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one open revision (draft, submitted, changes requested) per cloud, even under
-- concurrent "start attestation" requests.
CREATE UNIQUE INDEX "Attestation_one_open_per_cloud" ON "Attestation"("cloudId") WHERE "state" IN ('draft', 'submitted', 'changes_requested');

-- Immutability of decided revisions, enforced by the database itself so that no code path (a
-- crafted request, a bug, a hand-written UPDATE) can change what a reviewer approved.
-- The function bodies are E-strings with every semicolon written as the octal escape 073: the
-- driver adapter that applies migrations splits a script at each semicolon, even inside a
-- dollar-quoted body.

-- 1. An approved or rejected revision cannot be updated or deleted.
CREATE FUNCTION attestation_decided_immutable() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF OLD."state" IN (''approved'', ''rejected'') THEN
    RAISE EXCEPTION ''attestation % is %, and decided revisions are immutable'', OLD."id", OLD."state"
      USING ERRCODE = ''integrity_constraint_violation''\073
  END IF\073
  IF TG_OP = ''DELETE'' THEN
    RETURN OLD\073
  END IF\073
  RETURN NEW\073
END
';
CREATE TRIGGER "Attestation_decided_immutable" BEFORE UPDATE OR DELETE ON "Attestation"
  FOR EACH ROW EXECUTE FUNCTION attestation_decided_immutable();

-- 2. Files and submissions of a decided revision cannot be added, changed or removed.
CREATE FUNCTION attestation_child_immutable() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  parent_state text\073
  parent_id uuid\073
BEGIN
  IF TG_OP = ''INSERT'' THEN
    parent_id := NEW."attestationId"\073
  ELSE
    parent_id := OLD."attestationId"\073
  END IF\073
  SELECT "state"::text INTO parent_state FROM "Attestation" WHERE "id" = parent_id\073
  IF parent_state IN (''approved'', ''rejected'') THEN
    RAISE EXCEPTION ''% of attestation % cannot change: the revision is %'', TG_TABLE_NAME, parent_id, parent_state
      USING ERRCODE = ''integrity_constraint_violation''\073
  END IF\073
  IF TG_OP = ''DELETE'' THEN
    RETURN OLD\073
  END IF\073
  RETURN NEW\073
END
';
CREATE TRIGGER "AttestationFile_decided_immutable" BEFORE INSERT OR UPDATE OR DELETE ON "AttestationFile"
  FOR EACH ROW EXECUTE FUNCTION attestation_child_immutable();
CREATE TRIGGER "AttestationSubmission_decided_immutable" BEFORE INSERT OR UPDATE OR DELETE ON "AttestationSubmission"
  FOR EACH ROW EXECUTE FUNCTION attestation_child_immutable();

-- 3. Signature records and reviews are append-only (never updated or deleted), and file
--    contents are written once (a blob may be deleted only when no file refers to it, which
--    the foreign key holds).
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  RAISE EXCEPTION ''% is append-only: % refused'', TG_TABLE_NAME, TG_OP
    USING ERRCODE = ''integrity_constraint_violation''\073
END
';
CREATE TRIGGER "AttestationSubmission_append_only" BEFORE UPDATE OR DELETE ON "AttestationSubmission"
  FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER "AttestationReview_append_only" BEFORE UPDATE OR DELETE ON "AttestationReview"
  FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER "AttestationBlob_write_once" BEFORE UPDATE ON "AttestationBlob"
  FOR EACH ROW EXECUTE FUNCTION append_only();
