/**
 * A service request template's parameters (`ServiceReqTemplateParams`, children of the
 * template) and the values a user gives for them: each value matched to exactly one parameter
 * by its name (or the label the catalogue shows), every required one given, and each drop-down
 * value turned into the RecId of the record it picks, which ISM wants beside the value. Every
 * check that can be made before anything is written is made here, each error naming the
 * parameter and the `parameters` input.
 */
import { ClientError, PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import { businessObject, fieldName, textValue } from './business-objects.js';
import type { IsmClient, IsmRecord } from './client.js';
import { readByKey } from './key-paging.js';
import { allLookups, shown } from './lookups.js';
import { collectionPath, eq, isRecId } from './odata.js';
import type { Template } from './templates.js';

const INPUT = 'parameters';
/** More parameters than any template asks. */
const MAX_PARAMS = 1000;

export interface TemplateParam {
  recId: string;
  name: string;
  /** The label the service catalogue shows; the name when there is none. */
  label: string;
  required: boolean;
  /** A drop-down's business object and field (`CI#Computer`, `Name`). */
  pick?: { object: string; field: string };
}

/** A parameter with the value it is given and, for a drop-down, the RecId of the record picked. */
export interface ParamValue {
  param: TemplateParam;
  value: string;
  recId?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function toParam(row: IsmRecord): TemplateParam {
  const name = str(row.Name);
  const object = str(row.ValidationObject);
  return {
    recId: str(row.RecId),
    name,
    label: str(row.DisplayName) || name,
    required: str(row.RequiredExpression).toLowerCase() === '$(true)',
    ...(object !== '' ? { pick: { object, field: str(row.ValidationField) || 'RecId' } } : {}),
  };
}

/** The values given, as text, checked before any request: names not blank, values text, a number, true or false. */
export function checkParameters(parameters: Record<string, unknown> | undefined): Array<[name: string, value: string]> {
  return Object.entries(parameters ?? {}).map(([name, value]): [string, string] => {
    if (name.trim() === '') throw new ClientError(Presets.INVALID_INPUT, `'${INPUT}' has a blank parameter name: name each parameter as the template does (its name or the label the catalogue shows).`);
    return [name.trim(), textValue(value, `${INPUT}.${name}`)];
  });
}

/** The template's parameters, all of them. */
export async function readTemplateParams(client: IsmClient, template: Template, log: StepLogger): Promise<TemplateParam[]> {
  log.info(`Reading the parameters of the service request template ${template.name}.`);
  const { rows, more } = await readByKey(client, { path: 'servicereqtemplateparams', filter: eq('ParentLink_RecID', template.recId), key: 'RecId', max: MAX_PARAMS }, log);
  if (more) log.warn(`The template ${template.name} has more than ${MAX_PARAMS} parameters; only the first ${MAX_PARAMS} are used.`);
  const params = rows.map(toParam);
  const broken = params.find((p) => !isRecId(p.recId) || p.name === '');
  if (broken) throw new PluginError(Presets.INVALID_JSON, { cause: `ISM returned a parameter of the template ${template.name} without a valid RecId or name.` });
  return params;
}

const listed = (params: readonly TemplateParam[]): string =>
  params.length === 0 ? 'it asks for none' : `it asks for ${params.map((p) => (p.label === p.name ? p.name : `${p.name} ('${p.label}')`)).join(', ')}`;

/** The one parameter a given name names: its name exactly, else its name or label ignoring case. */
function paramNamed(params: readonly TemplateParam[], given: string, template: Template): TemplateParam {
  const exact = params.filter((p) => p.name === given);
  const wanted = given.toLowerCase();
  const matches = exact.length > 0 ? exact : params.filter((p) => p.name.toLowerCase() === wanted || p.label.toLowerCase() === wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    throw new ClientError(Presets.INVALID_INPUT, `'${INPUT}.${shown(given)}' is not a parameter of the template ${template.name}: ${listed(params)}.`);
  }
  throw new ClientError(Presets.INVALID_INPUT, `'${INPUT}.${shown(given)}' names several parameters of the template ${template.name} (${matches.map((p) => p.name).join(', ')}): use the parameter's exact name.`);
}

/**
 * Each value matched to its parameter; an unknown or repeated parameter, or a required one left
 * without a value, is an error naming it. Values are given in the template's order.
 */
export function matchParameters(params: readonly TemplateParam[], given: ReadonlyArray<[string, string]>, template: Template): ParamValue[] {
  const values = new Map<TemplateParam, ParamValue>();
  for (const [name, value] of given) {
    const param = paramNamed(params, name, template);
    if (values.has(param)) throw new ClientError(Presets.INVALID_INPUT, `'${INPUT}' gives the template parameter ${param.name} twice: give it once.`);
    values.set(param, { param, value });
  }
  const missing = params.filter((p) => p.required && (values.get(p)?.value.trim() ?? '') === '');
  if (missing.length > 0) {
    throw new ClientError(
      Presets.INVALID_INPUT,
      `The template ${template.name} requires ${missing.map((p) => `${p.name} ('${p.label}')`).join(', ')}: give ${missing.length === 1 ? 'it a value' : 'each a value'} in '${INPUT}'.`,
    );
  }
  return params.flatMap((p) => values.get(p) ?? []);
}

/** The RecId of the record a drop-down value picks: the one record of its object whose field has that value. */
async function pickedRecord(client: IsmClient, item: ParamValue, log: StepLogger): Promise<string> {
  const { param, value } = item;
  const pick = param.pick!;
  const where = `parameter ${param.name} ('${param.label}')`;
  let collection: string;
  let field: string;
  try {
    collection = businessObject(pick.object, 'ValidationObject').collection;
    field = fieldName(pick.field, 'ValidationField');
  } catch {
    throw new PluginError(Presets.INVALID_JSON, { cause: `ISM describes the drop-down of the ${where} with a business object or field the plugin cannot read (${shown(pick.object)}.${shown(pick.field)}).` });
  }
  if (value.toUpperCase() === '$NULL') throw new ClientError(Presets.INVALID_INPUT, `'${INPUT}.${param.name}' is '${value}', ISM's word for no value, which picks nothing.`);
  log.info(`Finding the ${pick.object} the ${where} picks.`);
  const rows = await client.list(collectionPath(collection, { filter: eq(field, value), select: ['RecId', field], top: 2 }), log);
  const matches = rows.filter((r) => String(r[field] ?? '').toLowerCase() === value.toLowerCase() && isRecId(r.RecId));
  if (matches.length === 1) return matches[0]!.RecId as string;
  if (matches.length === 0) {
    throw new PluginError(Presets.NOT_FOUND, {
      cause: `'${shown(value)}' is not one of the choices of the template ${where}: no ${pick.object} has ${field} '${shown(value)}' (the '${INPUT}' input).`,
      assistance: `Give the ${field} of an existing ${pick.object}, as the drop-down shows it.`,
    });
  }
  throw new PluginError(Presets.BAD_REQUEST, {
    cause: `'${shown(value)}' picks several records for the template ${where}: more than one ${pick.object} has ${field} '${shown(value)}' (the '${INPUT}' input).`,
    assistance: 'ISM cannot tell which is meant; make the value unique in ISM, or ask an administrator which record the drop-down should offer.',
  });
}

/** The values with each drop-down's picked RecId filled in. */
export async function resolveDropDowns(client: IsmClient, values: readonly ParamValue[], log: StepLogger): Promise<ParamValue[]> {
  return allLookups(values.map(async (v) => (v.param.pick && v.value.trim() !== '' ? { ...v, recId: await pickedRecord(client, v, log) } : v)));
}

/** ISM's `parameters` object: `par-<id>` for each value, and `par-<id>-recId` for a drop-down's pick. */
export function parameterKeys(values: readonly ParamValue[]): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const { param, value, recId } of values) {
    keys[`par-${param.recId}`] = value;
    if (recId !== undefined) keys[`par-${param.recId}-recId`] = recId;
  }
  return keys;
}

/** The parameter a refusal's text names (its label, name or `par-<id>` key, the longest that fits), if any. */
export function paramNamedIn(text: string, params: readonly TemplateParam[]): TemplateParam | undefined {
  const lower = text.toLowerCase();
  let best: { param: TemplateParam; length: number } | undefined;
  for (const param of params) {
    for (const word of [param.label, param.name, `par-${param.recId}`]) {
      if (word !== '' && lower.includes(word.toLowerCase()) && (!best || word.length > best.length)) best = { param, length: word.length };
    }
  }
  return best?.param;
}
