import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { checkFileName, contentDisposition, contentTypeFor, inspectFile, isInlineImage, isPlainText } from './files';
import { samplePdf, samplePng, sampleJpeg } from '../../tests/fixtures/attestation-files';

const limits = { maxBytes: 1024 * 1024 };

async function refusal(name: string, bytes: Uint8Array, l = limits): Promise<string> {
  try {
    await inspectFile(name, bytes, l);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).message;
  }
  throw new Error(`${name} was accepted`);
}

describe('evidence file checks (type from the content)', () => {
  it('accepts PDF, PNG, JPEG, plain text and Markdown, recording size and SHA-256', async () => {
    const pdf = await inspectFile('KEK policy.pdf', samplePdf(), limits);
    expect(pdf).toMatchObject({ name: 'KEK policy.pdf', mime: 'application/pdf' });
    expect(pdf.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await inspectFile('hsm.PNG', samplePng(), limits)).mime).toBe('image/png');
    expect((await inspectFile('rack.jpeg', sampleJpeg(), limits)).mime).toBe('image/jpeg');
    expect((await inspectFile('rack.jpg', sampleJpeg(), limits)).mime).toBe('image/jpeg');
    expect((await inspectFile('notes.txt', Buffer.from('Grüße, KEK in HSM\n'), limits)).mime).toBe('text/plain');
    expect((await inspectFile('README.md', Buffer.from('# Evidence\n<script>alert(1)</script>'), limits)).mime).toBe(
      'text/markdown',
    );
    expect((await inspectFile('Schlüssel.txt', Buffer.from('\ufeffBOM text'), limits)).name).toBe('Schlüssel.txt');
  });

  it('refuses an extension that lies about the content', async () => {
    expect(await refusal('evidence.pdf', samplePng())).toMatch(/named \.pdf, but its content is a PNG image/);
    expect(await refusal('photo.png', samplePdf())).toMatch(/named \.png, but its content is a PDF/);
    expect(await refusal('notes.txt', samplePdf())).toMatch(/content is a PDF/);
    expect(await refusal('scan.pdf', Buffer.from('just text'))).toMatch(/content is plain text/);
  });

  it('refuses other types even under an accepted name', async () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect(await refusal('image.png', gif)).toMatch(/content is GIF/);
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Array(40).fill(0)]);
    expect(await refusal('bundle.txt', zip)).toMatch(/not accepted|not PDF/);
    expect(await refusal('binary.txt', Buffer.from([0x41, 0x00, 0x42]))).toMatch(/not PDF, PNG, JPEG/);
    expect(await refusal('latin1.txt', Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]))).toMatch(/not valid UTF-8/);
  });

  it('refuses unknown and missing extensions', async () => {
    expect(await refusal('page.html', Buffer.from('<html></html>'))).toMatch(/\.html are not accepted/);
    expect(await refusal('evil.exe', Buffer.from('MZ'))).toMatch(/\.exe are not accepted/);
    expect(await refusal('README', Buffer.from('text'))).toMatch(/no extension/);
  });

  it('refuses an empty file', async () => {
    expect(await refusal('empty.pdf', new Uint8Array())).toMatch(/is empty/);
  });

  it('refuses a file over the limit', async () => {
    const big = Buffer.concat([samplePdf(), Buffer.alloc(2048, 0x20)]);
    expect(await refusal('big.pdf', big, { maxBytes: 1024 })).toMatch(/more than the limit of 1\.0 KiB/);
  });

  it('refuses path traversal and odd names', async () => {
    for (const n of ['../../etc/passwd.txt', '..\\boot.ini.txt', 'a/b.pdf', '..', '..%2fsecret.txt', 'C:\\x.txt']) {
      expect(await refusal(n, Buffer.from('x')), n).toMatch(/contains a path/);
    }
    expect(await refusal('bad\u0000name.txt', Buffer.from('x'))).toMatch(/control characters/);
    for (const c of ['\u202e', '\u202a', '\u2066', '\u2069', '\u200f', '\u061c'])
      expect(await refusal(`invoice${c}fdp.txt`, Buffer.from('x'))).toMatch(/bidirectional text controls/);
    expect(await refusal('<img src=x onerror=alert(1)>.txt', Buffer.from('x'))).toMatch(/< > :/);
    expect(await refusal('.hidden.txt', Buffer.from('x'))).toMatch(/start with a dot/);
    expect(await refusal(`${'a'.repeat(250)}.txt`, Buffer.from('x'))).toMatch(/longer than 200/);
    expect(await refusal('   ', Buffer.from('x'))).toMatch(/no name/);
    expect(checkFileName('  report v2..final.pdf ')).toBe('report v2..final.pdf');
  });

  it('text means valid UTF-8 without NUL bytes', () => {
    expect(isPlainText(Buffer.from('plain'))).toBe(true);
    expect(isPlainText(Buffer.from([0xe2, 0x82]))).toBe(false);
    expect(isPlainText(Buffer.from('a\u0000b'))).toBe(false);
  });
});

describe('download headers', () => {
  it('serve a safe content type', () => {
    expect(contentTypeFor('text/markdown')).toBe('text/markdown; charset=utf-8');
    expect(contentTypeFor('image/png')).toBe('image/png');
    expect(contentTypeFor('text/html')).toBe('application/octet-stream');
  });
  it('always as an attachment with a sanitized name', () => {
    const d = contentDisposition('Schlüssel "KEK"; x=1.pdf');
    expect(d).toMatch(
      /^attachment; filename="Schl_ssel _KEK__ x_1\.pdf"; filename\*=UTF-8''Schl%C3%BCssel%20%22KEK%22%3B%20x%3D1\.pdf$/,
    );
    expect(contentDisposition('\r\nSet-Cookie: a=b.txt')).not.toMatch(/[\r\n]/);
    expect(contentDisposition('rack.png', 'inline')).toMatch(/^inline; filename="rack.png"/);
    expect(isInlineImage('image/png') && isInlineImage('image/jpeg')).toBe(true);
    expect(isInlineImage('application/pdf') || isInlineImage('text/plain') || isInlineImage('image/svg+xml')).toBe(
      false,
    );
  });
});
