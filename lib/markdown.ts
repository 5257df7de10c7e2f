/**
 * Text from users (cloud and organization names) inside a Markdown document, e.g. a table cell of
 * the compliance export: every character Markdown or its inline HTML would act on is backslash-
 * escaped, so a name renders as the text it is. No `](javascript:…)` link and no raw HTML can be
 * formed from it, and a `|` does not end the cell; line breaks become spaces.
 */
export function markdownText(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/[\\`*_{}[\]()<>#+!|~&"'=:-]/g, (c) => `\\${c}`)
    .trim();
}
