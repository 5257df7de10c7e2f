-- One notification pipeline (issue 15 item 5): "Notification" becomes the one outbox. The rows of
-- the second outbox ("NotificationOutbox") move into it, deliveries and their log stay as they are,
-- kinds, channels and states become enums. Nothing is dropped before its rows have moved.

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('status-change', 'attestation-expiry', 'attestation-reviewed', 'certificate-expiry');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('queued', 'dispatched', 'expired');

-- CreateEnum
CREATE TYPE "DeliveryChannel" AS ENUM ('email', 'webhook');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'delivered', 'failed', 'held', 'dropped');

-- DropForeignKey
ALTER TABLE "Notification" DROP CONSTRAINT "Notification_cloudId_fkey";

-- AlterTable: the outbox's columns. Existing messages were fanned out when they were created.
ALTER TABLE "Notification" ADD COLUMN "dedupeKey" TEXT,
ADD COLUMN "organizationId" UUID,
ADD COLUMN "status" "NotificationStatus" NOT NULL DEFAULT 'queued',
ALTER COLUMN "cloudId" DROP NOT NULL,
ALTER COLUMN "toStatus" DROP NOT NULL;

UPDATE "Notification" n SET "organizationId" = c."organizationId", "status" = 'dispatched'
FROM "Cloud" c WHERE c.id = n."cloudId";

-- Expiry reminders and status changes were bridged: each outbox message handed on became one
-- Notification with the same cloud, subject and body. Pair them (in order, as a certificate's 30-
-- and 7-day reminders share their text) and give the Notification the message's dedupe key.
WITH o AS (
  SELECT "dedupeKey", "cloudId", subject, body,
         CASE kind WHEN 'attestation.expiry-reminder' THEN 'attestation-expiry' ELSE kind END AS kind,
         row_number() OVER (PARTITION BY "cloudId", kind, subject, body ORDER BY "createdAt", id) AS k
  FROM "NotificationOutbox"
  WHERE "deliveredAt" IS NOT NULL AND "cloudId" IS NOT NULL
    AND kind IN ('attestation.expiry-reminder', 'certificate-expiry', 'status-change')
), n AS (
  SELECT id, "cloudId", kind, subject, body,
         row_number() OVER (PARTITION BY "cloudId", kind, subject, body ORDER BY "createdAt", id) AS k
  FROM "Notification"
  WHERE kind IN ('attestation-expiry', 'certificate-expiry', 'status-change')
)
UPDATE "Notification" t SET "dedupeKey" = o."dedupeKey"
FROM n JOIN o ON o."cloudId" = n."cloudId" AND o.kind = n.kind AND o.subject = n.subject AND o.body = n.body AND o.k = n.k
WHERE t.id = n.id;

-- Status changes of runs before the stored snapshot decided them: one per run, as the unique index
-- of that time said (any other gets a key of its own).
UPDATE "Notification" t SET "dedupeKey" = 'run:' || r."runId" || ':' || r.kind
FROM (SELECT id, "runId", kind, row_number() OVER (PARTITION BY "runId", kind ORDER BY "createdAt", id) AS k
        FROM "Notification" WHERE "dedupeKey" IS NULL AND "runId" IS NOT NULL) r
WHERE t.id = r.id AND r.k = 1;
UPDATE "Notification" SET "dedupeKey" = 'notification:' || id WHERE "dedupeKey" IS NULL;

-- The kind as an enum (the values were the event names already).
ALTER TABLE "Notification" ALTER COLUMN "kind" TYPE "NotificationKind" USING "kind"::"NotificationKind";

-- Outbox messages that were not handed on (reminders and status changes not yet bridged, and every
-- review outcome, which was never delivered) become queued notifications under their own id and
-- dedupe key, with their facts (a status change's statuses and run, from its data). The dispatcher
-- sends them, except those older than NOTIFY_MAX_AGE_HOURS, which it marks expired.
INSERT INTO "Notification" (id, kind, "organizationId", "cloudId", "runId", "fromStatus", "toStatus", subject, body,
                            data, "dedupeKey", status, "createdAt")
SELECT o.id,
       (CASE o.kind
          WHEN 'attestation.expiry-reminder' THEN 'attestation-expiry'
          WHEN 'attestation.reviewed' THEN 'attestation-reviewed'
          ELSE o.kind
        END)::"NotificationKind",
       o."organizationId",
       (SELECT c.id FROM "Cloud" c WHERE c.id = o."cloudId"),
       CASE WHEN o.kind = 'status-change' AND o.data->>'runId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN (o.data->>'runId')::uuid END,
       CASE WHEN o.kind = 'status-change' THEN o.data->>'from' END,
       CASE WHEN o.kind = 'status-change' THEN o.data->>'to' END,
       o.subject, o.body, o.data, o."dedupeKey",
       CASE WHEN o."deliveredAt" IS NULL THEN 'queued' ELSE 'dispatched' END::"NotificationStatus",
       o."createdAt"
FROM "NotificationOutbox" o
WHERE NOT EXISTS (SELECT 1 FROM "Notification" n WHERE n."dedupeKey" = o."dedupeKey");

ALTER TABLE "Notification" ALTER COLUMN "dedupeKey" SET NOT NULL,
ALTER COLUMN "organizationId" SET NOT NULL;

-- Webhook subscriptions as enums. A hook that took every event there was gets the new one too
-- (review outcomes), others keep exactly what they had.
ALTER TABLE "Webhook" ALTER COLUMN "events" DROP DEFAULT;
UPDATE "Webhook" SET events = ARRAY(
  SELECT t.e FROM unnest(events) WITH ORDINALITY AS t(e, i)
  WHERE t.e IN ('status-change', 'attestation-expiry', 'attestation-reviewed', 'certificate-expiry')
  GROUP BY t.e ORDER BY min(t.i)
);
UPDATE "Webhook" SET events = events || ARRAY['attestation-reviewed']
WHERE events @> ARRAY['status-change', 'attestation-expiry', 'certificate-expiry'] AND NOT 'attestation-reviewed' = ANY(events);
ALTER TABLE "Webhook" ALTER COLUMN "events" TYPE "NotificationKind"[] USING "events"::"NotificationKind"[],
ALTER COLUMN "events" SET DEFAULT ARRAY['status-change', 'attestation-expiry', 'attestation-reviewed', 'certificate-expiry']::"NotificationKind"[];

-- Deliveries: channel and status as enums, the dispatcher's schedule and lease. Pending deliveries
-- (their pg-boss jobs are no longer worked) are due at once.
ALTER TABLE "NotificationDelivery" ADD COLUMN "leaseToken" UUID,
ADD COLUMN "leasedUntil" TIMESTAMP(3),
ADD COLUMN "nextAttemptAt" TIMESTAMP(3),
ALTER COLUMN "channel" TYPE "DeliveryChannel" USING "channel"::"DeliveryChannel",
ALTER COLUMN "status" DROP DEFAULT,
ALTER COLUMN "status" TYPE "DeliveryStatus" USING "status"::"DeliveryStatus",
ALTER COLUMN "status" SET DEFAULT 'pending';
UPDATE "NotificationDelivery" SET "nextAttemptAt" = CURRENT_TIMESTAMP WHERE status = 'pending';

-- AlterTable
ALTER TABLE "NotificationPreference" ADD COLUMN "attestationReviews" BOOLEAN;

-- DropTable: every row moved above.
DROP TABLE "NotificationOutbox";

-- CreateIndex
CREATE UNIQUE INDEX "Notification_dedupeKey_key" ON "Notification"("dedupeKey");

-- CreateIndex
CREATE INDEX "Notification_organizationId_createdAt_idx" ON "Notification"("organizationId", "createdAt");

-- CreateIndex
CREATE INDEX "NotificationDelivery_notificationId_idx" ON "NotificationDelivery"("notificationId");

-- The dispatcher's two questions (not expressible in schema.prisma): queued messages, due deliveries.
CREATE INDEX "Notification_queued_idx" ON "Notification"("createdAt") WHERE status = 'queued';
CREATE INDEX "NotificationDelivery_due_idx" ON "NotificationDelivery"("nextAttemptAt") WHERE status = 'pending';
CREATE INDEX "NotificationDelivery_held_idx" ON "NotificationDelivery"("createdAt") WHERE status = 'held';

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE SET NULL ON UPDATE CASCADE;
