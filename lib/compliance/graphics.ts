// Badges and QR codes of the public status page (pure; QR through the `qrcode` library).

import QRCode from 'qrcode';
import { look } from './presentation';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Approximate width of Verdana 11px text, as shields-style badges do. */
function textWidth(s: string): number {
  return Math.round([...s].reduce((w, ch) => w + (/[A-Z0-9*]/.test(ch) ? 7.5 : /[il.: ]/.test(ch) ? 3.5 : 6.2), 0)) + 10;
}

export function badgeSvg(status: string, opts: { label?: string; certified?: boolean } = {}): string {
  const l = look(status);
  const left = opts.label ?? 'SCS key manager';
  const right = `${l.label}${opts.certified ? ' · certified' : ''}`;
  const lw = textWidth(left), rw = textWidth(right), w = lw + rw;
  const title = `${left}: ${right}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title>`
    + `<rect width="${lw}" height="20" fill="#374151"/><rect x="${lw}" width="${rw}" height="20" fill="${l.fill}"/>`
    + `<g font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`
    + `<text x="${lw / 2}" y="14" fill="#ffffff">${esc(left)}</text><text x="${lw + rw / 2}" y="14" fill="${l.ink}">${esc(right)}</text></g></svg>`;
}

export async function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export async function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
}
