// Issue 12 item 15: the Markdown export passed `](javascript:...)` and raw HTML through from names.
import { describe, expect, test } from 'vitest';
import { app, call, uid } from './support';

describe('item 15: names are escaped in the Markdown export', () => {
  test('no javascript: link and no raw HTML can come from an organization or cloud name', async () => {
    const u = uid();
    const admin = app().admin.token;
    const evil = `x](javascript:alert(1))<img src=x onerror=alert(1)>`;
    const org = await call('/api/v1/organizations', {
      method: 'POST',
      token: admin,
      body: { slug: `md-org-${u}`, name: `${evil} org` },
    });
    expect(org.status, org.text).toBe(201);
    const cloud = await call('/api/v1/clouds', {
      method: 'POST',
      token: admin,
      body: {
        slug: `md-cloud-${u}`,
        name: `${evil} cloud`,
        organization: `md-org-${u}`,
        region: 'RegionOne',
        public: false,
        description: '',
      },
    });
    expect(cloud.status, cloud.text).toBe(201);
    const md = await call('/api/v1/compliance?format=markdown', { token: admin });
    expect(md.status).toBe(200);
    const row = md.text.split('\n').find((l) => l.includes(`md-cloud-${u}`));
    expect(row, md.text).toBeDefined();
    expect(row).not.toMatch(/(^|[^\\])\]\(javascript/);
    expect(row).not.toMatch(/(^|[^\\])<img/);
    expect(row).toContain(`](/clouds/md-cloud-${u})`);
  });
});
