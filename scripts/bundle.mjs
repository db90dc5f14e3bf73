/**
 * Bundles the plugin's command line into dist/cli.js (with shared chunks in dist/chunks/).
 * A one-shot `run` in a fresh container pays for every module it loads: one bundle instead
 * of a few hundred files (got alone is about a hundred) makes start-up several times cheaper.
 * The rest of dist/ (simulator, demo) stays as tsc compiled it.
 */
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: drop the previous build's.
rmSync('dist/chunks', { recursive: true, force: true });

/**
 * got imports three packages for features the ISM client never turns on, and loading them
 * is a large share of a one-shot run:
 * - http2-wrapper, for HTTP/2 (the client sets http2: false). Loading it builds a throwaway
 *   TLS socket, and with it the whole root certificate store: about a fifth of a run's CPU.
 * - cacheable-request (with keyv, http-cache-semantics, normalize-url), for got's HTTP
 *   cache (the client never sets `cache`): about half of the code got brings.
 * - cacheable-lookup, for got's DNS cache (the client never sets `dnsCache`).
 * The bundle gets stand-ins that fail loudly if any of these were ever switched on.
 */
const STAND_INS = {
  'http2-wrapper':
    "const unused = () => { throw new Error('HTTP/2 is not used by this plugin'); };\n" +
    'export default { auto: unused, get globalAgent() { return unused(); } };\n',
  'cacheable-request':
    "export class CacheError extends Error {}\n" +
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

await build({
  plugins: [withoutUnusedGotFeatures],
  entryPoints: ['src/cli.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Smaller code to parse; identifiers are not mangled, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
