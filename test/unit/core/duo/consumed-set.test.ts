import { describe, expect, it } from 'vitest';
import { createConsumedSet } from '../../../../main/core/duo/consumed-set';

describe('consumed set', () => {
  it('remembers a value until it expires', () => {
    let now = 1000;
    const set = createConsumedSet(() => now);
    set.add('AUTH|x|y', 2000);
    expect(set.has('AUTH|x|y')).toBe(true);
    expect(set.has('AUTH|x|z')).toBe(false);
    now = 2000;
    expect(set.has('AUTH|x|y')).toBe(false);
  });

  it('stays bounded, forgetting the oldest first', () => {
    const set = createConsumedSet(() => 0, 3);
    for (const value of ['a', 'b', 'c', 'd']) set.add(value, 10);
    expect(set.size).toBe(3);
    expect(set.has('a')).toBe(false);
    expect(set.has('d')).toBe(true);
  });

  it('keeps the later expiry when a value is added again with an earlier one', () => {
    let now = 0;
    const set = createConsumedSet(() => now);
    set.add('state', 2000);
    set.add('state', 500);
    now = 1000;
    expect(set.has('state')).toBe(true);
    now = 2000;
    expect(set.has('state')).toBe(false);
  });

  it('counts a value added again as the newest, so the bound forgets others first', () => {
    const set = createConsumedSet(() => 0, 2);
    set.add('a', 10);
    set.add('b', 10);
    set.add('a', 10);
    set.add('c', 10);
    expect(set.has('a')).toBe(true);
    expect(set.has('b')).toBe(false);
    expect(set.has('c')).toBe(true);
  });
});
