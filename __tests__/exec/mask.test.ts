import { describe, expect, it } from 'vitest';
import { createMasker } from '../../src/exec/mask.js';

describe('createMasker', () => {
  it('replaces every occurrence of each secret with ***', () => {
    const mask = createMasker(['hunter22', 'tok_abc']);
    expect(mask('pass=hunter22 token=tok_abc again hunter22')).toBe('pass=*** token=*** again ***');
  });

  it('masks a secret containing another one as a whole', () => {
    const mask = createMasker(['abcd', 'abcdefgh']);
    expect(mask('x abcdefgh y abcd')).toBe('x *** y ***');
  });

  it('ignores empty and very short secrets, which would mask ordinary text', () => {
    const mask = createMasker(['', 'a', 'abc']);
    expect(mask('a abc cab')).toBe('a abc cab');
  });

  it('treats regular-expression characters in secrets literally', () => {
    const mask = createMasker(['a.b*c+(d)', '$1\\x']);
    expect(mask('a.b*c+(d) axbbbc $1\\x')).toBe('*** axbbbc ***');
  });

  it('masks each line of a multi-line secret on its own, as output arrives line by line', () => {
    const key = '-----BEGIN KEY-----\r\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n-----END KEY-----';
    const mask = createMasker([key]);
    expect(mask(key)).toBe('***');
    expect(mask('line: MIIEvQIBADANBg')).toBe('line: ***');
    expect(mask('kqhkiG9w0BAQEF')).toBe('***');
  });

  it('returns text unchanged when there is nothing to mask', () => {
    expect(createMasker([])('plain $text')).toBe('plain $text');
  });
});

describe('createMasker().safeCut', () => {
  const mask = createMasker(['abcdefgh', 'wxyz']);

  it('cuts at the limit when no secret is near it, keeping back what may be the start of a secret', () => {
    expect(mask.safeCut('0123456789'.repeat(3), 20)).toBe(20);
    // The last 7 characters (longest secret − 1) could begin a secret whose end has not arrived.
    expect(mask.safeCut('0123456789', 10)).toBe(3);
  });

  it('moves the cut before a secret it would split', () => {
    const text = `0123abcdefgh${'.'.repeat(20)}`;
    for (let limit = 5; limit < 12; limit++) expect(mask.safeCut(text, limit)).toBe(4);
    expect(mask.safeCut(text, 12)).toBe(12);
  });

  it('cuts anywhere up to the limit when there are no secrets', () => {
    expect(createMasker([]).safeCut('0123456789', 4)).toBe(4);
    expect(createMasker([]).safeCut('012', 4)).toBe(3);
  });
});
