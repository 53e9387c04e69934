import type { Driver } from '@berth/core';

/**
 * The same driver, claiming it cannot return written rows (`capabilities.returning` false): the core then
 * reads a row before it writes it, the update path berth took before `UPDATE … RETURNING` (or MySQL's one
 * packet), kept as the "before" side of the update A/B scripts.
 */
export function readThenWrite(driver: Driver): Driver {
  return new Proxy(driver, {
    get(target, property) {
      if (property === 'capabilities') return { ...target.capabilities, returning: false };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
