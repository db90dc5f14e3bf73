/**
 * Bundles what ships into dist/: the plugin's command line (dist/cli.js) and the simulator's
 * (dist/simulator/cli.js), with shared chunks in dist/chunks/. A one-shot `run` in a fresh
 * container pays for every module it loads: one bundle instead of a few hundred files (got
 * alone is about a hundred) makes start-up several times cheaper, and the image needs no
 * node_modules at all. The rest of dist/ (the simulator's library, the demo) stays as tsc
 * compiled it.
 *
 * The code is not minified, so a stack trace is readable as it is: each line of a frame is the
 * code as written, and esbuild marks where each source file starts (`// src/ivanti/client.ts`).
 * There are no source maps: with --enable-source-maps Node parses and keeps every map of every
 * module it loads, about 19 MB more for the server on Node 24 and slower one-shot starts.
 *
 * dist/bundle-meta.json records which module imported which: the tests read it to prove that
 * the stand-ins below are reached only through got options the plugin never sets.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

// Chunk names carry content hashes: drop the previous build's.
rmSync('dist/chunks', { recursive: true, force: true });

/**
 * got imports three packages for features the ISM client never turns on, and loading them
 * is a large share of a one-shot run:
 * - http2-wrapper, for HTTP/2 (got uses it only when the `http2` option is true; the client
 *   sets it false). Loading it builds a throwaway TLS socket, and with it the whole root
 *   certificate store.
 * - cacheable-request (with keyv, http-cache-semantics, normalize-url), for got's HTTP cache
 *   (used only when the `cache` option is set; the client never sets it): about half of the
 *   code got brings.
 * - cacheable-lookup, for got's DNS cache (used only when `dnsCache` is true; never set).
 * The bundle gets stand-ins that throw on any use, so a got that did reach one would fail
 * loudly rather than misbehave. test/shipped/stand-ins.test.ts holds the proof that it cannot.
 */
const STAND_INS = {
  'http2-wrapper':
    "const unused = () => { throw new Error('HTTP/2 is not used by this plugin'); };\n" +
    'export default { get auto() { return unused(); }, get globalAgent() { return unused(); } };\n',
  'cacheable-request':
    'export class CacheError extends Error {}\n' +
    "export default class CacheableRequest { constructor() { throw new Error('got\\'s HTTP cache is not used by this plugin'); } }\n",
  'cacheable-lookup': "export default class CacheableLookup { constructor() { throw new Error('got\\'s DNS cache is not used by this plugin'); } }\n",
};
const withoutUnusedGotFeatures = {
  name: 'without-unused-got-features',
  setup(b) {
    const names = Object.keys(STAND_INS).map((n) => n.replace(/[-/]/g, '\\$&'));
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({ path: args.path, namespace: 'stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, (args) => ({ contents: STAND_INS[args.path], loader: 'js' }));
  },
};

/**
 * Node 24 gives `import ... from 'node:fs'` (and every other built-in module) an ES module
 * facade whose exports are all read when it is made, and many are getters that load more of
 * Node: `http.WebSocket` loads undici, `fs.ReadStream` the streams, `tls.rootCertificates`
 * the certificate store, `crypto.webcrypto` Web Crypto. In a one-shot run that is about 70 ms
 * spent on things it never touches. Reached through require() (which the bundle can call, see
 * the banner), a built-in module exports the same objects, and esbuild reads each name only
 * where the code uses it.
 */
const BUILTIN = new RegExp(`^(node:)?(${builtinModules.map((m) => m.replace(/[/\\]/g, '\\$&')).join('|')})$`);
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(b) {
    b.onResolve({ filter: BUILTIN }, (args) =>
      // The stand-in's own require() is Node's.
      args.namespace === 'builtin-require' ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'builtin-require' },
    );
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({ contents: `module.exports = require('node:${args.path}');\n`, loader: 'js' }));
  },
};

const result = await build({
  plugins: [withoutUnusedGotFeatures, builtinsThroughRequire],
  entryPoints: { cli: 'src/cli.ts', 'simulator/cli': 'src/simulator/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

// Only what the tests need of the metafile: each bundled module and what it imports.
const imports = Object.fromEntries(Object.entries(result.metafile.inputs).map(([path, input]) => [path, input.imports.map((i) => i.path)]));
writeFileSync('dist/bundle-meta.json', JSON.stringify({ imports }, null, 1) + '\n');
