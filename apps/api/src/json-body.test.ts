import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-body.js';

const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, a top-level value being depth 1', () => {
    expect(nestsDeeperThan('1', 0)).toBe(false);
    expect(nestsDeeperThan('"text"', 0)).toBe(false);
    expect(nestsDeeperThan('{}', 0)).toBe(true);
    expect(nestsDeeperThan('{}', 1)).toBe(false);
    expect(nestsDeeperThan('[{"a":[1]}]', 3)).toBe(false);
    expect(nestsDeeperThan('[{"a":[1]}]', 2)).toBe(true);
    // Siblings do not add up: depth is the deepest path, not the number of brackets.
    expect(nestsDeeperThan('[[1],[2],{"a":[3]},[[]]]', 3)).toBe(false);
    expect(nestsDeeperThan('[[1],[2],{"a":[3]},[[]]]', 2)).toBe(true);
  });

  it('accepts nesting exactly at the limit and refuses one level more', () => {
    expect(nestsDeeperThan(arrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(arrays(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(objects(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(objects(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    const bulk = JSON.stringify([{ name: 'a', tags: [[1]] }]);
    expect(nestsDeeperThan(bulk, 4)).toBe(false);
    expect(nestsDeeperThan(bulk, 3)).toBe(true);
  });

  it('ignores brackets inside strings, in values and in keys', () => {
    expect(nestsDeeperThan(JSON.stringify({ name: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ '[[[[': ']]]]{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify(['}}}]]]', '[[[{{{']), 1)).toBe(false);
  });

  it('honours escapes: an escaped quote does not end a string, an escaped backslash does not escape', () => {
    // {"a":"x\"[[[["} : the string runs to the last quote, so the brackets are inside it.
    expect(nestsDeeperThan(JSON.stringify({ a: 'x"[[[[' }), 1)).toBe(false);
    // {"a":"x\\"} then [[ outside: the string ends after the escaped backslash.
    const text = `{"a":"x\\\\","b":[[1]]}`;
    expect(JSON.parse(text)).toEqual({ a: 'x\\', b: [[1]] });
    expect(nestsDeeperThan(text, 3)).toBe(false);
    expect(nestsDeeperThan(text, 2)).toBe(true);
    // Unicode escapes and characters outside the BMP are plain string content.
    expect(nestsDeeperThan(JSON.stringify({ a: '\u005b😀\\u005b', b: ['é'] }), 2)).toBe(false);
  });

  it('stops early on a deep body, and leaves malformed text to JSON.parse', () => {
    expect(nestsDeeperThan(arrays(200_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(`{"name":${objects(200_000)}}`, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(']]]]]}}}}{', 1)).toBe(false);
    expect(nestsDeeperThan('{"a":"unterminated [[[[', 1)).toBe(false);
  });

  it('scans a 1 MiB body in a few milliseconds', () => {
    const text = JSON.stringify({
      name: 'x'.repeat(512 * 1024),
      list: Array.from({ length: 50_000 }, () => [1]),
    });
    const started = performance.now();
    for (let i = 0; i < 5; i++) expect(nestsDeeperThan(text, MAX_JSON_DEPTH)).toBe(false);
    expect((performance.now() - started) / 5).toBeLessThan(25);
  });
});
