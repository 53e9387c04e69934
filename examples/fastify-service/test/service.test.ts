import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { connect } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Order, Product, buildService } from '../src/service.js';
import { databases } from '@berth/example-test-support';

const targets = await databases('berth_example_service');
const startTarget = (await databases('berth_example_service_main')).at(-1)!;

describe.each(targets)('the Fastify service on $backend', ({ url }) => {
  it('commits a request whole, and rolls a failed one back whole', async () => {
    const db = await connect(url, { entities: [Product, Order], importAdapter: (name) => import(name) });
    const app = buildService(db);
    try {
      await db.ensureSchema();
      const teapot = await db.repository(Product).insert({ name: 'teapot', stock: 3 });
      const order = (quantity: number, productId = teapot.id) =>
        app.inject({ method: 'POST', url: '/orders', payload: { productId, quantity } });

      const ok = await order(2);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ productId: teapot.id, quantity: 2 });

      // Only 1 left: the order row the handler wrote before it checked the stock is rolled back with it.
      const short = await order(2);
      expect(short.statusCode).toBe(409);
      expect(short.json()).toEqual({ error: 'only 1 teapot left' });
      expect(await db.repository(Order).count()).toBe(1);
      expect((await db.repository(Product).getById(teapot.id)).stock).toBe(1);

      // An unknown product is a 404, and nothing is written either.
      const unknown = await order(1, '00000000-0000-7000-8000-000000000000');
      expect(unknown.statusCode).toBe(404);
      expect(await db.repository(Order).count()).toBe(1);

      // Invalid input (quantity 0) is refused by the entity's own rule: a 400, nothing written.
      expect((await order(0)).statusCode).toBe(400);
      expect(await db.repository(Order).count()).toBe(1);

      const products = await app.inject({ method: 'GET', url: '/products' });
      expect(products.json()).toMatchObject([{ name: 'teapot', stock: 1, version: 2 }]);
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('pnpm start', () => {
  it(`serves on PORT with DATABASE_URL (${startTarget.backend}) and stops on SIGTERM`, async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn('pnpm', ['start'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, DATABASE_URL: startTarget.url, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const exited = once(child, 'exit');
    const killer = setTimeout(() => child.kill('SIGTERM'), 110_000);
    try {
      while (!output.includes('listening on')) {
        if (child.exitCode !== null) throw new Error(output);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const products = await fetch(`http://127.0.0.1:${port}/products`);
      expect(await products.json()).toMatchObject([{ name: 'teapot', stock: 3 }]);
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code, output).toBe(0);
    } finally {
      clearTimeout(killer);
      // SIGTERM, which pnpm passes on to the service (a SIGKILL would leave it running without its parent).
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  });
});
