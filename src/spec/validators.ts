/**
 * One ajv configuration for every validator, whether compiled at generate time into
 * standalone modules or at run time for a plugin without generated code.
 * draft-07; `format` is not enforced; unknown keywords such as `order` are ignored;
 * spec defaults are written into the validated data; NaN and Infinity are not numbers.
 */
import { Ajv, type Options } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { JsonSchema } from './schema.js';

export const AJV_OPTIONS: Options = {
  strict: false,
  // JSON text such as 1e309 parses to Infinity: not a number any schema means.
  strictNumbers: true,
  useDefaults: true,
  validateFormats: false,
  allErrors: true,
};

export function createAjv(extra: Options = {}): Ajv {
  return new Ajv({ ...AJV_OPTIONS, ...extra });
}

/**
 * An ES module exporting one validator per named schema. ajv's standalone output may
 * `require` its small runtime helpers; createRequire makes that work inside ESM.
 */
export function compileStandaloneModule(schemas: Record<string, JsonSchema>): string {
  const ajv = createAjv({ code: { source: true, esm: true, lines: false } });
  const refs: Record<string, string> = {};
  for (const [exportName, schema] of Object.entries(schemas)) {
    const id = `urn:plugin:${exportName}`;
    ajv.addSchema({ ...schema, $id: id });
    refs[exportName] = id;
  }
  const code = standaloneCode.default(ajv, refs);
  return "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n" + code.replace(/^"use strict";/, '') + '\n';
}
