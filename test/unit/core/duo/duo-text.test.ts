import { describe, expect, it } from 'vitest';
import { duoText, MAX_DUO_TEXT_LENGTH } from '../../../../main/core/duo/duo-text';

describe('duoText', () => {
  it('keeps ordinary text, including non-Latin scripts and emoji', () => {
    expect(duoText('The user cancelled the request. Größe 日本 😀')).toBe(
      'The user cancelled the request. Größe 日本 😀',
    );
  });

  it('replaces control, line-separator and bidi characters with a space', () => {
    expect(duoText('a\r\nb\u0000c\u007fd\u0085e\u2028f\u2029g\u202eh\u2066i\u200fj')).toBe(
      'a  b c d e f g h i j',
    );
  });

  it('replaces a lone surrogate and keeps a pair', () => {
    expect(duoText('a\ud800b\udc00c\ud83d\ude00')).toBe('a\ufffdb\ufffdc😀');
  });

  it('cuts to the limit in code points, never inside a pair', () => {
    expect([...duoText('😀'.repeat(500))]).toHaveLength(MAX_DUO_TEXT_LENGTH);
    expect(duoText('abcdef', 3)).toBe('abc');
    expect(duoText(undefined)).toBe('');
  });
});
