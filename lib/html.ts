// HTML as strings, for documents that ship no JavaScript: Next 16 forbids react-dom/server in route
// handlers, and the public status pages need nothing React would add. Escaping is the default:
// an interpolated value is escaped unless it is an Html fragment (made by html`` or raw()), so
// forgetting to escape takes a visible raw() call, like React's dangerouslySetInnerHTML.

/** A trusted HTML fragment: interpolated as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/**
 * What may be interpolated. Like JSX children, null, undefined and booleans render nothing, so
 * `${cond && html`…`}` works; arrays are joined without separator, each item escaped on its own.
 */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Safe in text and in quoted attribute values (either quote). Not safe in unquoted attributes,
 * inside <script> or <style>, or as a URL's scheme: templates quote every attribute and build
 * URLs from our own paths.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/** Marks a string as trusted HTML (our own markup, or CSS read from our own files). */
export function raw(s: string): Html {
  return new Html(s);
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || typeof v === 'boolean') return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: the literal parts are trusted, every interpolated value is escaped (see HtmlValue). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}
