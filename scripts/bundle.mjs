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
 * got imports http2-wrapper for HTTP/2, which the ISM client never enables (http2: false).
 * Loading it builds a throwaway TLS socket, and with it the whole root certificate store:
 * about a fifth of a one-shot run's CPU. The bundle gets a stand-in that fails loudly if
 * HTTP/2 were ever switched on.
 */
const withoutHttp2 = {
  name: 'without-http2-wrapper',
  setup(b) {
    b.onResolve({ filter: /^http2-wrapper$/ }, () => ({ path: 'http2-wrapper', namespace: 'stand-in' }));
    b.onLoad({ filter: /.*/, namespace: 'stand-in' }, () => ({
      contents:
        "const unused = () => { throw new Error('HTTP/2 is not used by this plugin'); };\n" +
        'export default { auto: unused, get globalAgent() { return unused(); } };\n',
      loader: 'js',
    }));
  },
};

await build({
  plugins: [withoutHttp2],
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
