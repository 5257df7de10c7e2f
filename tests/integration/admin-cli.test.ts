import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { db } from '@/lib/db';
import { verifyPassword } from '@/lib/auth/password';
import { actorForBearer } from '@/lib/tokens';
import { auditEvents, makeOrg, makeUser, uid } from './support/fixtures';

/** `npm run --silent admin -- ...`, run as the operator would, against the test database (DATABASE_URL). */
const ROOT = path.resolve(import.meta.dirname, '../..');
function admin(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/admin.ts', ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

describe('admin CLI', () => {
  test('create-token prints only a working token, audited as admin-cli', async () => {
    const user = await makeUser('reviewer');
    const r = await admin(['create-token', user.email.toUpperCase(), '--days', '2', '--name', 'automation']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^scskm_[\w-]+\n$/);
    const token = r.stdout.trim();
    expect((await actorForBearer(token))?.id).toBe(user.id);
    const row = await db.apiToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.name).toBe('automation');
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(1.9 * 86_400_000);
    expect((await auditEvents(row.prefix))[0]).toMatchObject({
      action: 'token.create',
      actorId: null,
      actorLabel: 'admin-cli',
    });
  });

  test('create-user with a generated password (printed once) and organizations; with --password-stdin', async () => {
    const a = await makeOrg();
    const b = await makeOrg();
    const email = `cli-${uid()}@example.test`;
    const r = await admin(['create-user', email, '--role', 'csp', '--org', a.slug, '--org', b.slug]);
    expect(r.code).toBe(0);
    const password = r.stdout.trim();
    expect(r.stdout).toBe(`${password}\n`);
    const u = await db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(u.role).toBe('csp');
    expect(u.memberships.map((m) => m.organizationId).sort()).toEqual([a.id, b.id].sort());
    expect(await verifyPassword(password, u.passwordHash)).toBe(true);
    expect((await auditEvents(email))[0]).toMatchObject({ action: 'user.create', actorLabel: 'admin-cli' });

    const email2 = `cli-${uid()}@example.test`;
    const r2 = await admin(['create-user', email2, '--role', 'reviewer', '--password-stdin'], 'chosen password 42\n');
    expect(r2).toMatchObject({ code: 0, stdout: '' });
    expect(
      await verifyPassword(
        'chosen password 42',
        (await db.user.findUniqueOrThrow({ where: { email: email2 } })).passwordHash,
      ),
    ).toBe(true);
  });

  test('failures exit 1 and usage errors exit 2, each with one line on stderr', async () => {
    const taken = (await makeUser('csp')).email;
    const cases: [string[], number][] = [
      [['create-token', `nobody-${uid()}@example.test`], 1],
      [['create-user', taken, '--role', 'csp'], 1],
      [['create-token'], 2],
      [['create-user', 'x@example.test'], 2],
      [['create-user', 'x@example.test', '--role', 'boss'], 2],
      [['create-token', 'x@example.test', '--days', 'soon'], 2],
      [['nonsense'], 2],
    ];
    const results = await Promise.all(cases.map(([args]) => admin(args)));
    results.forEach((r, i) => {
      const what = cases[i][0].join(' ');
      expect(r.code, what).toBe(cases[i][1]);
      expect(r.stdout, what).toBe('');
      expect(r.stderr, what).toMatch(/^admin: [^\n]+\n$/);
    });
    expect(results[0].stderr).toMatch(/no user with email/);
  });
});
