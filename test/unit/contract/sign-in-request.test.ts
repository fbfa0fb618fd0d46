import { describe, expect, it } from 'vitest';
import { signInRequestSchema } from '../../../main/contract';
import { supportedLanguages } from '../../../main/contract/languages';

describe('signInRequestSchema locale', () => {
  it.each(supportedLanguages)('takes the UI language %s', (locale) => {
    expect(signInRequestSchema.parse({ username: 'a', password: 'b', locale })).toEqual({
      username: 'a',
      password: 'b',
      locale,
    });
  });

  it('is optional', () => {
    expect(signInRequestSchema.parse({ username: 'a', password: 'b' })).toEqual({
      username: 'a',
      password: 'b',
    });
  });

  it.each(['de-CH', 'klingon', '', 'en\r\nX-Injected: 1', 42])('refuses %j, naming the field', (locale) => {
    const result = signInRequestSchema.safeParse({ username: 'a', password: 'b', locale });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['locale']);
  });
});
