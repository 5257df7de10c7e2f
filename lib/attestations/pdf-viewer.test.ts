import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { VIEWER_CSP, VIEWER_HTML, viewerAsset, viewerDocumentHeaders } from './pdf-viewer';
import { previewable } from './files';
import { samplePdf, samplePng } from '../../tests/fixtures/attestation-files';

const directives = () => new Map(VIEWER_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('the sandboxed PDF viewer', () => {
  it('has a policy with scripts from this site only, no eval, no network, a sandbox without same-origin', () => {
    const csp = directives();
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'self'"]);
    expect(csp.get('sandbox')).toEqual(['allow-scripts']);
    expect(VIEWER_CSP).not.toMatch(/unsafe|allow-same-origin|allow-popups|allow-top-navigation|allow-forms/);
    expect(viewerDocumentHeaders()['Content-Security-Policy']).toBe(VIEWER_CSP);
    expect(viewerDocumentHeaders()['X-Frame-Options']).toBe('SAMEORIGIN');
  });

  it('loads only its own script and style, and runs pdf.js without eval', () => {
    expect([...VIEWER_HTML.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual([
      '/viewer/pdf/viewer.css',
      '/viewer/pdf/viewer.mjs',
    ]);
    expect(VIEWER_HTML).not.toMatch(/<script>|<style|\sstyle=|\son\w+=/);
    const viewer = fs.readFileSync('components/attestations/pdf-viewer/viewer.mjs', 'utf8');
    expect(viewer).toContain('isEvalSupported: false');
  });

  it('serves its four files to any origin, with a validator, and nothing else', async () => {
    for (const name of ['viewer.mjs', 'viewer.css', 'pdf.mjs', 'pdf.worker.mjs']) {
      const a = (await viewerAsset(name, null))!;
      expect(a.status).toBe(200);
      expect(a.body!.length).toBeGreaterThan(100);
      expect(a.headers['Access-Control-Allow-Origin']).toBe('*');
      expect(a.headers['X-Content-Type-Options']).toBe('nosniff');
      expect(a.headers['Content-Type']).toMatch(name.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      const again = (await viewerAsset(name, a.headers.ETag))!;
      expect([again.status, again.body]).toEqual([304, null]);
    }
    for (const name of ['../package.json', 'pdf.mjs/../../x', 'constructor', '__proto__', 'pdf.sandbox.mjs', ''])
      expect(await viewerAsset(name, null)).toBeNull();
  });
});

describe('preview eligibility', () => {
  it('takes the content, sniffed again, not the stored type', async () => {
    expect(await previewable('application/pdf', samplePdf())).toBe(true);
    expect(await previewable('image/png', samplePng())).toBe(true);
    expect(await previewable('application/pdf', Buffer.from('<html><script>alert(1)</script>'))).toBe(false);
    expect(await previewable('application/pdf', samplePng())).toBe(false);
    expect(await previewable('image/png', samplePdf())).toBe(false);
    expect(await previewable('text/plain', Buffer.from('%PDF-1.4 but text'))).toBe(false);
  });
});

describe('the scripted sample PDF', () => {
  it('carries JavaScript where a scripting reader runs it (so the e2e test shows the preview does not)', async () => {
    const script = 'app.alert("ran (1)")';
    const doc = await getDocument({ data: new Uint8Array(samplePdf('Scripted', { script })), isEvalSupported: false })
      .promise;
    expect(await doc.getJSActions()).toEqual({ open: [script], OpenAction: [script] });
    expect(await (await doc.getPage(1)).getJSActions()).toEqual({ PageOpen: [script] });
    await doc.destroy();
  });
});
