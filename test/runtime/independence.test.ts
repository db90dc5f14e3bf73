/** The runtime is generic: nothing under src/runtime imports the Ivanti plugin (or the simulator). */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { ROOT } from './helpers.js';

const runtimeDir = join(ROOT, 'src', 'runtime');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier: static imports and exports, `import type`, dynamic `import()` and `require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  return found;
}

t.test('no file under src/runtime imports from src/ivanti or src/simulator', async (t) => {
  const files = sourceFiles(runtimeDir);
  t.ok(files.length >= 10, `found the runtime's files (${files.length})`);
  let relativeImports = 0;
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const spec of specifiers(source)) {
      if (!spec.startsWith('.')) {
        t.notMatch(spec, /ivanti|simulator/i, `${relative(ROOT, file)}: package import '${spec}'`);
        continue;
      }
      relativeImports++;
      const target = relative(ROOT, resolve(dirname(file), spec));
      t.notOk(target.startsWith(join('src', 'ivanti')), `${relative(ROOT, file)} imports '${spec}' from src/ivanti`);
      t.notOk(target.startsWith(join('src', 'simulator')), `${relative(ROOT, file)} imports '${spec}' from src/simulator`);
      t.notOk(target.startsWith(join('src', 'generated')), `${relative(ROOT, file)} imports '${spec}', generated code of one plugin`);
    }
    t.notMatch(source, /ivanti/i, `${relative(ROOT, file)} does not mention ivanti at all`);
  }
  t.ok(relativeImports > 10, 'the scan saw the relative imports');
});

t.test('the import scan catches every form of import', async (t) => {
  const sample = [
    "import { a } from '../ivanti/a.js';",
    "import type { B } from '../ivanti/b.js';",
    "export * from '../ivanti/c.js';",
    "import '../ivanti/d.js';",
    "const e = await import('../ivanti/e.js');",
    'import {\n  f,\n  g,\n} from "../ivanti/f.js";',
  ].join('\n');
  t.same(specifiers(sample).sort(), ['../ivanti/a.js', '../ivanti/b.js', '../ivanti/c.js', '../ivanti/d.js', '../ivanti/e.js', '../ivanti/f.js']);
});
