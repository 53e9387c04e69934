import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { type Browser, launch } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/routes/openapi-document.js';
import { startApp } from './document.js';

/** Debian's chromium package (CHROMIUM_PATH overrides): CI installs it; elsewhere the test says it is missing. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') {
  throw new Error(`the /docs browser test needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
}

describe.skipIf(!haveChromium)('GET /docs in a headless browser', { timeout: 120_000 }, () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    ({ app, close } = await startApp());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // No sandbox: CI runs as root, where Chromium refuses to start with one.
    browser = await launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('renders the document and shows every operation, with its described answers', async () => {
    const page = await browser.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    page.on('pageerror', (error) => failed.push(String(error)));
    await page.goto(`${base}/docs`, { waitUntil: 'networkidle0' });
    // Swagger UI fetches /openapi.json and renders one block per operation.
    const expected = Object.keys(OPERATIONS).length;
    // A string, evaluated in the page, where `document` exists (this package's TypeScript has no DOM library).
    await page.waitForFunction(`document.querySelectorAll('.opblock').length >= ${expected}`, {
      timeout: 60_000,
    });
    const shown = await page.$$eval('.opblock', (blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(shown.sort()).toEqual(Object.keys(OPERATIONS).sort());
    expect(await page.$('.errors-wrapper')).toBeNull();

    // Opening one operation shows its answers by their descriptions and the shared error schema.
    await page.click('#operations-employees-getEmployee .opblock-summary');
    await page.waitForSelector('#operations-employees-getEmployee .responses-table');
    const answers = await page.$eval(
      '#operations-employees-getEmployee .responses-table',
      (t) => t.textContent ?? '',
    );
    expect(answers).toContain('The employee, with its version as ETag');
    expect(answers).toContain('Nothing has this id (NOT_FOUND)');
    expect(answers).not.toContain('Default Response');
    expect(failed).toEqual([]);
  });
});
