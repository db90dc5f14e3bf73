/**
 * Everything derived from the spec, computed in memory as {path: content}, then either
 * written or compared with what is on disk (`--check`).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { PluginSpec } from './model.js';
import { buildPluginSchemas } from './schema.js';
import { generateTypes, GENERATED_HEADER } from './types.js';
import { generateHelp } from './help.js';
import { compileStandaloneModule } from './validators.js';

export interface GenerateLayout {
  /** Project root; every other path is relative to it. */
  root: string;
  schemasDir: string;
  generatedDir: string;
  helpFile: string;
}

export const DEFAULT_LAYOUT: Omit<GenerateLayout, 'root'> = {
  schemasDir: 'schemas',
  generatedDir: 'src/generated',
  helpFile: 'help.md',
};

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export function pluginManifest(spec: PluginSpec) {
  const step = (s: PluginSpec['actions'][number]) => ({ name: s.name, title: s.title, description: s.description });
  return {
    info: {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      version: spec.version,
      vendor: spec.vendor,
      support: spec.support,
      plugin_spec_version: spec.pluginSpecVersion,
      tags: spec.tags,
      sdk_version: spec.sdkVersion,
    },
    actions: spec.actions.map(step),
    triggers: spec.triggers.map(step),
  };
}

export function generateFiles(spec: PluginSpec, layout: Omit<GenerateLayout, 'root'> = DEFAULT_LAYOUT): Map<string, string> {
  const files = new Map<string, string>();
  const schemas = buildPluginSchemas(spec);
  const gen = layout.generatedDir;

  files.set(join(layout.schemasDir, 'connection.json'), json(schemas.connection));
  files.set(
    join(gen, 'validators', 'connection.ts'),
    `// @ts-nocheck\n// ${GENERATED_HEADER}\n` +
      compileStandaloneModule({ connection: schemas.connection }) +
      `export const connectionNames = ${JSON.stringify(Object.keys(schemas.connection.properties as object))};\n`,
  );

  let index = `// ${GENERATED_HEADER}\nimport type { StepValidatorModule, ConnectionValidatorModule } from '../../runtime/validate.js';\n\n`;
  index += "export const connection = (): Promise<ConnectionValidatorModule> => import('./connection.js');\n\n";
  for (const [kind, steps] of [['actions', schemas.actions], ['triggers', schemas.triggers]] as const) {
    index += `export const ${kind}: Record<string, () => Promise<StepValidatorModule>> = {\n`;
    for (const [name, pair] of Object.entries(steps)) {
      files.set(join(layout.schemasDir, kind, name, 'input.json'), json(pair.input));
      files.set(join(layout.schemasDir, kind, name, 'output.json'), json(pair.output));
      const required = (pair.input.required as string[] | undefined) ?? [];
      files.set(
        join(gen, 'validators', kind, `${name}.ts`),
        `// @ts-nocheck\n// ${GENERATED_HEADER}\n` +
          compileStandaloneModule({ input: pair.input, output: pair.output }) +
          `export const requiredInputs = ${JSON.stringify(required)};\n` +
          `export const inputNames = ${JSON.stringify(Object.keys(pair.input.properties as object))};\n`,
      );
      index += `  ${name}: () => import('./${kind}/${name}.js'),\n`;
    }
    index += '};\n\n';
  }
  files.set(join(gen, 'validators', 'index.ts'), index.trimEnd() + '\n');
  files.set(join(gen, 'types.ts'), generateTypes(spec));
  files.set(
    join(gen, 'manifest.ts'),
    `// ${GENERATED_HEADER}\n\nexport const manifest = ${JSON.stringify(pluginManifest(spec), null, 2)} as const;\n`,
  );
  files.set(layout.helpFile, `<!-- ${GENERATED_HEADER} -->\n\n` + generateHelp(spec));
  return files;
}

/** Generated files on disk that the spec no longer produces (a removed action, say). */
function leftovers(root: string, files: Map<string, string>, layout: Omit<GenerateLayout, 'root'>): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const abs = join(root, dir);
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (!files.has(rel)) found.push(rel);
    }
  };
  walk(layout.schemasDir);
  walk(layout.generatedDir);
  return found;
}

/**
 * Removes `dir` and its parents while they are empty, up to (not including) the layout's
 * top directories: a removed action must not leave an empty schemas/actions/<name>/ behind,
 * which orchestrators that list that directory would take for an action.
 */
function pruneEmptyDirs(root: string, dir: string, layout: Omit<GenerateLayout, 'root'>): void {
  const tops = [layout.schemasDir, layout.generatedDir].map((d) => join(d));
  for (let d = dir; d !== '.' && d !== '' && !tops.includes(d); d = dirname(d)) {
    const abs = join(root, d);
    if (!existsSync(abs) || readdirSync(abs).length > 0) return;
    rmdirSync(abs);
  }
}

export interface GenerateResult {
  written: string[];
  removed: string[];
  stale: string[];
}

export function writeGenerated(spec: PluginSpec, layout: GenerateLayout, opts: { check: boolean }): GenerateResult {
  const files = generateFiles(spec, layout);
  const result: GenerateResult = { written: [], removed: [], stale: [] };
  for (const [rel, content] of files) {
    const abs = join(layout.root, rel);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (current === content) continue;
    if (opts.check) result.stale.push(current === undefined ? `${rel} (missing)` : rel);
    else {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      result.written.push(rel);
    }
  }
  for (const rel of leftovers(layout.root, files, layout)) {
    if (opts.check) result.stale.push(`${rel} (no longer generated)`);
    else {
      rmSync(join(layout.root, rel));
      result.removed.push(relative(layout.root, join(layout.root, rel)));
      pruneEmptyDirs(layout.root, dirname(rel), layout);
    }
  }
  return result;
}
