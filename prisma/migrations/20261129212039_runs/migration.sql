-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'finished', 'cancelled', 'interrupted');

-- CreateEnum
CREATE TYPE "Verdict" AS ENUM ('PASS', 'FAIL', 'ABORT');

-- CreateTable
CREATE TABLE "Run" (
    "id" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "trigger" TEXT NOT NULL,
    "requestedById" UUID,
    "testcases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "queuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "namePrefix" TEXT,
    "roles" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "report" JSONB,
    "error" TEXT,

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunResult" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "cloudId" UUID NOT NULL,
    "testcase" TEXT NOT NULL,
    "verdict" "Verdict" NOT NULL,
    "message" TEXT NOT NULL,
    "details" JSONB,
    "durationMs" INTEGER NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL,
    "evidence" JSONB,

    CONSTRAINT "RunResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Run_cloudId_queuedAt_idx" ON "Run"("cloudId", "queuedAt");

-- CreateIndex
CREATE INDEX "Run_status_idx" ON "Run"("status");

-- CreateIndex
CREATE INDEX "RunResult_cloudId_testcase_checkedAt_idx" ON "RunResult"("cloudId", "testcase", "checkedAt");

-- CreateIndex
CREATE UNIQUE INDEX "RunResult_runId_testcase_key" ON "RunResult"("runId", "testcase");

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunResult" ADD CONSTRAINT "RunResult_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One active run per cloud (not expressible in schema.prisma): a second "run now" while one is
-- queued or running fails this index, and the caller returns the active run instead.
CREATE UNIQUE INDEX "Run_one_active_per_cloud" ON "Run"("cloudId") WHERE "status" IN ('queued', 'running');
