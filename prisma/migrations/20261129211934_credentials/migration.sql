-- CreateEnum
CREATE TYPE "CredentialPersona" AS ENUM ('primary', 'reader', 'other-project');

-- CreateEnum
CREATE TYPE "CredentialAuthType" AS ENUM ('password', 'application_credential');

-- CreateTable
CREATE TABLE "Credential" (
    "id" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "persona" "CredentialPersona" NOT NULL DEFAULT 'primary',
    "authType" "CredentialAuthType" NOT NULL,
    "principal" TEXT NOT NULL,
    "authUrl" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "interface" TEXT NOT NULL DEFAULT 'public',
    "allowPrivateAddresses" BOOLEAN NOT NULL DEFAULT false,
    "hasCaBundle" BOOLEAN NOT NULL DEFAULT false,
    "fingerprint" TEXT NOT NULL,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "tag" BYTEA NOT NULL,
    "wrappedKey" BYTEA NOT NULL,
    "kekId" TEXT NOT NULL,
    "formatVersion" INTEGER NOT NULL,
    "setById" UUID,
    "setByLabel" TEXT NOT NULL,
    "setAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastTestAt" TIMESTAMP(3),
    "lastTestOk" BOOLEAN,
    "lastTest" JSONB,

    CONSTRAINT "Credential_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Credential_kekId_id_idx" ON "Credential"("kekId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Credential_cloudId_persona_key" ON "Credential"("cloudId", "persona");

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Credential" ADD CONSTRAINT "Credential_setById_fkey" FOREIGN KEY ("setById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
