import { afterEach, describe, expect, it, vi } from 'vitest';
import '../errors/berth-error.js';
import { coreCopies, registerCoreCopy, unregisterCoreCopy, warnOnDuplicateCore } from './core-copies.js';

const OTHER = 'file:///app/node_modules/@berth/postgres/node_modules/@berth/core/dist/index.js';

describe('copies of core', () => {
  afterEach(() => {
    unregisterCoreCopy(OTHER);
    vi.restoreAllMocks();
  });

  it('knows this copy as soon as core is loaded, and does not warn for one copy', () => {
    expect(coreCopies()).toHaveLength(1);
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(warnOnDuplicateCore()).toBe(false);
    expect(emit).not.toHaveBeenCalled();
  });

  it('warns once, with a code, when a second copy is loaded', () => {
    const emit = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    registerCoreCopy(OTHER);
    expect(warnOnDuplicateCore()).toBe(true);
    expect(warnOnDuplicateCore()).toBe(false);
    expect(emit).toHaveBeenCalledTimes(1);
    const [message, options] = emit.mock.calls[0] as [string, { code: string }];
    expect(message).toContain('2 copies of @berth/core');
    expect(message).toContain(OTHER);
    expect(options.code).toBe('BERTH_DUPLICATE_CORE');
  });
});
