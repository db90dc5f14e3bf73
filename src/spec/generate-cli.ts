/**
 * `npm run generate [-- --check] [--spec path] [--root dir]`: writes (or checks) every
 * file derived from the plugin spec, once the spec keeps Rapid7's plugin conventions.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { conventionProblems } from './conventions.js';
import { loadSpecFile, SpecError } from './load.js';
import { DEFAULT_LAYOUT, writeGenerated } from './generate.js';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: 'plugin.spec.yaml' },
    root: { type: 'string', default: '.' },
  },
});

try {
  const root = resolve(values.root);
  const spec = loadSpecFile(resolve(root, values.spec));
  // A spec that Rapid7's validators would refuse is not generated from.
  const problems = conventionProblems(spec);
  if (problems.length > 0) {
    process.stderr.write(`${values.spec} breaks ${problems.length} of Rapid7's plugin conventions:\n` + problems.map((p) => `  - ${p}\n`).join(''));
    process.exit(1);
  }
  const result = writeGenerated(spec, { root, ...DEFAULT_LAYOUT }, { check: values.check });
  if (values.check) {
    if (result.stale.length > 0) {
      process.stderr.write(`Generated files are out of date with ${values.spec}; run \`npm run generate\`:\n`);
      for (const file of result.stale) process.stderr.write(`  stale: ${file}\n`);
      process.exit(1);
    }
    process.stdout.write('Generated files are up to date.\n');
  } else {
    for (const file of result.written) process.stdout.write(`wrote ${file}\n`);
    for (const file of result.removed) process.stdout.write(`removed ${file}\n`);
    if (result.written.length + result.removed.length === 0) process.stdout.write('Generated files were already up to date.\n');
  }
} catch (err) {
  process.stderr.write((err instanceof SpecError ? err.message : String((err as Error).stack ?? err)) + '\n');
  process.exit(1);
}
