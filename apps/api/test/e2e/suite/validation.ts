import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, unique } from '../support/data.js';
import type { Http } from '../support/http.js';
import type { Json } from '../support/http.js';

async function departmentSnapshot(http: Http, department: string) {
  const reply = await http.get(`/employees?department=${encodeURIComponent(department)}&limit=100`);
  expect(reply.status).toBe(200);
  return reply.body.items;
}

/**
 * Sends a body over 1 MiB as a busy client does: headers and the first 64 KiB, a pause in which the server
 * answers, then the rest, reading nothing until everything is written (a client that reads only once it
 * has sent the request). With `chunked` the length is not announced. Gives the first write error, if any,
 * then the status and body read off the socket.
 */
async function sendOverLimit(base: string, chunked: boolean) {
  const body = Buffer.from(JSON.stringify({ name: 'x'.repeat(1_100_000) }));
  const piece = 64 * 1024;
  const url = new URL(base);
  const socket = connect({ host: url.hostname, port: Number(url.port) });
  socket.pause();
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  let error: string | undefined;
  const closed = new Promise((resolve) => socket.once('close', resolve));
  socket.on('error', (e: NodeJS.ErrnoException) => {
    error ??= e.code ?? e.message;
  });
  await new Promise((resolve) => socket.once('connect', resolve));
  const frame = (data: Buffer) =>
    chunked
      ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
      : data;
  const write = (data: Buffer) =>
    new Promise<void>((resolve) => {
      if (socket.destroyed) resolve();
      else socket.write(data, () => resolve());
    });
  const length = chunked ? 'transfer-encoding: chunked' : `content-length: ${body.length}`;
  await write(
    Buffer.from(`POST /employees HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${length}\r\n\r\n`),
  );
  await write(frame(body.subarray(0, piece)));
  await new Promise((resolve) => setTimeout(resolve, 200));
  for (let offset = piece; offset < body.length && !error; offset += piece) {
    await write(frame(body.subarray(offset, offset + piece)));
  }
  if (chunked) await write(Buffer.from('0\r\n\r\n'));
  const writeError = error;
  socket.resume();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  socket.destroy();
  const text = Buffer.concat(received).toString('utf8');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { writeError, status, body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

function expectValidation(reply: { status: number; body: Json; text: string }, field?: string) {
  expect(reply.status, reply.text).toBe(400);
  expect(reply.body.error.code).toBe('VALIDATION');
  expect(typeof reply.body.error.message).toBe('string');
  if (field !== undefined) {
    expect(reply.body.error.details, reply.text).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
  }
}

/** Bodies that must each be a 400 naming the field, on create. */
const BAD_FIELDS: Array<[string, Record<string, unknown>]> = [
  ['salary', { salary: '5' }],
  ['salary', { salary: 1.5 }],
  ['salary', { salary: -1 }],
  ['salary', { salary: 1_000_000_001 }],
  ['salary', { salary: null }],
  ['active', { active: 'true' }],
  ['active', { active: 1 }],
  ['name', { name: 5 }],
  ['name', { name: '' }],
  ['name', { name: 'n'.repeat(201) }],
  ['name', { name: 'nul\u0000inside' }],
  ['department', { department: '' }],
  ['department', { department: 'd'.repeat(101) }],
  ['department', { department: ['eng'] }],
  ['email', { email: 'not-an-email' }],
  ['email', { email: `${'a'.repeat(250)}@x.io` }],
  ['hiredAt', { hiredAt: 1_700_000_000_000 }],
  ['hiredAt', { hiredAt: '2023-02-29T00:00:00Z' }],
  ['hiredAt', { hiredAt: '2024-13-01T00:00:00Z' }],
  ['hiredAt', { hiredAt: '2024-01-01T25:00:00Z' }],
  ['hiredAt', { hiredAt: '2024-01-01' }],
  ['hiredAt', { hiredAt: '2024-01-01T00:00:00' }],
  ['hiredAt', { hiredAt: 'yesterday' }],
  ['hiredAt', { hiredAt: '2016-12-31T23:59:60Z' }],
  ['hiredAt', { hiredAt: '0999-12-31T23:59:59Z' }],
  ['role', { role: 'admin' }],
  ['id', { id: '01900000-0000-7000-8000-000000000000' }],
  ['version', { version: 7 }],
  ['createdAt', { createdAt: '2020-01-01T00:00:00Z' }],
  ['updatedAt', { updatedAt: '2020-01-01T00:00:00Z' }],
];

export function validationTests(ctx: GetContext): void {
  describe('bad input is a 4xx and changes nothing', () => {
    it('each wrong type, out-of-range value, unknown or server field is a 400 VALIDATION naming it', async () => {
      const { http } = ctx();
      const department = unique('dept');
      for (const [field, patch] of BAD_FIELDS) {
        const reply = await http.post('/employees', { ...newEmployee({ department }), ...patch });
        expectValidation(reply, field);
      }
      for (const missing of ['name', 'email', 'department', 'salary', 'hiredAt']) {
        const body: Record<string, unknown> = { ...newEmployee({ department }) };
        delete body[missing];
        expectValidation(await http.post('/employees', body), missing);
      }
      expect(await departmentSnapshot(http, department)).toEqual([]);
    });

    it('PATCH refuses the same values, server fields and unknown fields, and changes nothing', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      for (const [field, patch] of BAD_FIELDS) {
        expectValidation(await http.patch(`/employees/${created.id}`, patch), field);
      }
      expectValidation(await http.patch(`/employees/${created.id}`, [{ salary: 1 }]));
      expectValidation(await http.patch(`/employees/${created.id}`, 'salary'));
      const after = await http.get(`/employees/${created.id}`);
      expect(after.body).toEqual(created);
    });

    it('malformed JSON, an empty body, a non-object body are 400 VALIDATION', async () => {
      const { http } = ctx();
      const json = { 'content-type': 'application/json' };
      for (const raw of ['{"name":', '{name: "x"}', "{'a':1}", '{"a":1}}', 'nul', '\u0000']) {
        expectValidation(await http.request('POST', '/employees', { raw, headers: json }));
      }
      expectValidation(await http.request('POST', '/employees', { raw: '', headers: json }));
      expectValidation(
        await http.request('POST', '/employees', { raw: '{"__proto__":{"admin":true}}', headers: json }),
      );
      expectValidation(
        await http.request('POST', '/employees', {
          raw: '{"constructor":{"prototype":{"admin":true}}}',
          headers: json,
        }),
      );
      for (const body of [null, [], 42, 'text', true]) {
        expectValidation(await http.post('/employees', body));
      }
      // No body at all on a route that needs one.
      expectValidation(await http.request('POST', '/employees'));
    });

    it('a body nesting deeper than 32 levels is a 400 VALIDATION, refused before it is parsed', async () => {
      const { http } = ctx();
      const json = { 'content-type': 'application/json' };
      const department = unique('dept');
      const valid = JSON.stringify(newEmployee({ department }));
      // 200,000 levels: about 1 MB, under the limit; JSON.parse alone would block the loop for 100+ ms.
      const deepArrays = `${'['.repeat(200_000)}1${']'.repeat(200_000)}`;
      const deepObjects = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
      for (const [path, raw] of [
        ['/employees', valid.replace(/}$/, `,"name":${deepArrays}}`)],
        ['/employees', valid.replace(/}$/, `,"salary":${deepObjects}}`)],
        ['/employees/bulk', `[${valid.replace(/}$/, `,"department":${deepArrays}}`)}]`],
      ] as const) {
        const started = performance.now();
        const reply = await http.request('POST', path, { raw, headers: json });
        expectValidation(reply);
        expect(reply.body.error.message).toMatch(/deeper than 32 levels/);
        expect(performance.now() - started).toBeLessThan(1_000);
      }
      // 33 levels is refused the same way; 32 is parsed and then refused by the schema, naming the field.
      const nested = (depth: number) => `${'['.repeat(depth - 1)}1${']'.repeat(depth - 1)}`;
      const over = await http.request('POST', '/employees', {
        raw: valid.replace(/}$/, `,"name":${nested(33)}}`),
        headers: json,
      });
      expect(over.body.error.message).toMatch(/deeper than 32 levels/);
      const at = await http.request('POST', '/employees', {
        raw: valid.replace(/}$/, `,"name":${nested(32)}}`),
        headers: json,
      });
      expectValidation(at, 'name');
      // Brackets inside strings are text: a valid employee whose name is all brackets is created.
      const brackets = await http.post('/employees', {
        ...newEmployee({ department }),
        name: `${'['.repeat(60)}"\\${'{'.repeat(60)}`,
      });
      expect(brackets.status, brackets.text).toBe(201);
    });

    it('a body over 1 MiB is a 413 PAYLOAD_TOO_LARGE', async () => {
      const { http } = ctx();
      const department = unique('dept');
      const huge = { ...newEmployee({ department }), name: 'x'.repeat(1024 * 1024) };
      const reply = await http.post('/employees', huge);
      expect(reply.status).toBe(413);
      expect(reply.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const bulk = await http.post(
        '/employees/bulk',
        Array.from({ length: 1000 }, () => ({ ...newEmployee({ department }), name: 'n'.repeat(1100) })),
      );
      expect(bulk.status).toBe(413);
      expect(await departmentSnapshot(http, department)).toEqual([]);
    });

    it('a body over 1 MiB still arriving is read and answered 413, with or without a content-length', async () => {
      const { http } = ctx();
      for (const chunked of [false, true]) {
        const reply = await sendOverLimit(http.base, chunked);
        expect([chunked, reply.writeError, reply.status]).toEqual([chunked, undefined, 413]);
        expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      }
    });

    it('a body that is not JSON is a 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const { http } = ctx();
      const department = unique('dept');
      const body = JSON.stringify(newEmployee({ department }));
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
      ]) {
        const reply = await http.request('POST', '/employees', {
          raw: body,
          headers: { 'content-type': type },
        });
        expect([type, reply.status]).toEqual([type, 415]);
        expect(reply.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      }
      const created = (await http.post('/employees', newEmployee({ department }))).body;
      const patch = await http.request('PATCH', `/employees/${created.id}`, {
        raw: 'salary=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(patch.status).toBe(415);
      expect((await departmentSnapshot(http, department)).length).toBe(1);
    });

    it('unknown query parameters, bad values and injection attempts are 400, and the data stays intact', async () => {
      const { http } = ctx();
      const department = unique('dept');
      const seeded = [];
      for (let i = 0; i < 3; i++) {
        seeded.push(
          (await http.post('/employees', newEmployee({ department, salary: 1000 * (i + 1) }))).body,
        );
      }
      const bad = [
        'foo=1',
        'Department=x',
        'sort=name;drop%20table%20employees',
        'sort=name%3B%20DROP%20TABLE%20employees',
        'sort=id',
        'sort=email',
        'sort=NAME',
        'sort=--name',
        'sort=-',
        'sort=',
        'sort=name,salary',
        'sort=name&sort=salary',
        'minSalary[$gt]=0',
        'minSalary%5B%24gt%5D=0',
        'department[$ne]=x',
        'minSalary=abc',
        'minSalary=1e3',
        'minSalary=0x10',
        'minSalary=1.5',
        'minSalary=',
        'maxSalary=99999999999999999999',
        'active=yes',
        'active=1',
        'active=',
        'limit=0',
        'limit=101',
        'limit=-1',
        'limit=1.5',
        'limit=abc',
        'limit=1&limit=2',
        'cursor=',
        'cursor=not-a-cursor',
        'cursor=eyJzIjoibmFtZSJ9',
        'department=',
        `department=${'d'.repeat(101)}`,
        'department=a%00b',
        '__proto__=1',
        'constructor=1',
      ];
      for (const query of bad) {
        const reply = await http.get(`/employees?${query}`);
        expect([query, reply.status]).toEqual([query, 400]);
        expect(reply.body.error.code).toBe('VALIDATION');
      }
      for (const query of [
        `department=${encodeURIComponent("' OR 1=1 --")}`,
        `department=${encodeURIComponent("x'; DROP TABLE employees; --")}`,
        `department=${encodeURIComponent('{"$ne":null}')}`,
        `department=${encodeURIComponent('%')}`,
        `department=${encodeURIComponent('_')}`,
      ]) {
        const reply = await http.get(`/employees?${query}`);
        expect([query, reply.status]).toEqual([query, 200]);
        expect(reply.body.items).toEqual([]);
      }
      const after = await departmentSnapshot(http, department);
      expect(after).toEqual(seeded);
      expect((await http.get('/employees?limit=1')).status).toBe(200);
      expect((await http.get('/users?limit=1')).status).toBe(200);
    });

    it('routes without query parameters refuse unknown ones too', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      expectValidation(await http.get(`/employees/${created.id}?expand=all`), 'expand');
      expectValidation(
        await http.request('POST', '/employees?dryRun=true', { json: newEmployee() }),
        'dryRun',
      );
      expectValidation(await http.get('/health?verbose=1'), 'verbose');
    });
  });
}
