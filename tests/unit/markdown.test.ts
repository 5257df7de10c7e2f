import { describe, expect, test } from 'vitest';
import { markdownText } from '@/lib/markdown';

describe('markdownText: user text inside a Markdown document', () => {
  test('no link, image or raw HTML can be formed, and | does not end a table cell', () => {
    const out = markdownText('x](javascript:alert(1))<img src=x onerror=alert(1)>|![i](http://t/)');
    expect(out).not.toMatch(/(^|[^\\])\]\(/);
    expect(out).not.toMatch(/(^|[^\\])</);
    expect(out).not.toMatch(/(^|[^\\])\|/);
    expect(out).toBe(
      'x\\]\\(javascript\\:alert\\(1\\)\\)\\<img src\\=x onerror\\=alert\\(1\\)\\>\\|\\!\\[i\\]\\(http\\://t/\\)',
    );
  });

  test('line breaks and control characters become spaces; plain names stay readable', () => {
    expect(markdownText('Cloud one\nsecond line\r\n')).toBe('Cloud one second line');
    expect(markdownText('Acme Cloud 7')).toBe('Acme Cloud 7');
  });
});
