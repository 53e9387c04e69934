import { readdir, readFile, writeFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the start script, without type declarations.
import { API_DIR, ensureSourceBundle } from '../../scripts/source-bundle.mjs';

/** Every compiled module of a build, with its text. */
async function modules(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true })) {
    if (entry.endsWith('.mjs')) found.set(entry, await readFile(join(dir, entry), 'utf8'));
  }
  return found;
}

describe("the development start's compiled sources", { timeout: 120_000 }, () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  it('compiles once, reuses an up-to-date build, and recompiles when a source changed', async () => {
    const outDir = join(await mkdtemp(join(tmpdir(), 'berth-bundle-')), 'out');
    made.push(join(outDir, '..'));
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    const first = await ensureSourceBundle({ outDir, log });
    expect(first.built).toBe(true);
    expect(lines[0]).toContain('compiling the TypeScript sources (first start');
    expect(lines[1]).toMatch(/^compiled \d+ files in \d+\.\d s into /);
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8'));
    const inputs = Object.keys(manifest.inputs);
    // The service's sources and those of the workspace packages it uses, nothing from node_modules.
    expect(inputs).toContain('src/main.ts');
    expect(inputs.some((file) => file.startsWith('../../packages/core/src/'))).toBe(true);
    expect(inputs.some((file) => file.startsWith('../../packages/pglite/src/'))).toBe(true);
    expect(inputs.some((file) => file.includes('node_modules'))).toBe(false);
    expect(first.files).toBe(inputs.length);
    expect(first.url('main')).toMatch(/^file:\/\/.*\/out\/main\.mjs$/);

    const output = await modules(outDir);
    // One copy of the core, shared by the service and every adapter chunk.
    const withCore = [...output].filter(([, text]) => text.includes('function registerCoreCopy('));
    expect(withCore).toHaveLength(1);
    // Drivers and other npm packages stay imports resolved at run time, loaded only by the adapter in use.
    expect([...output.values()].some((text) => /from ["']fastify["']/.test(text))).toBe(true);
    expect([...output.values()].some((text) => text.includes('import("@electric-sql/pglite")'))).toBe(true);

    lines.length = 0;
    const again = await ensureSourceBundle({ outDir, log });
    expect(again).toMatchObject({ built: false, files: inputs.length });
    expect(lines).toEqual([]);

    // A source whose modification time differs from the recorded one is rebuilt.
    manifest.inputs['src/main.ts'][1] -= 1000;
    await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest));
    const rebuilt = await ensureSourceBundle({ outDir, log });
    expect(rebuilt.built).toBe(true);
    expect(lines[0]).toContain('recompiling the TypeScript sources (some changed');
  });

  it('fails with the file and line of a source it cannot compile, leaving no build behind', async () => {
    const apiDir = await mkdtemp(join(tmpdir(), 'berth-bundle-src-'));
    made.push(apiDir);
    await mkdir(join(apiDir, 'src'));
    await mkdir(join(apiDir, 'scripts'));
    await writeFile(join(apiDir, 'src', 'main.ts'), 'export const broken = ;\n');
    await writeFile(join(apiDir, 'scripts', 'start-lines.ts'), 'export const fine = 1;\n');
    const outDir = join(apiDir, 'out');
    await expect(ensureSourceBundle({ apiDir, outDir })).rejects.toThrow(/src\/main\.ts:1:\d+: ERROR/);
    await expect(readdir(outDir)).rejects.toThrow(/ENOENT/);
    expect(API_DIR).toMatch(/apps\/api\/$/);
  });
});
