// Issue 16 item 3: a reviewer previews evidence files in place. PDFs are drawn by pdf.js inside a
// sandboxed frame (lib/attestations/pdf-viewer.ts): page 1 is on the canvas and in the text layer,
// the pages can be turned and the preview opened and closed by keyboard; JavaScript in a PDF never
// runs; content that is not a PDF is never handed to the viewer as one; a CSP user of another
// organization gets 404 for the preview as for the download. Plus the image and text previews.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, type APIRequestContext, type Browser, type Frame, type Page } from '@playwright/test';
import { adminCli, api, base, dbQuery, makeWorld, signIn, uid, type World } from './support/setup';
import { axe } from './support/axe';
import { samplePdf, samplePng, sampleStatement } from '../tests/fixtures/attestation-files';

let world: World;
const reviewer = { email: '', password: '' };
let attestationId = '';
const fileIds: Record<string, string> = {};
// Every request that reaches this server came from a script in a PDF (a form submit, a launched URL).
let canary: http.Server;
const canaryHits: string[] = [];
let canaryUrl = '';

async function uploadFile(request: APIRequestContext, name: string, buffer: Buffer, mimeType: string): Promise<string> {
  const res = await request.fetch(`${base()}/api/v1/attestations/${attestationId}/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${world.csp.token}` },
    multipart: { file: { name, mimeType, buffer } },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id as string;
}

test.beforeAll(async ({ request }) => {
  world = await makeWorld(request);
  reviewer.email = `reviewer-${uid()}@e2e.example`;
  reviewer.password = `pw-${uid()}-${uid()}`;
  adminCli(['create-user', reviewer.email, '--role', 'reviewer', '--password-stdin'], reviewer.password);
  canary = http.createServer((req, res) => {
    canaryHits.push(`${req.method} ${req.url}`);
    res.end('seen');
  });
  await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
  canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;

  const started = await api(request, world.csp.token, 'POST', `/api/v1/clouds/${world.cloudA}/attestations`, {
    statement: sampleStatement,
  });
  expect(started.status(), await started.text()).toBe(201);
  attestationId = (await started.json()).id;
  fileIds.policy = await uploadFile(
    request,
    'hsm-policy.pdf',
    samplePdf('HSM policy of the key manager', { pages: 3 }),
    'application/pdf',
  );
  const script = [
    'app.alert("pdf script ran");',
    `this.submitForm("${canaryUrl}/submit");`,
    `app.launchURL("${canaryUrl}/launch", true);`,
    'this.getURL && this.getURL("' + canaryUrl + '/get");',
  ].join(' ');
  fileIds.scripted = await uploadFile(
    request,
    'scripted.pdf',
    samplePdf('Scripted evidence', { script }),
    'application/pdf',
  );
  fileIds.rack = await uploadFile(request, 'hsm-rack.png', samplePng(64, 32), 'image/png');
  fileIds.notes = await uploadFile(
    request,
    'notes.txt',
    Buffer.from('<b>not bold</b> key ceremony notes\n'),
    'text/plain',
  );
  // A record that claims to be a PDF over bytes that are not one (as if stored before the content
  // checks, or changed in the table): the same blob as a text file, typed application/pdf.
  const [disguised] = await dbQuery<{ id: string }>(
    `INSERT INTO "AttestationFile" (id, "attestationId", sha256, name, mime, size, "uploadedByLabel")
     SELECT gen_random_uuid(), "attestationId", sha256, 'disguised.pdf', 'application/pdf', size, 'e2e'
       FROM "AttestationFile" WHERE id = $1 RETURNING id`,
    [fileIds.notes],
  );
  fileIds.disguised = disguised.id;
  const submitted = await api(request, world.csp.token, 'POST', `/api/v1/attestations/${attestationId}/submit`, {
    confirm: true,
    signerName: 'Ada Lovelace',
  });
  expect(submitted.status(), await submitted.text()).toBe(200);
});

test.afterAll(async () => {
  await new Promise((resolve) => canary?.close(resolve));
});

async function reviewerPage(browser: Browser): Promise<Page> {
  // axe-core is injected as a script, which the page's Content-Security-Policy would forbid.
  const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(page, reviewer.email, reviewer.password);
  await page.goto(`/attestations/${attestationId}/review`);
  return page;
}

const preview = (page: Page, name: string) => page.getByTestId('evidence-preview').filter({ hasText: name });

/** The sandboxed viewer frame inside a preview, once it said what it drew. */
async function viewerFrame(page: Page, name: string): Promise<Frame> {
  await expect(preview(page, name).getByTestId('pdf-preview')).toHaveAttribute('data-state', 'shown');
  const handle = await preview(page, name).locator('iframe').elementHandle();
  return (await handle!.contentFrame())!;
}

/** Dark pixels on the frame's canvas: the page's words were drawn, not just an empty sheet. */
async function inkOnCanvas(frame: Frame): Promise<number> {
  return frame.locator('.sheet canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 128) n++;
    return n;
  });
}

test('a reviewer sees page 1 of a PDF drawn in place, turns pages and opens and closes it by keyboard', async ({
  browser,
}, testInfo) => {
  const page = await reviewerPage(browser);
  const policy = preview(page, 'hsm-policy.pdf');
  const summary = policy.locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const frame = await viewerFrame(page, 'hsm-policy.pdf');
  await expect(policy.getByTestId('pdf-page')).toHaveText('Page 1 of 3');
  await expect(frame.locator('.textLayer')).toHaveText('HSM policy of the key manager, page 1');
  expect(await inkOnCanvas(frame)).toBeGreaterThan(200);
  // The frame is sandboxed: an opaque origin, without the app's cookies.
  expect(
    await frame.evaluate(() => {
      try {
        return [self.origin, document.cookie];
      } catch (e) {
        return [self.origin, (e as Error).name];
      }
    }),
  ).toEqual(['null', 'SecurityError']);
  await expect(policy.locator('iframe')).toHaveAttribute('sandbox', 'allow-scripts');
  await expect(policy.getByRole('button', { name: 'Previous page' })).toBeDisabled();

  // Turning pages with the keyboard.
  await policy.getByRole('button', { name: 'Next page' }).focus();
  await page.keyboard.press('Enter');
  await expect(policy.getByTestId('pdf-page')).toHaveText('Page 2 of 3');
  await expect(frame.locator('.textLayer')).toHaveText('HSM policy of the key manager, page 2');
  await expect(policy.locator('iframe')).toHaveAttribute('title', 'hsm-policy.pdf, page 2 of 3');

  // Page 2 is drawn to the width at 1280 and at 390 px, and no page scrolls sideways.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await expect(frame.locator('.textLayer')).toHaveText(/page 2$/);
    await expect
      .poll(async () => {
        const [frameWidth, sheetWidth] = await Promise.all([
          policy.locator('iframe').evaluate((f) => f.clientWidth),
          frame.locator('.sheet').evaluate((s) => s.getBoundingClientRect().width),
        ]);
        return Math.abs(frameWidth - sheetWidth) <= 2;
      })
      .toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    await policy.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`pdf-preview-${width}.png`) });
    await axe(page, `review page with a PDF preview at ${width} px`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Escape closes it, from the page's controls and from inside the frame; the focus returns to its summary.
  await policy.getByRole('button', { name: 'Previous page' }).focus();
  await page.keyboard.press('Escape');
  await expect(policy.getByTestId('pdf-preview')).toHaveCount(0);
  await expect(summary).toBeFocused();
  await page.keyboard.press('Enter');
  const again = await viewerFrame(page, 'hsm-policy.pdf');
  await expect(policy.getByTestId('pdf-page')).toHaveText('Page 1 of 3');
  await again.locator('body').press('Escape');
  await expect(policy.getByTestId('pdf-preview')).toHaveCount(0);
  await expect(summary).toBeFocused();
});

test('JavaScript in a PDF never runs: no dialog, no request, no navigation', async ({ browser }) => {
  const page = await reviewerPage(browser);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const popups: string[] = [];
  page.context().on('page', (p) => popups.push(p.url()));
  const scripted = preview(page, 'scripted.pdf');
  await scripted.locator('summary').click();
  const frame = await viewerFrame(page, 'scripted.pdf');
  await expect(frame.locator('.textLayer')).toHaveText('Scripted evidence');
  // The link whose action is the script lies over the text: clicking it does nothing either.
  await frame.locator('.textLayer span').first().click();
  await page.waitForTimeout(1000);
  expect(dialogs).toEqual([]);
  expect(popups).toEqual([]);
  expect(canaryHits).toEqual([]);
  expect(frame.url()).toBe(`${base()}/viewer/pdf`);
  expect(page.url()).toBe(`${base()}/attestations/${attestationId}/review`);
});

test('bytes that are not a PDF are not previewed as one', async ({ browser }) => {
  const page = await reviewerPage(browser);
  // The stored record says PDF, the content is text: the route sniffs it and refuses; no frame is made.
  const disguised = preview(page, 'disguised.pdf');
  await disguised.locator('summary').click();
  await expect(disguised.getByTestId('pdf-preview')).toHaveAttribute('data-state', 'error');
  await expect(disguised.getByRole('alert')).toContainText('Its content is not a PDF, so it is not shown as one.');
  await expect(disguised.locator('iframe')).toHaveCount(0);
  const refused = await page.request.get(
    `${base()}/api/v1/attestations/${attestationId}/files/${fileIds.disguised}?inline=1`,
  );
  expect(refused.status()).toBe(415);
  expect((await refused.json()).error.code).toBe('not_previewable');
  // A plain download still works (as an attachment, with the type the record states and nosniff).
  const download = await page.request.get(`${base()}/api/v1/attestations/${attestationId}/files/${fileIds.disguised}`);
  expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
  expect(download.headers()['x-content-type-options']).toBe('nosniff');

  // The viewer itself does not hand bytes without the PDF signature to pdf.js either.
  const answer = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        const f = document.createElement('iframe');
        f.sandbox.add('allow-scripts');
        f.src = '/viewer/pdf';
        window.addEventListener('message', (e) => {
          if (e.source !== f.contentWindow) return;
          if (e.data.type === 'ready') {
            const html = new TextEncoder().encode('<html><script>parent.__ran = 1</script>%PDF-1.4').buffer;
            f.contentWindow!.postMessage({ type: 'open', bytes: html, page: 1 }, '*');
          } else resolve(e.data);
        });
        document.body.append(f);
      }),
  );
  expect(answer).toEqual({ type: 'error', code: 'not-pdf' });
  expect(await page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).toBeUndefined();
});

test('images and text are previewed from their sniffed type; the text is shown, not interpreted', async ({
  browser,
}) => {
  const page = await reviewerPage(browser);
  const rack = preview(page, 'hsm-rack.png');
  await rack.locator('summary').click();
  const img = rack.getByRole('img', { name: 'Evidence image hsm-rack.png' });
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(64);
  const inline = await page.request.get(
    `${base()}/api/v1/attestations/${attestationId}/files/${fileIds.rack}?inline=1`,
  );
  expect(inline.headers()['content-type']).toBe('image/png');
  expect(inline.headers()['content-disposition']).toMatch(/^inline;/);
  expect(inline.headers()['x-content-type-options']).toBe('nosniff');
  expect(inline.headers()['content-security-policy']).toBe("default-src 'none'; sandbox");
  const notes = preview(page, 'notes.txt');
  await notes.locator('summary').click();
  await expect(notes.getByTestId('text-preview')).toHaveText('<b>not bold</b> key ceremony notes');
  await expect(notes.locator('b')).toHaveCount(0);
  // A PDF asked for inline stays an attachment: the browser's own viewer never opens it.
  const pdf = await page.request.get(`${base()}/api/v1/attestations/${attestationId}/files/${fileIds.policy}?inline=1`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-disposition']).toMatch(/^attachment;/);
});

test('a CSP user of another organization cannot load the preview (404), nor can anyone signed out (401)', async ({
  browser,
  playwright,
}) => {
  const other = await (await browser.newContext()).newPage();
  await signIn(other, world.cspB.email, world.csp.password);
  expect((await other.goto(`/attestations/${attestationId}/review`))!.status()).toBe(404);
  for (const id of Object.values(fileIds)) {
    const res = await other.request.get(`${base()}/api/v1/attestations/${attestationId}/files/${id}?inline=1`);
    expect(res.status()).toBe(404);
    expect(await res.text()).not.toContain('HSM');
  }
  const anonymous = await playwright.request.newContext();
  expect(
    (await anonymous.get(`${base()}/api/v1/attestations/${attestationId}/files/${fileIds.policy}?inline=1`)).status(),
  ).toBe(401);
  // The viewer's document is public and empty: it holds no file, the page posts the bytes in.
  const viewer = await anonymous.get(`${base()}/viewer/pdf`);
  expect(viewer.status()).toBe(200);
  expect(viewer.headers()['content-security-policy']).toContain('sandbox allow-scripts');
  expect(viewer.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(viewer.headers()['x-frame-options']).toBe('SAMEORIGIN');
  expect(await viewer.text()).not.toContain('HSM');
  expect((await anonymous.get(`${base()}/viewer/pdf/..%2Fpackage.json`)).status()).toBe(404);
  await anonymous.dispose();
});
