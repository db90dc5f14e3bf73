/**
 * The exact lookup of a service request template, by name or by record ID: never a full-text
 * search, which would also find "Request New Laptop Bag" for "Request New Laptop".
 */
import { ClientError, PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient, IsmRecord } from './client.js';
import { shown } from './lookups.js';
import { collectionPath, eq, isRecId, or } from './odata.js';

export interface Template {
  recId: string;
  name: string;
  status: string;
}

const INPUT = 'service_request_template';
/** Longer than any template name ISM allows. */
const MAX_NAME = 256;
const FIELDS = ['RecId', 'Name', 'Status'];

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const toTemplate = (row: IsmRecord): Template => ({ recId: str(row.RecId), name: str(row.Name), status: str(row.Status) });

/** The identifier, trimmed; one that can name no template is refused before any request. */
export function checkTemplateIdentifier(identifier: string): string {
  const id = identifier.trim();
  if (id === '') throw new ClientError(Presets.INVALID_INPUT, `The ${INPUT} input is blank: give the template's name as ISM's service catalogue shows it, or its record ID.`);
  if (id.length > MAX_NAME) {
    throw new ClientError(Presets.INVALID_INPUT, `The ${INPUT} input is too long (${id.length} characters) to name a template: give its name (at most ${MAX_NAME} characters) or its record ID.`);
  }
  if (id.toUpperCase() === '$NULL') throw new ClientError(Presets.INVALID_INPUT, `The ${INPUT} input '${id}' is ISM's word for no value, so it names no template.`);
  return id;
}

/** The one template a name or record ID names, or an error naming the input and what to do. */
export async function findTemplate(client: IsmClient, identifier: string, log: StepLogger): Promise<Template> {
  const id = checkTemplateIdentifier(identifier);
  const byRecId = isRecId(id);
  log.info(`Looking up the service request template by ${byRecId ? 'record ID or name' : 'name'}.`);
  // Two rows are enough to tell "exactly one" from "several".
  const filter = byRecId ? or(eq('RecId', id), eq('Name', id)) : eq('Name', id);
  const rows = (await client.list(collectionPath('servicereqtemplates', { filter, select: FIELDS, top: 2 }), log)).map(toTemplate);
  const wanted = id.toLowerCase();
  // A record ID names one template whatever other templates are called.
  const byId = byRecId ? rows.filter((t) => t.recId.toLowerCase() === wanted) : [];
  const matches = byId.length === 1 ? byId : rows.filter((t) => t.name.toLowerCase() === wanted);
  if (matches.length === 0) {
    throw new PluginError(Presets.NOT_FOUND, {
      cause: `No ISM service request template is ${byRecId ? 'identified or named' : 'named'} '${shown(id)}' (the ${INPUT} input).`,
      assistance: "Give the template's exact name as ISM's service catalogue shows it (case does not matter, but every word does), or its record ID.",
    });
  }
  if (matches.length > 1) {
    throw new PluginError(Presets.BAD_REQUEST, {
      cause: `Several ISM service request templates are named '${shown(id)}' (the ${INPUT} input), so it does not say which is meant.`,
      assistance: "Give the template's record ID instead, which names exactly one.",
      data: matches.map((t) => `${t.name} (RecId ${t.recId}, ${t.status || 'no status'})`).join('; '),
    });
  }
  const found = matches[0]!;
  if (!isRecId(found.recId)) throw new PluginError(Presets.INVALID_JSON, { cause: 'ISM returned the service request template without a valid RecId.' });
  log.info(`Found the service request template: ${found.name} (${found.status || 'no status'}).`);
  return found;
}
