/**
 * The bundle replaces three packages got imports (http2-wrapper, cacheable-request,
 * cacheable-lookup) with stand-ins that throw on use (scripts/bundle.mjs). This proves that
 * no path of the shipped bundle reaches them:
 * 1. only got's own modules import them (the bundle's record of its imports);
 * 2. in the exact got the bundle holds, every use of them sits behind the option that turns the
 *    feature on (`http2`, `cache`, `dnsCache`);
 * 3. every request the ISM client makes, whatever its kind, has those options off.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import type { Got, NormalizedOptions } from 'got';
import { IsmClient } from '../../src/ivanti/client.js';
import { resolveSettings } from '../../src/ivanti/connection.js';
import type { StepLogger } from '../../src/runtime/step-log.js';

const GOT = 'node_modules/got/dist/source/core';

t.test('only got imports the stand-ins, and got is the pinned version', async (t) => {
  const { imports } = JSON.parse(readFileSync('dist/bundle-meta.json', 'utf8')) as { imports: Record<string, string[]> };
  const importers: Record<string, string[]> = {};
  for (const [module, list] of Object.entries(imports)) {
    // From the package folder on: esbuild names a module by its real path, which leaves the
    // checkout where node_modules is a link.
    for (const target of list) if (target.startsWith('stand-in:')) (importers[target] ??= []).push(module.replace(/^.*?(?=node_modules\/)/, ''));
  }
  t.same(importers, {
    'stand-in:http2-wrapper': [`${GOT}/options.js`],
    'stand-in:cacheable-lookup': [`${GOT}/options.js`],
    'stand-in:cacheable-request': [`${GOT}/index.js`],
  });
  const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }).dependencies.got;
  t.match(pinned, /^\d+\.\d+\.\d+$/, 'got is pinned to one version');
  t.equal((JSON.parse(readFileSync('node_modules/got/package.json', 'utf8')) as { version: string }).version, pinned, 'the bundled got is that version');
});

/** The lines that open the blocks around line `i`, innermost first (got's code is indented by blocks). */
function enclosing(lines: string[], i: number): string[] {
  const openers: string[] = [];
  let indent = lines[i]!.search(/\S/);
  for (let j = i - 1; j >= 0 && indent > 0; j--) {
    const at = lines[j]!.search(/\S/);
    if (at >= 0 && at < indent) {
      openers.push(lines[j]!.trim());
      indent = at;
    }
  }
  return openers;
}

/**
 * Every line of got's module that names one of `names`, and what it must be: the import, a
 * definition, or a use inside a block opened by `guard`.
 */
interface Use {
  line: RegExp;
  guard?: RegExp;
}

function checkUses(t: Test, file: string, names: RegExp, expected: Use[]): void {
  // Comments blanked, lines kept where they are.
  const code = readFileSync(`${GOT}/${file}`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const lines = code.split('\n');
  const found = lines.map((text, i) => ({ text: text.trim(), i })).filter(({ text }) => names.test(text) && !text.startsWith('//'));
  t.equal(found.length, expected.length, `${file}: ${expected.length} lines name ${names}: ${found.map((f) => f.text).join(' | ')}`);
  for (const use of expected) {
    const hit = found.find(({ text }) => use.line.test(text));
    if (!hit) {
      t.fail(`${file}: no line like ${use.line}`);
      continue;
    }
    if (use.guard) t.ok(enclosing(lines, hit.i).some((opener) => use.guard!.test(opener)), `${file}: '${hit.text}' only under ${use.guard}`);
  }
}

t.test("in got's code, each stand-in is used only behind the option that turns its feature on", async (t) => {
  checkUses(t, 'options.js', /\bhttp2wrapper\b|\bCacheableLookup\b|\bgetGlobalDnsCache\b/, [
    { line: /^import CacheableLookup from 'cacheable-lookup';$/ },
    { line: /^import http2wrapper from 'http2-wrapper';$/ },
    // The DNS cache is made only when `dnsCache: true` is set.
    { line: /^const getGlobalDnsCache = \(\) => \{$/ },
    { line: /^globalDnsCache = new CacheableLookup\(\);$/, guard: /^const getGlobalDnsCache = / },
    { line: /^this\._internals\.dnsCache = getGlobalDnsCache\(\);$/, guard: /^if \(value === true\) \{$/ },
    // The HTTP/2 agent and request function are taken only when `http2` is on.
    { line: /http2wrapper\.globalAgent/, guard: /^if \(internals\.http2\) \{$/ },
    { line: /^return http2wrapper\.auto;$/, guard: /^if \(this\._internals\.http2\) \{$/ },
  ]);
  checkUses(t, 'index.js', /\bCacheableRequest\b|\bCacheableCacheError\b|\b_prepareCache\(/, [
    { line: /^import CacheableRequest, \{ CacheError as CacheableCacheError, \} from 'cacheable-request';$/ },
    // The HTTP cache is made only when `cache` is set.
    { line: /^_prepareCache\(cache\) \{$/ },
    { line: /new CacheableRequest\(/, guard: /^_prepareCache\(cache\) \{$/ },
    { line: /^this\._prepareCache\(options\.cache\);$/, guard: /^if \(options\.cache\) \{$/ },
    // An instanceof test against the stand-in's class is simply false.
    { line: /^if \(error instanceof CacheableCacheError\) \{$/ },
  ]);
});

t.test('every request the ISM client makes has HTTP/2, the HTTP cache and the DNS cache off', async (t) => {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  const client = new IsmClient(resolveSettings({ url: `http://127.0.0.1:${port}`, credentials: { secretKey: 'K' } } as never));
  t.teardown(() => client.close());

  // Watch the options got settles on for each request, through got's own hook.
  const seen: { http2: boolean; cache: unknown; dnsCache: unknown }[] = [];
  const holder = (client as unknown as { transport: { got: Got } }).transport;
  holder.got = holder.got.extend({ hooks: { beforeRequest: [(o: NormalizedOptions) => void seen.push({ http2: o.http2, cache: o.cache, dnsCache: o.dnsCache })] } });
  const log: StepLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  const form = new FormData();
  form.append('file', new Blob(['x']), 'x.txt');
  await client.list('incidents?$top=1', log);
  await client.list('incidents?$top=1', log, { signal: new AbortController().signal });
  await client.request('POST', 'incidents', log, { Subject: 's' });
  await client.request('PATCH', "incidents('1')", log, { Status: 'Logged' });
  await client.request('DELETE', "incidents('1')", log);
  await client.request('POST', 'api/rest/Attachment', log, form, { root: 'base', multipart: true });
  t.equal(seen.length, 6, 'every request was seen');
  t.same(seen, Array.from({ length: 6 }, () => ({ http2: false, cache: undefined, dnsCache: undefined })));
});
