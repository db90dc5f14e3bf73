/**
 * Download Attachment against tenants the simulator does not imitate: one that streams a file
 * without end (and without a length) is cut off at attachment_size_limit, never buffered whole;
 * one that says the size up front is refused before the body is read; one that sends no
 * content-disposition name has the name read from the attachment's record. And the names a
 * content-disposition header can carry.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { dispositionFilename } from '../../src/ivanti/attachments.js';
import { startStack } from './helpers.js';

const MiB = 1024 * 1024;
const ID = '0123456789ABCDEF0123456789ABCDEF';

interface FakeTenant {
  url: string;
  /** Bytes written to download answers, and whether the client closed each of them. */
  downloads: Array<{ written: number; closed: boolean }>;
  close(): Promise<void>;
}

async function fakeTenant(answer: (res: ServerResponse, download: { written: number; closed: boolean }) => void, record?: object): Promise<FakeTenant> {
  const downloads: FakeTenant['downloads'] = [];
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/api/rest/Attachment')) {
      const download = { written: 0, closed: false };
      downloads.push(download);
      res.once('close', () => (download.closed = true));
      answer(res, download);
      return;
    }
    if (record && req.url?.startsWith(`/api/odata/businessobject/attachments('${ID}')`)) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(record));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"ISM_4004","message":["Invalid Path"]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    downloads,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Writes 64 KiB chunks for as long as the client reads them. */
function endless(res: ServerResponse, download: { written: number; closed: boolean }): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="huge.bin"' });
  const chunk = Buffer.alloc(64 * 1024, 0x41);
  const write = (): void => {
    while (!download.closed) {
      download.written += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', write);
        return;
      }
    }
  };
  write();
}

t.test('a file streamed without end is cut off at the limit', async (t) => {
  const stack = await startStack();
  const tenant = await fakeTenant(endless);
  t.teardown(async () => {
    await stack.close();
    await tenant.close();
  });
  const r = await stack.run('download_attachment', { attachment_id: ID }, stack.connection({ url: tenant.url, attachment_size_limit: 2 }));
  t.equal(r.status, 400);
  t.match(r.body.error, /Attachment 0123456789ABCDEF0123456789ABCDEF is larger than the limit of 2 MiB \(attachment_size_limit\)/);
  t.equal(tenant.downloads.length, 1, 'not retried');
  const download = tenant.downloads[0]!;
  while (!download.closed) await new Promise((resolve) => setTimeout(resolve, 10));
  t.ok(download.closed, 'the plugin closed the download');
  t.ok(download.written >= 2 * MiB, `the tenant wrote ${download.written} bytes before it was stopped`);
});

t.test('a file whose length is over the limit is refused before its body is read', async (t) => {
  const stack = await startStack();
  const tenant = await fakeTenant((res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(3 * MiB) });
    res.write(Buffer.alloc(1024));
  });
  t.teardown(async () => {
    await stack.close();
    await tenant.close();
  });
  const r = await stack.run('download_attachment', { attachment_id: ID }, stack.connection({ url: tenant.url, attachment_size_limit: 2 }));
  t.match(r.body.error, /larger than the limit of 2 MiB/);
  t.equal(tenant.downloads.length, 1);
});

t.test('no content-disposition: the name comes from the attachment record', async (t) => {
  const stack = await startStack();
  const bytes = Buffer.from('PK\u0003\u0004 zipped evidence');
  const tenant = await fakeTenant((res) => res.writeHead(200, { 'content-type': 'application/zip' }).end(bytes), { RecId: ID, ATTACHNAME: 'evidence.zip', ATTACHSIZE: bytes.length });
  t.teardown(async () => {
    await stack.close();
    await tenant.close();
  });
  const r = await stack.run('download_attachment', { attachment_id: ID }, stack.connection({ url: tenant.url }));
  t.equal(r.status, 200, r.body.error ?? 'answered 200');
  t.same(r.body.output, { filename: 'evidence.zip', content_type: 'application/zip', size: bytes.length, content: bytes.toString('base64') });
});

t.test('names in content-disposition headers', async (t) => {
  t.equal(dispositionFilename(`attachment; filename="a_b.txt"; filename*=UTF-8''a%E2%80%93b.txt`), 'a–b.txt', 'filename* wins');
  t.equal(dispositionFilename(`attachment; filename*=utf-8'en'%E8%AF%81%E6%8D%AE.pdf`), '证据.pdf');
  t.equal(dispositionFilename('attachment; filename="report \\"final\\".pdf"'), 'report "final".pdf');
  t.equal(dispositionFilename('attachment; filename=plain.log'), 'plain.log');
  t.equal(dispositionFilename('inline; filename="C:\\\\temp\\\\x.txt"'), 'x.txt', 'no path');
  t.equal(dispositionFilename('attachment; filename="../../etc/passwd"'), 'passwd');
  t.equal(dispositionFilename(`attachment; filename*=UTF-8''%E0%A4%A; filename="fallback.bin"`), 'fallback.bin', 'a broken filename* falls back');
  t.equal(dispositionFilename('attachment'), undefined);
  t.equal(dispositionFilename(undefined), undefined);
});
