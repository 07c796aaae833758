import { escapeHtml, html, trusted } from './html';

describe('the html template tag', () => {
  it('escapes every interpolated text: markup from the data shows as text', () => {
    const title = '<script>alert("x")</script> & \'y\'';
    expect(html`<h1>${title}</h1>`.text).toBe('<h1>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</h1>');
  });

  it('escapes quotes so a value cannot leave its attribute', () => {
    expect(html`<a href="${'" onmouseover="alert(1)'}">x</a>`.text).toBe('<a href="&quot; onmouseover=&quot;alert(1)">x</a>');
  });

  it('keeps nested templates and trusted constants as markup, joins lists and drops null, undefined and false', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${0}${trusted('<br>')}`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0<br>');
  });

  it('escapes text without special characters to itself, and the same text the same way twice in a row', () => {
    expect(escapeHtml('Sammanträdesprotokoll § 24')).toBe('Sammanträdesprotokoll § 24');
    expect(escapeHtml('<a>')).toBe('&lt;a&gt;');
    expect(escapeHtml('<a>')).toBe('&lt;a&gt;');
  });
});
