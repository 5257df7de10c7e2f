-- AlterTable
ALTER TABLE "Cloud" ADD COLUMN     "certifiedAuthUrl" TEXT,
ADD COLUMN     "certifiedRegion" TEXT,
ADD COLUMN     "pinnedAt" TIMESTAMP(3),
ADD COLUMN     "pinnedByLabel" TEXT,
ADD COLUMN     "publicRunMessages" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "authUrl" TEXT,
ADD COLUMN     "region" TEXT;

-- lib/compliance/certified-endpoint.ts normalizeAuthUrl in SQL, for the backfill below: scheme and
-- host in lower case, the default port dropped, query and fragment dropped, doubled and trailing
-- slashes and a trailing /v3, /v3.0 or /v2.0 dropped. tests/integration/migrations.test.ts holds it
-- equal to the TypeScript function.
CREATE FUNCTION scs_normalize_auth_url(url text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN m IS NULL THEN rtrim(lower(btrim(url)), '/') ELSE
    lower(m[1]) || '://' ||
    regexp_replace(lower(m[2]), CASE lower(m[1]) WHEN 'https' THEN ':443$' WHEN 'http' THEN ':80$' ELSE '$^' END, '') ||
    rtrim(regexp_replace(rtrim(regexp_replace(m[3], '/{2,}', '/', 'g'), '/'), '/v(3|3\.0|2\.0)$', '', 'i'), '/')
  END
  FROM (SELECT regexp_match(btrim(url), '^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)') AS m) x
$$;

-- Runs before this migration did not record their endpoint. A run queued after the cloud's current
-- primary credential was set used that credential (a new credential replaces the row), so its
-- endpoint is known: recorded here. Older runs stay unrecorded (they count while the cloud has no pin).
UPDATE "Run" r SET "authUrl" = scs_normalize_auth_url(cr."authUrl"), region = cr.region
  FROM "Credential" cr
 WHERE cr."cloudId" = r."cloudId" AND cr.persona = 'primary' AND r."queuedAt" >= cr."setAt" AND r."authUrl" IS NULL;

-- What a run's credential named decides whether it counts, and the pin decides it for the whole
-- cloud: both make the cloud's snapshot stale in the writer's transaction.
DROP TRIGGER "Run_snapshot_update" ON "Run";
CREATE TRIGGER "Run_snapshot_update" AFTER UPDATE ON "Run" FOR EACH ROW
  WHEN (OLD."cloudId" IS DISTINCT FROM NEW."cloudId" OR OLD.status IS DISTINCT FROM NEW.status
     OR OLD."queuedAt" IS DISTINCT FROM NEW."queuedAt" OR OLD."finishedAt" IS DISTINCT FROM NEW."finishedAt"
     OR OLD."authUrl" IS DISTINCT FROM NEW."authUrl" OR OLD.region IS DISTINCT FROM NEW.region)
  EXECUTE FUNCTION compliance_snapshot_touch_row();

CREATE FUNCTION compliance_snapshot_touch_cloud() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  UPDATE "ComplianceSnapshot" SET version = version + 1 WHERE "cloudId" = NEW.id\073
  RETURN NULL\073
END';
CREATE TRIGGER "Cloud_snapshot_pin" AFTER UPDATE ON "Cloud" FOR EACH ROW
  WHEN (OLD."certifiedAuthUrl" IS DISTINCT FROM NEW."certifiedAuthUrl" OR OLD."certifiedRegion" IS DISTINCT FROM NEW."certifiedRegion"
     OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION compliance_snapshot_touch_cloud();
