import { describe, expect, test } from 'vitest';
import { escapeHtml, html, raw, Html } from '@/lib/html';

describe('escapeHtml', () => {
  test('escapes the five characters that matter in text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });
  test('leaves other text alone, including non-ASCII', () => {
    expect(escapeHtml('PASS* — 2025-01-01 to 2025-01-31 (31 days) · Köln')).toBe(
      'PASS* — 2025-01-01 to 2025-01-31 (31 days) · Köln',
    );
  });
});

describe('html``', () => {
  test('escapes interpolated text', () => {
    expect(html`<p>${'<script>alert(1)</script>'}</p>`.value).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  test('an attribute value cannot be closed from inside, with either quote', () => {
    const evil = `x" onmouseover="alert(1)' onfocus='alert(2)`;
    const out = html`<span title="${evil}" data-x='${evil}'></span>`.value;
    expect(out).toBe(
      '<span title="x&quot; onmouseover=&quot;alert(1)&#39; onfocus=&#39;alert(2)" data-x=\'x&quot; onmouseover=&quot;alert(1)&#39; onfocus=&#39;alert(2)\'></span>',
    );
    expect(out).not.toMatch(/ on\w+="/);
  });

  test('ampersands are escaped once: entities in data show as typed', () => {
    expect(html`<td>${'R&D &amp; Co'}</td>`.value).toBe('<td>R&amp;D &amp;amp; Co</td>');
  });

  test('nested html`` and raw() fragments are not escaped again', () => {
    const inner = html`<b>${'a<b'}</b>`;
    expect(html`<p>${inner}${raw('<br>')}</p>`.value).toBe('<p><b>a&lt;b</b><br></p>');
  });

  test('arrays are joined without separator, each item escaped', () => {
    expect(html`<ul>${['<1>', html`<li>2</li>`, ['"3"']]}</ul>`.value).toBe(
      '<ul>&lt;1&gt;<li>2</li>&quot;3&quot;</ul>',
    );
  });

  test('null, undefined and booleans render nothing (conditional fragments); numbers and zero render', () => {
    const no = false;
    expect(html`[${null}${undefined}${no && html`<i>x</i>`}${true}${0}${1.5}]`.value).toBe('[01.5]');
  });

  test('a plain string looks like HTML but is escaped: only Html is trusted', () => {
    const looksLikeHtml = '<b>bold</b>';
    expect(html`${looksLikeHtml}`.value).toBe('&lt;b&gt;bold&lt;/b&gt;');
    expect(html`${raw(looksLikeHtml)}`).toBeInstanceOf(Html);
    expect(String(html`${raw(looksLikeHtml)}`)).toBe('<b>bold</b>');
  });

  test('text inside a textarea cannot end it early', () => {
    expect(html`<textarea>${'</textarea><img src=x>'}</textarea>`.value).toBe(
      '<textarea>&lt;/textarea&gt;&lt;img src=x&gt;</textarea>',
    );
  });
});
