// Attachments after the upload: listed as records of `attachments` (through the incident's
// relationship or a filter), downloaded and deleted through api/rest/Attachment as ISM does.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Simulator } from '../../src/simulator/index.js';
import { READONLY_KEY, SEED, call, enc, start } from './helpers.js';

const SEEDED = '6C1D4E8A2F3B4C5D9E0F1A2B3C4D5E6F';
const UNKNOWN = 'ABCDEF0123456789ABCDEF0123456789';

async function raw(sim: Simulator, method: string, query: string, key = 'KEY-ADMIN') {
  const res = await fetch(`${sim.url}/api/rest/Attachment?${query}`, { method, headers: { Authorization: `rest_api_key=${key}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

t.test('the seed attaches a sign-in log to incident 10006', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.match(sim.store.findAttachmentByRecId(SEEDED), { FileName: 'sign-in-log.csv', ContentType: 'text/csv', ParentLink_RecID: SEED.incident10006, CreatedBy: 'dwhitfield' });
  t.match(sim.store.attachmentContent(SEEDED)!.toString('utf8'), /^time,user,ip,country,result\r\n/);
});

t.test('a record\'s attachments: through IncidentContainsAttachment or a filter on ParentLink_RecID', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const bytes = randomBytes(1234);
  const added = sim.store.createAttachment(SEED.incident10001, 'dump.bin', bytes, { user: 'jdoe' });
  sim.store.createAttachment(SEED.incident10001, 'notes.txt', 'hello', { contentType: 'text/plain' });
  const related = await call(sim, 'GET', `incidents('${SEED.incident10001}')/IncidentContainsAttachment`);
  t.equal(related.status, 200);
  const rows = related.json().value;
  t.same(rows.map((r: { ATTACHNAME: string }) => r.ATTACHNAME).sort(), ['dump.bin', 'notes.txt']);
  t.match(rows.find((r: { RecId: string }) => r.RecId === added.RecId), {
    ATTACHNAME: 'dump.bin', ATTACHSIZE: 1234, ATTACHEXT: 'bin', ParentLink_RecID: SEED.incident10001, ParentLink_Category: 'Incident', CreatedBy: 'jdoe',
    CreatedDateTime: added.CreatedDateTime,
  });
  const filtered = await call(sim, 'GET', `attachments?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10001}'`)}`);
  t.same(filtered.json().value.map((r: { RecId: string }) => r.RecId).sort(), rows.map((r: { RecId: string }) => r.RecId).sort());
  t.equal((await call(sim, 'GET', `attachments('${added.RecId}')`)).json().ATTACHNAME, 'dump.bin');
  t.match(await call(sim, 'GET', `${sim.url}/api/odata/attachments/$metadata`), { status: 200, text: /<Property Name="ATTACHNAME" Type="Edm.String"\/>/ });

  // No rows, in ISM's encodings: a string for a relationship, an empty body for a filter.
  t.equal((await call(sim, 'GET', `incidents('${SEED.incident10002}')/IncidentContainsAttachment`)).text, '{"value":"No instances found."}');
  const none = await call(sim, 'GET', `attachments?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10002}'`)}`);
  t.same([none.status, none.text], [200, '']);

  t.equal((await call(sim, 'POST', 'attachments', { body: { ATTACHNAME: 'x' } })).status, 405, 'files are not written as records');
  t.equal((await call(sim, 'DELETE', `attachments('${added.RecId}')`)).status, 405);
  const link = await call(sim, 'PATCH', `incidents('${SEED.incident10002}')/IncidentContainsAttachment('${added.RecId}')/$Ref`);
  t.equal(link.status, 400);
  t.match(link.json().message, [/through api\/rest\/Attachment/]);
  t.equal(sim.store.findAttachmentByRecId(added.RecId)?.ParentLink_RecID, SEED.incident10001);
});

t.test('download: the bytes, the content type, and the name in content-disposition', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const bytes = Buffer.concat([randomBytes(300_000), Buffer.from([0, 0xff, 0x0d, 0x0a])]);
  const file = sim.store.createAttachment(SEED.incident10001, 'Résumé "final" 证据.bin', bytes, { contentType: 'application/x-custom' });
  const r = await raw(sim, 'GET', `ID=${file.RecId}`);
  t.equal(r.status, 200);
  t.ok(r.bytes.equals(bytes), 'byte for byte');
  t.equal(r.headers.get('content-type'), 'application/x-custom');
  t.equal(r.headers.get('content-disposition'), `attachment; filename="R_sum_ _final_ __.bin"; filename*=UTF-8''${encodeURIComponent('Résumé "final" 证据.bin')}`);
  const seeded = await raw(sim, 'GET', `id=${SEEDED.toLowerCase()}`);
  t.equal(seeded.status, 200, 'the parameter and the ID in any case');
  t.equal(seeded.headers.get('content-type'), 'text/csv');
  const plain = sim.store.createAttachment(SEED.incident10001, 'plain', 'x');
  t.equal((await raw(sim, 'GET', `ID=${plain.RecId}`)).headers.get('content-type'), 'application/octet-stream');

  const unknown = await raw(sim, 'GET', `ID=${UNKNOWN}`);
  t.equal(unknown.status, 400);
  t.same(JSON.parse(unknown.bytes.toString()), { code: 'ISM_4000', description: 'Invalid Request Payload', message: [`Attachment for the object "${UNKNOWN}" not found`], help: '' });
  t.match(JSON.parse((await raw(sim, 'GET', '')).bytes.toString()).message, ["The query parameter 'ID' is required."]);
  t.equal((await raw(sim, 'GET', `ID=${SEEDED}`, 'wrong')).status, 401);
});

t.test('delete: 204, also for an ID that does not exist; the role is checked', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const ro = await raw(sim, 'DELETE', `ID=${SEEDED}`, READONLY_KEY);
  t.equal(ro.status, 400);
  t.match(JSON.parse(ro.bytes.toString()).message, ['Role SelfService does not have rights to delete object Attachment.']);
  const gone = await raw(sim, 'DELETE', `ID=${SEEDED}`);
  t.same([gone.status, gone.bytes.length], [204, 0]);
  t.equal(sim.store.findAttachmentByRecId(SEEDED), undefined);
  t.equal((await raw(sim, 'GET', `ID=${SEEDED}`)).status, 400, 'no longer downloadable');
  t.equal((await call(sim, 'GET', `attachments('${SEEDED}')`)).status, 400, 'no longer a record');
  t.equal((await raw(sim, 'DELETE', `ID=${SEEDED}`)).status, 204, 'again: 204');
  t.equal((await raw(sim, 'DELETE', `ID=${UNKNOWN}`)).status, 204, 'unknown: 204');
  const applied = sim.journal.entries().filter((e) => e.method === 'DELETE' && e.set === 'attachment').map((e) => [e.status, e.applied]);
  t.same(applied, [[400, false], [204, true], [204, false], [204, false]]);
});

t.test('deleting the incident deletes its files; a reset brings the seed\'s back', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  t.ok(sim.store.deleteRecord('incidents', SEED.incident10006));
  t.equal(sim.store.findAttachmentByRecId(SEEDED), undefined);
  t.equal((await call(sim, 'GET', `attachments?$filter=${enc(`ParentLink_RecID eq '${SEED.incident10006}'`)}`)).text, '');
  sim.store.reset();
  t.ok(sim.store.findAttachmentByRecId(SEEDED));
  t.equal((await call(sim, 'GET', `attachments('${SEEDED}')`)).json().ATTACHNAME, 'sign-in-log.csv');
});
