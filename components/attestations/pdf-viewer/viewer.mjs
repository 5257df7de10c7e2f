// The PDF preview's document: runs inside <iframe sandbox="allow-scripts"> (an opaque origin: no
// cookies, no storage, no access to the app's pages) under its own Content-Security-Policy (scripts
// only from this site, no network for anything else: lib/attestations/pdf-viewer.ts). The page
// posts the file's bytes; pdf.js (bundled with the app, never fetched from elsewhere) draws one
// page onto a canvas with its text layer above it, so the words can be read by screen readers,
// selected and found. Evaluated code is off (isEvalSupported: false), and the PDF's own scripts,
// forms and links are never run: pdf.js's display layer only draws, and no annotation layer exists.
import { getDocument, GlobalWorkerOptions, TextLayer } from './pdf.mjs';

const PDF_MAGIC = '%PDF-';
const MAX_WIDTH = 900;

// An opaque origin cannot start a worker from this site's URL, and Chromium refuses module workers
// from its blob: URLs; a classic blob: worker that imports the bundled worker script works (the
// script is served to any origin, it holds no data).
const workerUrl = new URL('./pdf.worker.mjs', import.meta.url).href;
const workerBlob = new Blob([`import(${JSON.stringify(workerUrl)});`], { type: 'text/javascript' });
const worker = new Worker(URL.createObjectURL(workerBlob));
// pdf.js talks to a given worker at once; the imported script says "ready" when it listens.
const workerReady = new Promise((resolve, reject) => {
  worker.addEventListener('message', resolve, { once: true });
  worker.addEventListener('error', reject, { once: true });
}).then(() => {
  GlobalWorkerOptions.workerPort = worker;
});

const view = document.getElementById('page');
let pdf = null;
let shown = 0;
let drawing = Promise.resolve();

/** Messages go to the embedding page only (our own origin), never to whoever else might listen. */
function tell(message) {
  window.parent.postMessage(message, window.location.origin);
}

function isPdf(bytes) {
  return bytes.length >= PDF_MAGIC.length && String.fromCharCode(...bytes.subarray(0, PDF_MAGIC.length)) === PDF_MAGIC;
}

async function open(bytes, page) {
  // The server sniffed the content already; a file that does not start like a PDF is not handed to pdf.js.
  if (!isPdf(bytes)) return tell({ type: 'error', code: 'not-pdf' });
  try {
    await workerReady;
    pdf = await getDocument({
      data: bytes,
      isEvalSupported: false,
      enableXfa: false,
      disableAutoFetch: true,
      disableStream: true,
      stopAtErrors: false,
    }).promise;
  } catch (err) {
    return tell({ type: 'error', code: err?.name === 'PasswordException' ? 'password' : 'broken' });
  }
  await show(page);
}

async function draw(number) {
  const page = await pdf.getPage(number);
  const width = Math.min(document.documentElement.clientWidth, MAX_WIDTH);
  const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  canvas.setAttribute('aria-hidden', 'true');
  const text = document.createElement('div');
  text.className = 'textLayer';
  const sheet = document.createElement('div');
  sheet.className = 'sheet';
  sheet.style.setProperty('--total-scale-factor', String(viewport.scale));
  sheet.style.width = canvas.style.width;
  sheet.style.height = canvas.style.height;
  sheet.append(canvas, text);
  await page.render({ canvas, viewport, transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] }).promise;
  await new TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  view.replaceChildren(sheet);
  shown = number;
  tell({ type: 'shown', page: number, pages: pdf.numPages, height: Math.ceil(viewport.height) });
}

function show(number) {
  if (!pdf || !Number.isInteger(number) || number < 1 || number > pdf.numPages) return drawing;
  drawing = drawing.then(() => draw(number)).catch(() => tell({ type: 'error', code: 'broken' }));
  return drawing;
}

window.addEventListener('message', (event) => {
  if (event.source !== window.parent || event.origin !== window.location.origin) return;
  const m = event.data;
  if (m?.type === 'open' && m.bytes instanceof ArrayBuffer && !pdf) open(new Uint8Array(m.bytes), m.page ?? 1);
  else if (m?.type === 'page') show(m.page);
});

// Escape closes the preview also while the focus is in here (the page cannot see these keys).
window.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') tell({ type: 'escape' });
});

let resizing;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => shown && show(shown), 150);
});

tell({ type: 'ready' });
