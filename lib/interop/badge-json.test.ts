import { describe, expect, it } from 'vitest';
import { LOOK } from '../compliance/presentation';
import { shieldsEndpoint } from './badge-json';

describe('shields.io endpoint badge', () => {
  it('has the endpoint schema, the status word and colour of lib/compliance, and says certified', () => {
    for (const status of Object.keys(LOOK)) {
      const e = shieldsEndpoint({ name: 'X', status, certified: false });
      expect(e.status).toBe(200);
      expect(e.body).toMatchObject({
        schemaVersion: 1,
        label: 'SCS key manager',
        message: LOOK[status as keyof typeof LOOK].label,
        color: LOOK[status as keyof typeof LOOK].fill.slice(1),
      });
      expect(String(e.body.color)).toMatch(/^[0-9a-f]{6}$/);
    }
    expect(shieldsEndpoint({ name: 'X', status: 'PASS', certified: true }).body.message).toBe(
      `${LOOK.PASS.label} · certified`,
    );
  });

  it('a cloud that is not publicly listed is a 404 error badge, cached briefly', () => {
    const e = shieldsEndpoint(null);
    expect([e.status, e.body.isError, e.body.message, e.headers['Cache-Control']]).toEqual([
      404,
      true,
      'not found',
      'public, max-age=60',
    ]);
  });
});
