/**
 * Add Attachment end to end: files of several sizes through the runtime's HTTP server and ISM's
 * multipart attachment endpoint, the bytes stored compared with the bytes sent; ISM's per-file
 * refusals (HTTP 300) as clear errors; what is refused before anything reaches ISM.
 */
import { createHash, randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { RO_KEY, SEED, shape, startStack, type StepAnswer } from './helpers.js';

const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

function failed(t: Test, r: StepAnswer, cause: RegExp): void {
  t.equal(r.status, 400, 'a plugin error: 400');
  t.equal(r.body.status, 'error');
  t.notOk('output' in r.body, 'no output');
  t.match(r.body.exception.cause, cause);
}

t.test('add_attachment', async (t) => {
  // Room for a 5 MB file in base64 inside the start message.
  const stack = await startStack({ bodyLimit: 32 * MiB });
  t.teardown(() => stack.close());
  const { sim } = stack;

  const attach = (incident_number: number, filename: string, content: string, connection = stack.connection()) =>
    stack.run('add_attachment', { incident_number, attachment: { filename, content } }, connection);

  /** Attaches the bytes and checks what ISM stored against them. */
  async function roundTrip(t: Test, filename: string, bytes: Buffer): Promise<StepAnswer> {
    const r = await attach(10002, filename, bytes.toString('base64'));
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(r.body.status, 'ok');
    t.same(shape(r.entries), ['GET incidents', 'POST attachment'], 'one lookup, one upload');
    const lookup = r.entries[0]!;
    t.equal(lookup.query.$filter, 'IncidentNumber eq 10002');
    t.equal(lookup.query.$select, 'RecId,IncidentNumber', 'the lookup reads only the RecId');
    const post = r.entries[1]!;
    t.equal(post.path, '/HEAT/api/rest/Attachment');
    t.equal(post.status, 200);
    t.match(post.headers['content-type'], /^multipart\/form-data; boundary=/);
    t.same(post.body, {
      fields: { ObjectID: SEED.incident10002, ObjectType: 'incident#' },
      files: [{ fileName: filename, size: bytes.length, contentType: 'application/octet-stream' }],
    }, 'ObjectID is the RecId; one file part');

    const output = r.body.output;
    t.match(output.attachment_id, /^[0-9A-F]{32}$/);
    t.equal(output.filename, filename);
    const stored = sim.store.findAttachmentByRecId(output.attachment_id)!;
    t.match(stored, { FileName: filename, Size: bytes.length, ParentLink_RecID: SEED.incident10002 });
    t.equal(stored.Sha256, sha256(bytes), 'the bytes stored are the bytes sent (SHA-256)');
    t.ok(sim.store.attachmentContent(output.attachment_id)!.equals(bytes), 'byte for byte');
    return r;
  }

  t.test('a tiny text file', async (t) => {
    await roundTrip(t, 'evidence.txt', Buffer.from('Suspicious sign-in from 203.0.113.7\r\n'));
  });

  t.test('about 100 KB of binary', async (t) => {
    await roundTrip(t, 'capture.pcap', randomBytes(100 * 1024 + 7));
  });

  t.test('about 5 MB of binary', async (t) => {
    await roundTrip(t, 'memory-dump.bin', randomBytes(5 * 1000 * 1000 + 1));
  });

  t.test('an empty file, and a name with spaces and letters outside ASCII', async (t) => {
    await roundTrip(t, 'empty.log', Buffer.alloc(0));
    await roundTrip(t, 'Résumé – Zoë Müller (2026) 证据.pdf', randomBytes(300));
  });

  t.test('base64 wrapped over lines (as MIME writes it) is accepted', async (t) => {
    const bytes = randomBytes(3000);
    const wrapped = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
    const r = await attach(10001, 'wrapped.bin', wrapped);
    t.equal(r.status, 200, r.body.error ?? 'answered 200');
    t.equal(sim.store.findAttachmentByRecId(r.body.output.attachment_id)!.Sha256, sha256(bytes));
  });

  t.test('over attachment_size_limit: refused before anything reaches ISM', async (t) => {
    const limited = stack.connection({ attachment_size_limit: 1 });
    const before = sim.store.attachments().length;
    const over = await attach(10001, 'big.bin', randomBytes(MiB + 1).toString('base64'), limited);
    failed(t, over, /larger than the limit of 1 MiB; nothing was uploaded/);
    t.match(over.body.exception.cause, /attachment_size_limit/);
    t.same(over.entries, [], 'no lookup and no POST reached ISM');
    t.equal(sim.store.attachments().length, before);

    const atLimit = await attach(10001, 'exactly-1-MiB.bin', randomBytes(MiB).toString('base64'), limited);
    t.equal(atLimit.status, 200, 'exactly the limit is allowed');

    const defaultLimit = await attach(10001, 'over-20-MiB.bin', 'A'.repeat(Math.ceil((20 * MiB + 1) / 3) * 4));
    failed(t, defaultLimit, /larger than the limit of 20 MiB/);
    t.same(defaultLimit.entries, [], 'the default limit is 20 MiB');
  });

  t.test('a name already attached: HTTP 300 from ISM, a clear error naming the file', async (t) => {
    t.equal((await attach(10003, 'report.pdf', Buffer.from('first').toString('base64'))).status, 200);
    const count = sim.store.attachmentsFor('1D06FD699C46F90DC135D4F9D6DC8565').length;
    const r = await attach(10003, 'report.pdf', Buffer.from('second').toString('base64'));
    failed(t, r, /ISM refused the file report\.pdf: Upload Failed, A file with the name 'report\.pdf' is already attached to this object/);
    t.match(r.body.exception.assistance, /another name/);
    t.match(r.body.error, /report\.pdf/);
    t.equal(r.entries.at(-1)!.status, 300, 'ISM answered HTTP 300');
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1, 'not retried');
    t.equal(sim.store.attachmentsFor('1D06FD699C46F90DC135D4F9D6DC8565').length, count, 'nothing more stored');
    const stored = sim.store.attachmentsFor('1D06FD699C46F90DC135D4F9D6DC8565').find((a) => a.FileName === 'report.pdf')!;
    t.equal(stored.Size, 5, 'the first one is untouched');
  });

  t.test('a refused extension: a clear error saying the type is not allowed', async (t) => {
    for (const filename of ['setup.exe', 'script.PS1', 'macro.vbs']) {
      const r = await attach(10001, filename, Buffer.from('MZ').toString('base64'));
      failed(t, r, new RegExp(`ISM refused the file ${filename.replace('.', '\\.')}: Upload Failed.*not allowed`));
      t.match(r.body.exception.assistance, /type the tenant allows/);
      t.equal(r.entries.at(-1)!.status, 300);
    }
    t.notOk(sim.store.attachments().some((a) => /\.(exe|ps1|vbs)$/i.test(a.FileName)), 'none stored');
  });

  t.test('content that is not base64 is refused before any ISM call', async (t) => {
    for (const content of ['not base64!', 'YWJj=', 'YW Jj ZA', 'Y===', '====', 'YWJjZA==YWJj', '-_-_', 'aGVsbG8']) {
      const r = await attach(10001, 'x.txt', content);
      failed(t, r, /'attachment\.content' is not valid base64/);
      t.same(r.entries, [], JSON.stringify(content));
    }
  });

  t.test('a path-like name, or one with CR, LF, quotes or other control characters, is refused before any ISM call', async (t) => {
    const names = ['../../etc/passwd', 'dir/file.txt', 'C:\\Users\\x\\file.txt', '..', '.', 'a\r\nContent-Type: text/html.txt', 'line\nbreak.txt', 'tab\there.txt', 'nul\u0000.txt', 'quote".txt', '', '   ', 'x'.repeat(256)];
    for (const filename of names) {
      const r = await attach(10001, filename, 'aGVsbG8=');
      t.equal(r.status, 400, JSON.stringify(filename));
      t.match(r.body.exception.cause, /'attachment\.filename'/);
      t.same(r.entries, [], 'nothing reached ISM');
    }
    t.notOk(sim.store.attachments().some((a) => /[\r\n"/\\]/.test(a.FileName)));
  });

  t.test('an unknown incident number: not found, naming it, and no upload', async (t) => {
    const r = await attach(424242, 'x.txt', 'aGVsbG8=');
    failed(t, r, /No incident has the number 424242/);
    t.same(shape(r.entries), ['GET incidents'], 'the lookup only');
  });

  t.test("a read-only key: ISM's role error; nothing stored", async (t) => {
    const before = sim.store.attachments().length;
    const r = await attach(10001, 'ro.txt', 'aGVsbG8=', stack.connection({ credentials: { secretKey: RO_KEY } }));
    failed(t, r, /Role SelfService does not have rights to create object Attachment/);
    t.match(r.body.exception.assistance, /role/i);
    t.same(shape(r.entries), ['GET incidents', 'POST attachment']);
    t.equal(r.entries[1]!.status, 400);
    t.equal(sim.store.attachments().length, before);
  });

  t.test('an upload is never repeated blindly: a 503 on the POST is an error, not a retry', async (t) => {
    sim.faults.script({ method: 'POST', set: 'attachment', fault: { kind: 'status', status: 503 } });
    const r = await attach(10001, 'once.txt', 'aGVsbG8=');
    failed(t, r, /503/);
    t.equal(r.entries.filter((e) => e.method === 'POST').length, 1);
    t.notOk(sim.store.attachments().some((a) => a.FileName === 'once.txt'));
    t.equal((await attach(10001, 'once.txt', 'aGVsbG8=')).status, 200, 'running the step again works');
  });

  t.test("a body over ISM's own limit: 413 from ISM, a clear error", async (t) => {
    const small = await startStack({ bodyLimit: 32 * MiB, sim: { attachments: { maxBodyBytes: 64 * 1024 } } });
    t.teardown(() => small.close());
    const r = await small.run('add_attachment', { incident_number: 10001, attachment: { filename: 'big.bin', content: randomBytes(100 * 1024).toString('base64') } });
    failed(t, r, /ISM refused the upload of big\.bin \(102400 bytes\) as too large \(413\); nothing was attached/);
    t.match(r.body.exception.assistance, /attachment_size_limit/);
    t.notOk(small.sim.store.attachments().some((a) => a.FileName === 'big.bin'), 'nothing stored');
  });
});
