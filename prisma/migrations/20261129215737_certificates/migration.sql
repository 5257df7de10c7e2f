-- CreateTable
CREATE TABLE "Certificate" (
    "id" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "standard" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,
    "grantedById" UUID,
    "grantedByLabel" TEXT NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedReason" TEXT,
    "revokedById" UUID,
    "revokedByLabel" TEXT,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Certificate_cloudId_standard_grantedAt_idx" ON "Certificate"("cloudId", "standard", "grantedAt");

-- CreateIndex
CREATE INDEX "Certificate_revokedAt_idx" ON "Certificate"("revokedAt");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
