/**
 * List, Download and Delete Attachment end to end through the runtime's HTTP server and the
 * simulator: files uploaded with Add Attachment come back byte for byte (text, binary, empty,
 * names outside ASCII, and a large file at the connection's limit); a larger one is refused; an
 * unknown attachment is an error, never a silent success; retries never do harm.
 */
import { randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { RECORDS, RO_KEY, SEED, startStack, type Json, type StepAnswer } from './helpers.js';

const MiB = 1024 * 1024;
const SEEDED = '6C1D4E8A2F3B4C5D9E0F1A2B3C4D5E6F';
const UNKNOWN = 'ABCDEF0123456789ABCDEF0123456789';

function ok(t: Test, r: StepAnswer): Json {
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  return r.body.output as Json;
}

function refused(t: Test, r: StepAnswer, pattern: RegExp): void {
  t.equal(r.status, 400, 'a plugin error: 400');
  t.equal(r.body.status, 'error');
  t.notOk('output' in r.body, 'no output');
  t.match(r.body.error, pattern);
}

const requests = (r: StepAnswer) => r.entries.map((e) => `${e.method} ${e.path.replace(/^.*\/api\/(odata\/businessobject\/)?/, '')}`);

t.test('files round-tripped: Add Attachment, List Attachments, Download Attachment', async (t) => {
  // Room for an 8 MiB file in base64 in the upload's start message.
  const stack = await startStack({ bodyLimit: 16 * MiB });
  t.teardown(() => stack.close());
  const files: Array<[string, Buffer]> = [
    ['evidence.txt', Buffer.from('Suspicious sign-in from 203.0.113.7\r\n')],
    ['capture.pcap', randomBytes(100 * 1024 + 7)],
    ['empty.log', Buffer.alloc(0)],
    ['Résumé – Zoë (2026) 证据.pdf', Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d])],
  ];
  const ids = new Map<string, string>();
  for (const [filename, bytes] of files) {
    const r = await stack.run('add_attachment', { incident_number: 10002, attachment: { filename, content: bytes.toString('base64') } });
    ids.set(filename, ok(t, r).attachment_id);
  }
  // A name Add Attachment refuses (quotes), as a user of ISM's own forms may give it.
  const quoted: [string, Buffer] = ['report "final"; v2.bin', randomBytes(500)];
  ids.set(quoted[0], stack.sim.store.createAttachment(SEED.incident10002, quoted[0], quoted[1]).RecId);
  files.push(quoted);

  const list = await stack.run('list_attachments', { object: 'Incident', record_id: SEED.incident10002 });
  const listed = ok(t, list);
  t.equal(listed.count, files.length);
  t.same(listed.attachments.map((a: Json) => a.filename).sort(), files.map(([name]) => name).sort(), 'every file');
  const order = listed.attachments.map((a: Json) => `${a.created} ${a.attachment_id}`);
  t.same(order, [...order].sort(), 'oldest first, then by ID');
  for (const [filename, bytes] of files) {
    t.match(listed.attachments.find((a: Json) => a.filename === filename), { attachment_id: ids.get(filename), size: bytes.length, created_by: 'admin', created: /^\d{4}-\d\d-\d\dT/ });
  }
  t.same(requests(list), [`GET attachments`], 'one page');
  t.equal(list.entries[0]!.query.$filter, `ParentLink_RecID eq '${SEED.incident10002}' `.trim());

  for (const [filename, bytes] of files) {
    const r = await stack.run('download_attachment', { attachment_id: ids.get(filename) });
    const output = ok(t, r);
    t.equal(output.filename, filename);
    t.equal(output.size, bytes.length);
    t.ok(Buffer.from(output.content, 'base64').equals(bytes), `${filename}: byte for byte`);
    t.equal(output.content_type, 'application/octet-stream');
    t.same(requests(r), [`GET rest/Attachment`], 'one request');
  }
  const seeded = ok(t, await stack.run('download_attachment', { attachment_id: SEEDED.toLowerCase() }));
  t.match(seeded, { filename: 'sign-in-log.csv', content_type: 'text/csv', size: 202 });
  t.ok(Buffer.from(seeded.content, 'base64').equals(stack.sim.store.attachmentContent(SEEDED)!));
});

t.test('a large file at the limit comes back whole; one byte more is refused', async (t) => {
  const stack = await startStack({ connection: { attachment_size_limit: 8 } });
  t.teardown(() => stack.close());
  const { sim } = stack;
  const atLimit = sim.store.createAttachment(SEED.incident10001, 'memory.dmp', randomBytes(8 * MiB));
  const over = sim.store.createAttachment(SEED.incident10001, 'memory-2.dmp', randomBytes(8 * MiB + 1));
  const r = await stack.run('download_attachment', { attachment_id: atLimit.RecId });
  const output = ok(t, r);
  t.equal(output.size, 8 * MiB);
  t.ok(Buffer.from(output.content, 'base64').equals(sim.store.attachmentContent(atLimit.RecId)!), 'byte for byte');
  const refusedDownload = await stack.run('download_attachment', { attachment_id: over.RecId });
  refused(t, refusedDownload, /Attachment [0-9A-F]{32} is larger than the limit of 8 MiB \(attachment_size_limit\); the download was stopped/);
  t.match(refusedDownload.body.exception.assistance, /Raise attachment_size_limit/);
  t.equal(refusedDownload.entries.length, 1, 'not retried');
  const list = ok(t, await stack.run('list_attachments', { object: 'Incident', record_id: SEED.incident10001 }));
  t.same(list.attachments.map((a: Json) => [a.filename, a.size]).sort(), [['memory-2.dmp', 8 * MiB + 1], ['memory.dmp', 8 * MiB]], 'listing is not limited');
});

t.test('list_attachments: records without files, unknown records and objects, many files', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const seeded = ok(t, await stack.run('list_attachments', { object: 'Incident', record_id: RECORDS.incident10006 }));
  t.same(seeded, {
    attachments: [{ attachment_id: SEEDED, filename: 'sign-in-log.csv', size: 202, created: '2026-11-10T07:10:00+00:00', created_by: 'dwhitfield', content_type: 'text/csv' }],
    count: 1,
  });

  for (const noRows of ['ism', 'empty-body', 'empty-array', 'string-value'] as const) {
    sim.behaviour.noRows = noRows;
    const none = await stack.run('list_attachments', { object: 'Problem', record_id: RECORDS.problem5001 });
    t.same(ok(t, none), { attachments: [], count: 0 }, `${noRows}: no files`);
    t.same(requests(none), ['GET attachments', `GET Problems('${RECORDS.problem5001}')`], 'the record read once to tell "no files" from "no record"');
  }
  sim.behaviour.noRows = 'ism';
  refused(t, await stack.run('list_attachments', { object: 'Incident', record_id: UNKNOWN }), /Incident has no record with the ID ABCDEF0123456789ABCDEF0123456789 given in 'record_id'/);
  refused(t, await stack.run('list_attachments', { object: 'Incidnet', record_id: SEED.incident10001 }), /ISM has no business object 'Incidnet'/);
  for (const object of ["Incident') or 1 eq 1 or ('", 'Incident/../x', ' Incident']) {
    const r = await stack.run('list_attachments', { object, record_id: SEED.incident10001 });
    refused(t, r, /'object' must be a business object name/);
    t.same(r.entries, [], 'nothing reached ISM');
  }
  const hostileId = await stack.run('list_attachments', { object: 'Incident', record_id: "' or ParentLink_RecID ne '" });
  refused(t, hostileId, /'record_id' must be an ISM record ID/);
  t.same(hostileId.entries, []);

  for (let i = 0; i < 230; i++) sim.store.createAttachment(SEED.incident10002, `file-${String(i).padStart(3, '0')}.txt`, `file ${i}`);
  const many = await stack.run('list_attachments', { object: 'Incident', record_id: SEED.incident10002 });
  const listed = ok(t, many);
  t.equal(listed.count, 230);
  t.equal(new Set(listed.attachments.map((a: Json) => a.attachment_id)).size, 230, 'each file once');
  t.ok(many.entries.length >= 3, 'read page by page');
});

t.test('download_attachment: unknown and hostile IDs, retries', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const unknown = await stack.run('download_attachment', { attachment_id: UNKNOWN });
  refused(t, unknown, /ISM has no attachment with the ID ABCDEF0123456789ABCDEF0123456789 given in 'attachment_id' \(ISM: Attachment for the object "ABCDEF0123456789ABCDEF0123456789" not found\); nothing was downloaded/);
  for (const attachment_id of [`${SEEDED}&ID=${UNKNOWN}`, '../Attachment', `${SEEDED} `.repeat(2)]) {
    const r = await stack.run('download_attachment', { attachment_id });
    refused(t, r, /'attachment_id' must be an ISM record ID/);
    t.same(r.entries, [], 'nothing reached ISM');
  }
  sim.faults.script([
    { method: 'GET', set: 'attachment', fault: { kind: 'status', status: 503 } },
    { method: 'GET', set: 'attachment', fault: { kind: 'reset-before' } },
  ]);
  const retried = await stack.run('download_attachment', { attachment_id: SEEDED });
  t.equal(ok(t, retried).filename, 'sign-in-log.csv');
  t.equal(retried.entries.length, 3, 'a read is retried');
});

t.test('delete_attachment: checked first, deleted once, confirmed gone', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const { sim } = stack;
  const r = await stack.run('delete_attachment', { attachment_id: SEEDED });
  t.same(ok(t, r), { success: true, filename: 'sign-in-log.csv' });
  t.same(requests(r), [`GET attachments('${SEEDED}')`, 'DELETE rest/Attachment', `GET attachments('${SEEDED}')`]);
  t.equal(sim.store.findAttachmentByRecId(SEEDED), undefined);

  const again = await stack.run('delete_attachment', { attachment_id: SEEDED });
  refused(t, again, /ISM has no attachment with the ID 6C1D4E8A2F3B4C5D9E0F1A2B3C4D5E6F given in 'attachment_id'; nothing was deleted/);
  t.same(again.entries.filter((e) => e.method === 'DELETE'), [], 'no DELETE for an attachment that is not there');

  const hostile = await stack.run('delete_attachment', { attachment_id: `${UNKNOWN}&ID=${SEEDED}` });
  refused(t, hostile, /'attachment_id' must be an ISM record ID/);
  t.same(hostile.entries, []);

  const file = sim.store.createAttachment(SEED.incident10001, 'report.pdf', randomBytes(64));
  const readOnly = await stack.run('delete_attachment', { attachment_id: file.RecId }, stack.connection({ credentials: { secretKey: RO_KEY } }));
  t.equal(readOnly.status, 400);
  t.match(readOnly.body.error, /SelfService/);
  t.ok(sim.store.findAttachmentByRecId(file.RecId), 'still there');

  // The answer to the DELETE is lost after ISM applied it: retried, and the retry finds nothing to delete.
  sim.faults.script({ method: 'DELETE', set: 'attachment', fault: { kind: 'reset-after' } });
  const lost = await stack.run('delete_attachment', { attachment_id: file.RecId });
  t.same(ok(t, lost), { success: true, filename: 'report.pdf' });
  t.same(lost.entries.filter((e) => e.method === 'DELETE').map((e) => e.applied), [true, false], 'deleted once; the retry changed nothing');
  t.equal(sim.store.findAttachmentByRecId(file.RecId), undefined);
});
