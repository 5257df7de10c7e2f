-- CreateEnum
CREATE TYPE "RunSource" AS ENUM ('dashboard', 'official-runner');

-- CreateEnum
CREATE TYPE "MonitorDeliveryStatus" AS ENUM ('pending', 'delivered', 'failed');

-- AlterTable
ALTER TABLE "Cloud" ADD COLUMN     "scsSubject" TEXT;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "reportUuid" TEXT,
ADD COLUMN     "source" "RunSource" NOT NULL DEFAULT 'dashboard',
ADD COLUMN     "uploadId" UUID;

-- CreateTable
CREATE TABLE "OrganizationKey" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "bits" INTEGER NOT NULL,
    "publicKey" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "fingerprint" TEXT NOT NULL,
    "createdById" UUID,
    "createdByLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "OrganizationKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportUpload" (
    "id" UUID NOT NULL,
    "organizationId" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "keyId" UUID,
    "keyFingerprint" TEXT NOT NULL,
    "uploadedById" UUID,
    "uploadedByLabel" TEXT NOT NULL,
    "clientAddress" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportUpload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SealedSecret" (
    "id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "publicPart" TEXT,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "tag" BYTEA NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "kekId" TEXT NOT NULL,
    "formatVersion" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SealedSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MonitorForwarding" (
    "cloudId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "apiKeyId" UUID NOT NULL,
    "apiKeyFingerprint" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "enabledAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedById" UUID,
    "updatedByLabel" TEXT NOT NULL,

    CONSTRAINT "MonitorForwarding_pkey" PRIMARY KEY ("cloudId")
);

-- CreateTable
CREATE TABLE "MonitorDelivery" (
    "id" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "account" TEXT NOT NULL,
    "status" "MonitorDeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "log" JSONB NOT NULL DEFAULT '[]',
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "MonitorDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrganizationKey_organizationId_name_key" ON "OrganizationKey"("organizationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "OrganizationKey_organizationId_fingerprint_key" ON "OrganizationKey"("organizationId", "fingerprint");

-- CreateIndex
CREATE INDEX "ReportUpload_cloudId_createdAt_idx" ON "ReportUpload"("cloudId", "createdAt");

-- CreateIndex
CREATE INDEX "SealedSecret_kekId_id_idx" ON "SealedSecret"("kekId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "SealedSecret_purpose_ownerId_key" ON "SealedSecret"("purpose", "ownerId");

-- CreateIndex
CREATE INDEX "MonitorDelivery_status_nextAttemptAt_idx" ON "MonitorDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "MonitorDelivery_createdAt_idx" ON "MonitorDelivery"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "MonitorDelivery_runId_key" ON "MonitorDelivery"("runId");

-- CreateIndex
CREATE UNIQUE INDEX "Cloud_scsSubject_key" ON "Cloud"("scsSubject");

-- CreateIndex
CREATE UNIQUE INDEX "Run_reportUuid_key" ON "Run"("reportUuid");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_uploadId_fkey" FOREIGN KEY ("uploadId") REFERENCES "ReportUpload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrganizationKey" ADD CONSTRAINT "OrganizationKey_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportUpload" ADD CONSTRAINT "ReportUpload_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportUpload" ADD CONSTRAINT "ReportUpload_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportUpload" ADD CONSTRAINT "ReportUpload_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "OrganizationKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorForwarding" ADD CONSTRAINT "MonitorForwarding_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorDelivery" ADD CONSTRAINT "MonitorDelivery_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorDelivery" ADD CONSTRAINT "MonitorDelivery_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: every cloud has an SCS subject. Existing clouds keep their slug, and a cloud created or
-- updated without one gets its slug (the default the product promises), so the unique index sees them all.
UPDATE "Cloud" SET "scsSubject" = slug WHERE "scsSubject" IS NULL;

CREATE FUNCTION cloud_default_scs_subject() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF NEW."scsSubject" IS NULL OR length(NEW."scsSubject") = 0 THEN NEW."scsSubject" := NEW.slug\073 END IF\073
  RETURN NEW\073
END';

CREATE TRIGGER "Cloud_default_scs_subject" BEFORE INSERT OR UPDATE OF "scsSubject" ON "Cloud"
  FOR EACH ROW EXECUTE FUNCTION cloud_default_scs_subject();
