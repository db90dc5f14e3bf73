/**
 * Validators for a plugin that ships no generated validator modules: the spec is read
 * once, and each schema compiled with ajv on first use (the ValidatorCache keeps it).
 */
import { loadSpecFile } from '../spec/load.js';
import { buildPluginSchemas, type StepSchemas } from '../spec/schema.js';
import { createAjv } from '../spec/validators.js';
import type { CompiledValidator, StepValidatorModule, ValidatorSource } from './validate.js';

export function validatorsFromSpec(specFile: string): ValidatorSource {
  const schemas = buildPluginSchemas(loadSpecFile(specFile));
  const ajv = createAjv();
  const compile = (schema: object) => ajv.compile(schema) as CompiledValidator;
  const loaders = (steps: Record<string, StepSchemas>) =>
    Object.fromEntries(
      Object.entries(steps).map(([name, pair]) => [
        name,
        async (): Promise<StepValidatorModule> => ({
          input: compile(pair.input),
          output: compile(pair.output),
          requiredInputs: (pair.input.required as string[] | undefined) ?? [],
          inputNames: Object.keys(pair.input.properties as object),
        }),
      ]),
    );
  return {
    connection: async () => ({ connection: compile(schemas.connection), connectionNames: Object.keys(schemas.connection.properties as object) }),
    actions: loaders(schemas.actions),
    triggers: loaders(schemas.triggers),
  };
}
