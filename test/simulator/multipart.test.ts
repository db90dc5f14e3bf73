// The multipart/form-data parser of the attachment endpoint: byte for byte, and strict.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { MultipartError, boundaryOf, parseMultipart } from '../../src/simulator/multipart.js';

const B = 'XyZ-boundary-123';

/** A body as `fetch` would write it: each part `--B CRLF headers CRLF CRLF data CRLF`, then `--B--`. */
function body(parts: Array<{ headers: string[]; data: Buffer | string }>, boundary = B, tail = `--${boundary}--\r\n`): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n`, 'utf8'));
    chunks.push(typeof p.data === 'string' ? Buffer.from(p.data, 'utf8') : p.data);
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(tail));
  return Buffer.concat(chunks);
}

t.test('the boundary comes from the Content-Type, quoted or not, whatever the casing', async (t) => {
  t.equal(boundaryOf(`multipart/form-data; boundary=${B}`), B);
  t.equal(boundaryOf(`Multipart/Form-Data;BOUNDARY="${B}"`), B);
  t.equal(boundaryOf(`multipart/form-data; charset=utf-8; boundary="a b:c"`), 'a b:c');
  t.equal(boundaryOf('multipart/form-data; boundary=----formdata-undici-020224980904'), '----formdata-undici-020224980904');
  for (const bad of [undefined, '', 'application/json', 'multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary="${'x'.repeat(71)}"`, 'multipart/mixed; boundary=x', 'multipart/form-data; boundary="unterminated']) {
    t.throws(() => boundaryOf(bad), MultipartError, String(bad));
  }
});

t.test('fields and files, with names, file names and content types', async (t) => {
  const parts = parseMultipart(
    body([
      { headers: ['Content-Disposition: form-data; name="ObjectID"'], data: 'BC6E2562367D08417D67FAECB5841C25' },
      { headers: ['Content-Disposition: form-data; name="ObjectType"'], data: 'incident#' },
      { headers: ['Content-Disposition: form-data; name="file"; filename="Invoice.png"', 'Content-Type: image/png'], data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
      { headers: ['content-disposition: form-data; filename="r\u00e9sum\u00e9 \\"v2\\".txt"; name=file2'], data: '' },
    ]),
    B,
  );
  t.equal(parts.length, 4);
  t.same(parts.map((p) => [p.name, p.filename, p.contentType]), [
    ['ObjectID', undefined, undefined],
    ['ObjectType', undefined, undefined],
    ['file', 'Invoice.png', 'image/png'],
    ['file2', 'résumé "v2".txt', undefined],
  ]);
  t.equal(parts[0]!.data.toString(), 'BC6E2562367D08417D67FAECB5841C25');
  t.same([...parts[2]!.data], [0x89, 0x50, 0x4e, 0x47]);
  t.equal(parts[3]!.data.length, 0, 'an empty file');
});

t.test('filename* (RFC 5987) wins over filename', async (t) => {
  const [part] = parseMultipart(body([{ headers: [`Content-Disposition: form-data; name="file"; filename="euro.txt"; filename*=UTF-8''%E2%82%AC%20rates.txt`], data: 'x' }]), B);
  t.equal(part!.filename, '€ rates.txt');
});

t.test('content ending in CRLF, holding CR, LF, "--" and the boundary not after CRLF comes back intact', async (t) => {
  const tricky = Buffer.concat([Buffer.from(`\r\n\r\nx--${B} --${B}\n--${B}\r--${B}-\r\n`), randomBytes(64), Buffer.from('\r\n')]);
  const [part] = parseMultipart(body([{ headers: ['Content-Disposition: form-data; name="file"; filename="a.bin"'], data: tricky }]), B);
  t.ok(part!.data.equals(tricky));
});

t.test('a preamble and an epilogue are ignored; padding after a boundary is allowed', async (t) => {
  const inner = body([{ headers: ['Content-Disposition: form-data; name="a"'], data: 'one' }]).toString('latin1');
  const text = `This is the preamble.\r\n${inner.replace(`--${B}\r\n`, `--${B}  \t\r\n`)}epilogue, ignored`;
  const parts = parseMultipart(Buffer.from(text, 'latin1'), B);
  t.same(parts.map((p) => [p.name, p.data.toString()]), [['a', 'one']]);
});

t.test('any bytes, any number of files, round trip through the parser', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 5 }), (files) => {
      const parts = parseMultipart(
        body(files.map((f, i) => ({ headers: [`Content-Disposition: form-data; name="file"; filename="f${i}.bin"`, 'Content-Type: application/octet-stream'], data: Buffer.from(f) }))),
        B,
      );
      return parts.length === files.length && parts.every((p, i) => p.filename === `f${i}.bin` && p.data.equals(Buffer.from(files[i]!)));
    }),
    { numRuns: 300 },
  );
});

t.test('what FormData writes is read back', async (t) => {
  const bytes = randomBytes(5000);
  const form = new FormData();
  form.append('ObjectID', 'R1');
  form.append('file', new Blob([bytes], { type: 'image/png' }), 'pic.png');
  const request = new Request('http://x/', { method: 'POST', body: form });
  const raw = Buffer.from(await request.arrayBuffer());
  const parts = parseMultipart(raw, boundaryOf(request.headers.get('content-type') ?? undefined));
  t.same(parts.map((p) => [p.name, p.filename, p.contentType]), [['ObjectID', undefined, undefined], ['file', 'pic.png', 'image/png']]);
  t.ok(parts[1]!.data.equals(bytes));
});

t.test('malformed bodies are refused with a reason', async (t) => {
  const ok = ['Content-Disposition: form-data; name="a"'];
  const cases: Array<[string, Buffer, RegExp]> = [
    ['no boundary at all', Buffer.from('hello'), /does not contain the boundary/],
    ['no closing boundary', Buffer.from(`--${B}\r\n${ok[0]}\r\n\r\nvalue`), /not closed by a boundary/],
    ['ends after a delimiter', Buffer.from(`--${B}\r\n${ok[0]}\r\n\r\nvalue\r\n--${B}`), /ends without the closing boundary/],
    ['LF-only lines', Buffer.from(`--${B}\n${ok[0]}\n\nvalue\n--${B}--`), /not followed by CRLF|does not contain/],
    ['no end of headers', Buffer.from(`--${B}\r\n${ok[0]}\r\nvalue\r\n--${B}--`), /no end of headers/],
    ['no Content-Disposition', body([{ headers: ['Content-Type: text/plain'], data: 'x' }]), /no Content-Disposition/],
    ['not form-data', body([{ headers: ['Content-Disposition: attachment; name="a"'], data: 'x' }]), /expected form-data/],
    ['no name', body([{ headers: ['Content-Disposition: form-data; filename="a.txt"'], data: 'x' }]), /no name/],
    ['a header without a name', body([{ headers: [ok[0]!, 'garbage'], data: 'x' }]), /no name/],
    ['folded header', body([{ headers: [ok[0]!, ' folded'], data: 'x' }]), /folded/],
    ['huge headers', body([{ headers: [ok[0]!, `X-Pad: ${'a'.repeat(20_000)}`], data: 'x' }]), /longer than/],
  ];
  for (const [what, raw, reason] of cases) t.throws(() => parseMultipart(raw, B), reason, what);
  t.throws(() => parseMultipart(body(Array.from({ length: 5 }, () => ({ headers: ok, data: 'x' }))), B, { parts: 4 }), /more than 4 parts/);
});
