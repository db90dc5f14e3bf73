// The attachment endpoint, POST {prefix}/api/rest/Attachment: multipart in, ISM's per-file results out.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import t from 'tap';
import { DEFAULT_ATTACHMENT_BODY_LIMIT, builtInSeed, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { ADMIN_KEY, READONLY_KEY, SEED, call, start as startWithSeed, type Reply } from './helpers.js';

/** A tenant without the built-in seed's attachments: every file here is one the test uploaded. */
const start = (options: SimulatorOptions = {}) => startWithSeed({ seed: { ...builtInSeed(), attachments: [] }, ...options });

interface FilePart {
  name?: string;
  fileName: string;
  data: Buffer | string;
  type?: string;
}

interface UploadOptions {
  objectId?: string | null;
  objectType?: string | null;
  files?: FilePart[];
  key?: string | null;
  path?: string;
  method?: string;
  /** Sent as is instead of a FormData body. */
  raw?: { body: Buffer | string; contentType?: string };
}

async function upload(sim: Simulator, options: UploadOptions = {}): Promise<Reply> {
  const path = options.path ?? '/HEAT/api/rest/Attachment';
  const headers: Record<string, string> = {};
  const key = options.key === undefined ? ADMIN_KEY : options.key;
  if (key !== null) headers.Authorization = `rest_api_key=${key}`;
  let body: FormData | Buffer | string | undefined;
  if (options.raw) {
    body = options.raw.body;
    if (options.raw.contentType) headers['Content-Type'] = options.raw.contentType;
  } else if (options.method !== 'GET') {
    const form = new FormData();
    const objectId = options.objectId === undefined ? SEED.incident10001 : options.objectId;
    const objectType = options.objectType === undefined ? 'incident#' : options.objectType;
    if (objectId !== null) form.append('ObjectID', objectId);
    if (objectType !== null) form.append('ObjectType', objectType);
    for (const f of options.files ?? [{ fileName: 'Invoice.png', data: 'png bytes' }]) {
      form.append(f.name ?? 'file', new Blob([f.data], f.type ? { type: f.type } : {}), f.fileName);
    }
    body = form;
  }
  const res = await fetch(`${sim.origin}${path}`, { method: options.method ?? 'POST', headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const REC_ID = /^[0-9A-F]{32}$/;

t.test('an upload answers 200 with one result per file, and the files are stored byte for byte', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const binary = Buffer.concat([randomBytes(70_000), Buffer.from('\r\n--\r\n'), randomBytes(10)]);
  const r = await upload(sim, {
    files: [
      { fileName: 'Invoice.png', data: binary, type: 'image/png' },
      { fileName: 'notes.txt', data: 'plain text\r\n' },
      { fileName: 'empty.log', data: '' },
    ],
  });
  t.equal(r.status, 200);
  t.match(r.headers.get('content-type'), /application\/json/);
  const results = r.json();
  t.same(results.map((x: { FileName: string; IsUploaded: boolean }) => [x.FileName, x.IsUploaded]), [['Invoice.png', true], ['notes.txt', true], ['empty.log', true]]);
  t.same(Object.keys(results[0]), ['FileName', 'IsUploaded', 'Message'], "ISM's shape");
  for (const x of results) t.match(x.Message, REC_ID, 'Message is the attachment RecId');

  const stored = sim.store.attachmentsFor(SEED.incident10001);
  t.equal(stored.length, 3);
  t.match(stored[0], { RecId: results[0].Message, FileName: 'Invoice.png', Size: binary.length, ContentType: 'image/png', Sha256: sha256(binary), ObjectType: 'incident#', ParentLink_RecID: SEED.incident10001, CreatedBy: 'admin' });
  t.match(stored[0]!.CreatedDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  t.ok(sim.store.attachmentContent(results[0].Message)?.equals(binary), 'the bytes stored are the bytes sent');
  t.equal(sim.store.attachmentContent(results[1].Message)?.toString(), 'plain text\r\n', 'a trailing CRLF of the content is kept');
  t.equal(sim.store.findAttachmentByRecId(results[2].Message)?.Size, 0);
  t.same(sim.store.attachmentsFor(SEED.incident10002), [], 'only on the incident named');
  t.equal(sim.store.attachments().length, 3);
});

t.test('both prefixes, any casing of the path, and only those enabled', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const [i, path] of ['/HEAT/api/rest/Attachment', '/api/rest/Attachment', '/heat/API/REST/attachment', '/api/rest/Attachment/'].entries()) {
    const r = await upload(sim, { path, files: [{ fileName: `file-${i}.txt`, data: 'x' }] });
    t.equal(r.status, 200, path);
  }
  t.equal((await upload(sim, { path: '/HEAT/api/rest/Attachments' })).status, 404);
  const only = await start({ prefix: '/HEAT' });
  t.teardown(() => only.close());
  const r = await upload(only, { path: '/api/rest/Attachment' });
  t.equal(r.status, 404);
  t.equal(r.json().code, 'ISM_4004');
});

t.test('a name already attached answers HTTP 300 ISM_3000 with the per-file list; the other files are stored', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.equal((await upload(sim, { files: [{ fileName: 'x.png', data: 'one' }] })).status, 200);
  const r = await upload(sim, { files: [{ fileName: 'X.PNG', data: 'two' }, { fileName: 'y.png', data: 'three' }] });
  t.equal(r.status, 300);
  const body = r.json();
  t.same(Object.keys(body), ['code', 'description', 'message']);
  t.equal(body.code, 'ISM_3000');
  t.equal(body.description, 'Validation Error');
  t.same(body.message[0], {
    FileName: 'X.PNG',
    IsUploaded: false,
    Message: "Upload Failed, A file with the name 'X.PNG' is already attached to this object. Please change the name.",
  });
  t.match(body.message[1], { FileName: 'y.png', IsUploaded: true, Message: REC_ID });
  t.same(sim.store.attachmentsFor(SEED.incident10001).map((a) => a.FileName), ['x.png', 'y.png']);
  t.equal(sim.journal.last()?.applied, true, 'a partly applied upload is journalled as applied');

  const twice = await upload(sim, { objectId: SEED.incident10002, files: [{ fileName: 'same.txt', data: 'a' }, { fileName: 'same.txt', data: 'b' }] });
  t.equal(twice.status, 300, 'the same name twice in one upload');
  t.same(twice.json().message.map((m: { IsUploaded: boolean }) => m.IsUploaded), [true, false]);
  t.equal((await upload(sim, { objectId: SEED.incident10002, files: [{ fileName: 'x.png', data: 'a' }] })).status, 200, 'the name is free on another incident');
});

t.test('blocked extensions are refused per file; the list is configurable', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const fileName of ['virus.exe', 'RUN.BAT', 'x.tar.ps1', 'sneaky.exe.', 'lib.DLL ']) {
    const r = await upload(sim, { files: [{ fileName, data: 'MZ' }] });
    t.equal(r.status, 300, fileName);
    const [result] = r.json().message;
    t.equal(result.FileName, fileName);
    t.equal(result.IsUploaded, false);
    t.match(result.Message, /^Upload Failed, .*file type '\.\w+' is not allowed/i);
  }
  for (const fileName of ['report.exe.txt', 'Makefile', 'photo.jpeg', '.bashrc']) {
    t.equal((await upload(sim, { files: [{ fileName, data: 'ok' }] })).status, 200, fileName);
  }
  t.equal(sim.store.attachments().length, 4);

  sim.store.blockedExtensions.add('png');
  t.equal((await upload(sim, { files: [{ fileName: 'p.png', data: 'x' }] })).status, 300, 'changed at run time');

  const custom = await start({ attachments: { blockedExtensions: ['.PNG', 'txt'] } });
  t.teardown(() => custom.close());
  t.equal((await upload(custom, { files: [{ fileName: 'a.png', data: 'x' }] })).status, 300);
  t.equal((await upload(custom, { files: [{ fileName: 'b.TXT', data: 'x' }] })).status, 300);
  t.equal((await upload(custom, { files: [{ fileName: 'c.exe', data: 'x' }] })).status, 200, 'only the listed ones');
  const open = await start({ attachments: { blockedExtensions: [] } });
  t.teardown(() => open.close());
  t.equal((await upload(open, { files: [{ fileName: 'd.exe', data: 'x' }] })).status, 200, 'an empty list allows all');
});

t.test('an unknown or malformed ObjectID answers 400 record not found; nothing is stored', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  for (const objectId of ['0123456789ABCDEF0123456789ABCDEF', 'not-a-recid', SEED.exampleUser]) {
    const r = await upload(sim, { objectId });
    t.equal(r.status, 400, objectId);
    t.same(r.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message: [`Record '${objectId}' cannot be found in the business object 'incident'`], help: '' });
  }
  const change = await upload(sim, { objectType: 'change#' });
  t.same(change.json().message, [`Record '${SEED.incident10001}' cannot be found in the business object 'change'`]);
  t.equal((await upload(sim, { objectId: SEED.incident10001.toLowerCase(), objectType: 'Incident#' })).status, 200, 'RecId and type in any casing');
  t.equal(sim.store.attachments().length, 1);
});

t.test('a form without its fields or files, or a body that is not multipart, answers 400', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const expect = async (r: Reply, message: RegExp, what: string) => {
    t.equal(r.status, 400, what);
    t.match(r.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message: [message] }, what);
  };
  await expect(await upload(sim, { objectId: null }), /'ObjectID' is required/, 'no ObjectID');
  await expect(await upload(sim, { objectId: '  ' }), /'ObjectID' is required/, 'blank ObjectID');
  await expect(await upload(sim, { objectType: null }), /'ObjectType' is required/, 'no ObjectType');
  await expect(await upload(sim, { files: [] }), /No file/, 'no file');
  await expect(await upload(sim, { raw: { body: '{"ObjectID":"x"}', contentType: 'application/json' } }), /not a valid multipart.*application\/json/, 'JSON');
  await expect(await upload(sim, { raw: { body: 'x', contentType: 'multipart/form-data' } }), /no boundary/, 'no boundary');
  await expect(await upload(sim, { raw: { body: '--b\r\ngarbage', contentType: 'multipart/form-data; boundary=b' } }), /not a valid multipart/, 'broken');
  await expect(await upload(sim, { raw: { body: '' } }), /no body/, 'empty body');
  t.equal(sim.store.attachments().length, 0);
});

t.test('authentication and roles: 401 without a key, the role error for a read-only key, 405 for other methods', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const none = await upload(sim, { key: null });
  t.equal(none.status, 401);
  t.equal(none.json().code, 'ISM_4001');
  t.equal((await upload(sim, { key: 'wrong' })).status, 401);
  const ro = await upload(sim, { key: READONLY_KEY });
  t.equal(ro.status, 400);
  t.same(ro.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message: ['Role SelfService does not have rights to create object Attachment.'], help: '' });
  const put = await upload(sim, { method: 'PUT' });
  t.equal(put.status, 405);
  t.equal(sim.store.attachments().length, 0);
});

t.test('the journal keeps the form fields and each file name and size, never the bytes', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const marker = 'SECRET-CONTENT-' + randomBytes(8).toString('hex');
  await upload(sim, { files: [{ fileName: 'a.txt', data: marker, type: 'text/plain' }, { fileName: 'b.bin', data: randomBytes(1234) }] });
  const entry = sim.journal.last()!;
  t.match(entry, { method: 'POST', path: '/HEAT/api/rest/Attachment', prefix: '/HEAT', set: 'attachment', status: 200, applied: true });
  t.same(entry.body, {
    fields: { ObjectID: SEED.incident10001, ObjectType: 'incident#' },
    files: [
      { fileName: 'a.txt', size: marker.length, contentType: 'text/plain' },
      { fileName: 'b.bin', size: 1234, contentType: 'application/octet-stream' },
    ],
  });
  t.notOk(JSON.stringify(sim.journal.entries()).includes(marker), 'no content in the journal');
  await upload(sim, { raw: { body: `--b\r\n${marker}`, contentType: 'multipart/form-data; boundary=b' } });
  t.match(sim.journal.last()!.body, { error: /./, size: marker.length + 5 });
  t.notOk(JSON.stringify(sim.journal.entries()).includes(marker), 'not even from a broken body');
});

t.test('faults apply as to every request', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  sim.faults.script({ method: 'POST', set: 'attachment', fault: { kind: 'status', status: 503 } });
  t.equal((await upload(sim, { files: [{ fileName: 'a.txt', data: 'x' }] })).status, 503);
  t.equal(sim.store.attachments().length, 0, 'a status fault applies nothing');
  t.equal(sim.journal.last()?.fault?.kind, 'status');

  sim.faults.script({ set: 'attachment', fault: { kind: 'reset-after' } });
  await t.rejects(upload(sim, { files: [{ fileName: 'b.txt', data: 'x' }] }), 'the connection is dropped');
  t.same(sim.store.attachments().map((a) => a.FileName), ['b.txt'], 'reset-after applied the upload');
  t.equal((await upload(sim, { files: [{ fileName: 'b.txt', data: 'x' }] })).status, 300, 'so a blind retry is a duplicate');

  sim.faults.script({ set: 'incidents', fault: { kind: 'status', status: 500 } });
  t.equal((await upload(sim, { files: [{ fileName: 'c.txt', data: 'x' }] })).status, 200, 'a rule for another set does not match');
  sim.faults.clear();
});

t.test('a body over the limit answers 413, whether its length is announced or not', async (t) => {
  t.ok(DEFAULT_ATTACHMENT_BODY_LIMIT >= 25 * 1024 * 1024, 'room for the plugin default of 20 MiB by default');
  const sim = await start({ attachments: { maxBodyBytes: 64 * 1024 } });
  t.teardown(() => sim.close());
  const small = await upload(sim, { files: [{ fileName: 'ok.bin', data: randomBytes(60 * 1024) }] });
  t.equal(small.status, 200, 'under the limit');
  const big = await upload(sim, { files: [{ fileName: 'big.bin', data: randomBytes(100 * 1024) }] });
  t.equal(big.status, 413);
  t.same(big.json(), { code: 'ISM_4000', description: 'Invalid Request Payload', message: ['Request body is too large'], help: '' });
  // Another casing of the path reaches the not-found handler; the same limit applies.
  const other = await upload(sim, { path: '/heat/api/rest/attachment', files: [{ fileName: 'big2.bin', data: randomBytes(100 * 1024) }] });
  t.equal(other.status, 413);
  // Chunked, without Content-Length.
  const form = new FormData();
  form.append('ObjectID', SEED.incident10001);
  form.append('ObjectType', 'incident#');
  form.append('file', new Blob([randomBytes(100 * 1024)]), 'chunked.bin');
  const encoded = new Response(form);
  const res = await fetch(`${sim.url}/api/rest/Attachment`, {
    method: 'POST',
    headers: { Authorization: `rest_api_key=${ADMIN_KEY}`, 'content-type': encoded.headers.get('content-type')! },
    body: encoded.body,
    duplex: 'half',
  } as RequestInit);
  t.equal(res.status, 413);
  await res.text();
  t.same(sim.store.attachments().map((a) => a.FileName), ['ok.bin']);
  t.equal((await call(sim, 'GET', 'incidents?$top=1')).status, 200, 'the other routes keep their own limit and work');

  // A client that announces 1 GiB and sends nothing is answered at once, not waited for.
  const raw = connect(sim.port, '127.0.0.1');
  t.teardown(() => void raw.destroy());
  let received = '';
  raw.on('data', (d: Buffer) => (received += d.toString('latin1')));
  raw.write(`POST /HEAT/api/rest/Attachment HTTP/1.1\r\nHost: x\r\nAuthorization: rest_api_key=${ADMIN_KEY}\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: ${2 ** 30}\r\n\r\n`);
  const deadline = Date.now() + 60_000;
  while (!received.includes('\r\n\r\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  t.match(received, /^HTTP\/1\.1 413 /);
});

t.test('attachments go with their incident; reset forgets them; the admin routes list them', async (t) => {
  const sim = await start({ admin: true });
  t.teardown(() => sim.close());
  const incident = sim.store.createIncident({ Subject: 's', Symptom: 'd', ProfileLink: SEED.exampleUser });
  const recId = String(incident.RecId);
  const made = sim.store.createAttachment(recId, 'in-process.txt', 'hello', { contentType: 'text/plain' });
  t.match(made, { FileName: 'in-process.txt', Size: 5, ParentLink_RecID: recId, Sha256: sha256('hello') });
  t.throws(() => sim.store.createAttachment(recId, 'IN-PROCESS.txt', 'again'), /already attached/);
  t.throws(() => sim.store.createAttachment('0123456789ABCDEF0123456789ABCDEF', 'a.txt', 'x'), /cannot be found/);
  t.equal((await upload(sim, { objectId: recId, files: [{ fileName: 'http.txt', data: 'x' }] })).status, 200);
  t.equal((await upload(sim, { objectId: SEED.incident10002, files: [{ fileName: 'other.txt', data: 'x' }] })).status, 200);

  const admin = (path: string) => call(sim, 'GET', path, { key: null });
  const listed = (await admin('/__sim/store/attachments')).json();
  t.same(listed.map((a: { FileName: string }) => a.FileName), ['in-process.txt', 'http.txt', 'other.txt']);
  t.notOk('data' in listed[0], 'metadata only');
  t.same((await admin(`/__sim/store/attachments?incident=${incident.IncidentNumber}`)).json().map((a: { FileName: string }) => a.FileName), ['in-process.txt', 'http.txt']);
  t.equal((await admin(`/__sim/store/attachments?incident=${SEED.incident10002}`)).json().length, 1);
  t.equal((await admin('/__sim/store/attachments?incident=99999')).status, 404);
  t.match((await admin(`/__sim/store/incidents/${incident.IncidentNumber}`)).json(), { attachments: [{ FileName: 'in-process.txt' }, { FileName: 'http.txt' }] });
  t.match((await admin('/__sim/store/counts')).json(), { attachments: 3 });

  t.equal((await call(sim, 'DELETE', `incidents('${recId}')`)).status, 204);
  t.same(sim.store.attachmentsFor(recId), [], 'deleted with the incident');
  t.same(sim.store.attachments().map((a) => a.FileName), ['other.txt'], "the other incident's stay");
  sim.store.reset();
  t.equal(sim.store.attachments().length, 0, 'reset forgets them');
});

t.test('the CLI sets the blocked extensions and the upload limit', async (t) => {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('src/simulator/cli.ts'), '--port', '0', '--api-key', ADMIN_KEY, '--blocked-extensions', '.png, TXT', '--attachment-limit', '4096'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  const deadline = Date.now() + 120_000;
  while (!out.includes('\n') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const url = out.trim();
  t.match(url, /^http:\/\/127\.0\.0\.1:\d+\/HEAT$/);
  const send = async (fileName: string, size: number) => {
    const form = new FormData();
    form.append('ObjectID', SEED.incident10001);
    form.append('ObjectType', 'incident#');
    form.append('file', new Blob([randomBytes(size)]), fileName);
    const res = await fetch(`${url}/api/rest/Attachment`, { method: 'POST', headers: { Authorization: `rest_api_key=${ADMIN_KEY}` }, body: form });
    await res.text();
    return res.status;
  };
  t.equal(await send('a.png', 10), 300, '.png refused');
  t.equal(await send('a.txt', 10), 300, 'TXT refused');
  t.equal(await send('a.exe', 10), 200, 'the defaults are replaced');
  t.equal(await send('big.bin', 8192), 413, 'over --attachment-limit');
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  t.equal(code, 0);
});
