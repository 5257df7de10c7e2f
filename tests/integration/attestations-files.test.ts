import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../lib/db';
import {
  addAttestationFile,
  createAttestation,
  getAttestation,
  readAttestationFile,
  removeAttestationFile,
} from '../../lib/attestations';
import { sha256Hex } from '../../lib/attestations/digest';
import { samplePdf, samplePng } from '../fixtures/attestation-files';
import { count, makeWorld } from './support/fixtures';
import { blobPath } from '../../lib/attestations/storage';
import { AppError } from '../../lib/errors';
import { PolicyError } from '../../lib/auth/policy';

let w: Awaited<ReturnType<typeof makeWorld>>;
let id: string;
beforeAll(async () => {
  w = await makeWorld();
  id = (await createAttestation(w.csp, w.cloud.slug)).id;
});
afterEach(() => {
  delete process.env.ATTESTATION_FILES_DIR;
  delete process.env.ATTESTATION_MAX_FILE_MB;
  delete process.env.ATTESTATION_MAX_FILES;
});

async function refused(p: Promise<unknown>): Promise<AppError | PolicyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError || err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('accepted');
}

async function storedCounts() {
  return {
    files: await count('AttestationFile'),
    blobs: await count('AttestationBlob'),
    events: await count('AuditEvent'),
  };
}

describe('evidence files in PostgreSQL', () => {
  it('stores PDF and PNG with their SHA-256 and serves them verified', async () => {
    const pdf = samplePdf('HSM attestation');
    const f = await addAttestationFile(w.csp, id, { name: 'hsm.pdf', bytes: pdf });
    expect(f).toMatchObject({ name: 'hsm.pdf', mime: 'application/pdf', size: pdf.length, sha256: sha256Hex(pdf) });
    await addAttestationFile(w.csp, id, { name: 'rack.png', bytes: samplePng() });
    const got = await readAttestationFile(w.csp, id, f.id);
    expect(got.bytes.equals(pdf)).toBe(true);
    expect((await refused(readAttestationFile(w.cspB, id, f.id))).status).toBe(404);
    expect((await refused(addAttestationFile(w.cspB, id, { name: 'x.txt', bytes: Buffer.from('x') }))).status).toBe(
      404,
    );
    expect((await refused(readAttestationFile(w.csp, id, '00000000-0000-4000-8000-000000000000'))).status).toBe(404);
  });

  it('refuses bad input with a clear message and stores nothing', async () => {
    process.env.ATTESTATION_MAX_FILE_MB = '1';
    const before = await storedCounts();
    const cases: [string, Uint8Array, RegExp][] = [
      ['report.pdf', samplePng(), /named \.pdf, but its content is a PNG image/],
      ['big.txt', Buffer.alloc(1024 * 1024 + 1, 0x61), /more than the limit of 1\.0 MiB/],
      ['empty.pdf', new Uint8Array(), /is empty/],
      ['../../etc/passwd.txt', Buffer.from('root:x:0:0'), /contains a path/],
      ['page.html', Buffer.from('<script>alert(1)</script>'), /\.html are not accepted/],
    ];
    for (const [name, bytes, message] of cases) {
      const err = await refused(addAttestationFile(w.csp, id, { name, bytes }));
      expect(err.status, name).toBe(422);
      expect(err.message, name).toMatch(message);
    }
    const dup = await refused(addAttestationFile(w.csp, id, { name: 'again.png', bytes: samplePng() }));
    expect(dup.message).toMatch(/attached already, as "rack.png"/);
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses the 11th file', async () => {
    const a = await createAttestation(
      w.csp,
      (await db.cloud.create({ data: { slug: `c11-${Date.now()}`, name: 'eleven', organizationId: w.orgA.id } })).slug,
    );
    for (let i = 1; i <= 10; i++)
      await addAttestationFile(w.csp, a.id, { name: `note-${i}.txt`, bytes: Buffer.from(`evidence ${i}\n`) });
    const before = await storedCounts();
    const err = await refused(
      addAttestationFile(w.csp, a.id, { name: 'note-11.txt', bytes: Buffer.from('evidence 11\n') }),
    );
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/at most 10 files/);
    expect(await storedCounts()).toEqual(before);
    expect((await getAttestation(w.csp, a.id)).files).toHaveLength(10);
    process.env.ATTESTATION_MAX_FILES = '11';
    await addAttestationFile(w.csp, a.id, { name: 'note-11.txt', bytes: Buffer.from('evidence 11\n') });
  });

  it('a download whose stored bytes were altered is refused with an integrity error', async () => {
    const text = Buffer.from(`original ${Date.now()}\n`);
    const f = await addAttestationFile(w.csp, id, { name: 'original.txt', bytes: text });
    // Tamper below the application: the write-once trigger is bypassed as a superuser could.
    await db.$transaction([
      db.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`),
      db.$executeRawUnsafe(
        `UPDATE "AttestationBlob" SET "content" = convert_to('altered', 'UTF8'), "size" = 7 WHERE "sha256" = '${f.sha256}'`,
      ),
    ]);
    const err = await refused(readAttestationFile(w.csp, id, f.id));
    expect(err).toMatchObject({ code: 'integrity_error', status: 500 });
    expect(err.message).toMatch(/no longer matches its recorded SHA-256/);
    await removeAttestationFile(w.csp, id, f.id);
  });
});

describe('evidence files in ATTESTATION_FILES_DIR', () => {
  it('writes the contents to the directory, verifies them on read, refuses altered or missing bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-km-files-'));
    process.env.ATTESTATION_FILES_DIR = dir;
    try {
      const bytes = Buffer.from(`on disk ${Date.now()}\n`);
      const f = await addAttestationFile(w.csp, id, { name: 'disk.md', bytes });
      expect(f.mime).toBe('text/markdown');
      const file = blobPath(dir, f.sha256);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      const row = await db.attestationBlob.findUniqueOrThrow({ where: { sha256: f.sha256 } });
      expect(row).toMatchObject({ storage: 'dir', content: null });
      expect((await readAttestationFile(w.csp, id, f.id)).bytes.equals(bytes)).toBe(true);
      fs.writeFileSync(file, Buffer.from(`on disk ${Date.now()}X`));
      expect((await refused(readAttestationFile(w.csp, id, f.id))).message).toMatch(/integrity|no longer matches/);
      fs.rmSync(file);
      expect((await refused(readAttestationFile(w.csp, id, f.id))).status).toBe(500);
      // A refused upload leaves no file behind in the directory either.
      const before = fs.readdirSync(dir, { recursive: true }).length;
      await refused(addAttestationFile(w.csp, id, { name: 'lie.pdf', bytes: samplePng(2, 2) }));
      expect(fs.readdirSync(dir, { recursive: true }).length).toBe(before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
