import zlib from 'node:zlib';

/**
 * Small, valid sample files for tests (unit, integration and Playwright): a real PNG, a real
 * PDF, a JPEG header and a complete statement. Never used by the application itself.
 */

/** A statement that answers every question and affirms every MUST clause. */
export const sampleStatement = {
  implementation: 'barbican',
  implementationVersion: '2024.1',
  secretStore: 'pkcs11',
  kekLocation: 'hsm',
  kekPlaintextOnHost: 'no',
  keysEncrypted: 'yes',
  kekStoredApart: 'yes',
  rbac: 'creator_mapped',
  protectionDescription:
    'The Master-KEK is generated in a PKCS#11 HSM and never leaves it; Barbican holds only a handle.',
  validFrom: '2026-10-01',
  contactName: 'Ops Team',
  contactEmail: 'ops@example.com',
};
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A width x height RGB PNG filled with one colour. */
export function samplePng(width = 4, height = 4, rgb: [number, number, number] = [11, 83, 148]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A PDF with a line of text on each page, with a correct cross-reference table. With `script`, the
 * PDF carries that JavaScript everywhere a reader would run it: as the document's open action, as
 * named document script, as the page's open action and as the action of a link over the text.
 */
export function samplePdf(text = 'Master-KEK evidence', opts: { pages?: number; script?: string } = {}): Buffer {
  // A PDF literal string: backslash, ( and ) escaped.
  const safe = (s: string) => s.replace(/[()\\]/g, '\\$&');
  const pages = opts.pages ?? 1;
  const js = opts.script === undefined ? '' : `<< /S /JavaScript /JS (${safe(opts.script)}) >>`;
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i * 2);
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R${js && ` /OpenAction ${js} /Names << /JavaScript << /Names [(open) ${js}] >> >>`} >>`,
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  for (let i = 0; i < pages; i++) {
    const stream = `BT /F1 18 Tf 72 720 Td (${safe(pages > 1 ? `${text}, page ${i + 1}` : text)}) Tj ET`;
    const actions =
      js && ` /AA << /O ${js} >> /Annots [<< /Type /Annot /Subtype /Link /Rect [72 700 400 740] /A ${js} >>]`;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${5 + i * 2} 0 R /Resources << /Font << /F1 3 0 R >> >>${actions} >>`,
      `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    );
  }
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The start of a JFIF JPEG (enough for type detection). */
export function sampleJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
      0x00,
    ]),
    Buffer.alloc(64, 0x11),
    Buffer.from([0xff, 0xd9]),
  ]);
}
