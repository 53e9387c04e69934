import { ConnectionLostError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { ConnectionMutex } from './connection-mutex.js';

describe('ConnectionMutex', () => {
  it('hands the lock over first come, first served', async () => {
    const mutex = new ConnectionMutex();
    const order: number[] = [];
    await mutex.lock();
    const second = mutex.lock().then(() => order.push(2));
    const third = mutex.lock().then(() => order.push(3));
    await Promise.resolve();
    expect(order).toEqual([]);
    mutex.unlock();
    await second;
    expect(order).toEqual([2]);
    mutex.unlock();
    await third;
    expect(order).toEqual([2, 3]);
    mutex.unlock();
    expect(mutex.locked).toBe(false);
  });

  it('fails waiters when abandoned', async () => {
    const mutex = new ConnectionMutex();
    await mutex.lock();
    const waiting = mutex.lock();
    mutex.abandon();
    await expect(waiting).rejects.toBeInstanceOf(ConnectionLostError);
    expect(mutex.locked).toBe(false);
  });
});
