/**
 * Running a quick action: `POST {set}('{RecId}')/{QuickActionName}` with ISM's body
 * `{"ActionId":"<guid>","ShouldSave":true,"ActionParams":{"FormParams":{"actionId",
 * "actualObjectType","objectId"},"GridParams":null},"PromptParams":[{"__type":
 * "DataLayer.PromptData","FieldName":"CauseCode","Value":"...",...}] | null}`.
 *
 * What this tenant checks, in order: a JSON object body; an ActionId, which must be the one the
 * metadata gives for this action (the URL's name and the body's id must agree); a
 * FormParams.objectId, when given, naming the record of the URL; every required prompt given a
 * value (else ISM's DataLayer.PromptException, naming all the missing fields); each value of a
 * validated prompt in its list (else UndefinedValidatedValue). Prompt field names match without
 * regard to case, and values of fields the action does not prompt for are ignored. Then the
 * action runs; with `ShouldSave: false` the request is checked the same way, nothing is saved,
 * and the answer is empty.
 */

import { badRequest, MESSAGES } from './errors.js';
import type { Actor, QuickAction } from './objects/business-object.js';
import type { StoredRow } from './table.js';
import type { ValidationLists } from './validation-lists.js';

interface PromptParam {
  FieldName?: unknown;
  Value?: unknown;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw badRequest(MESSAGES.emptyBody);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(MESSAGES.invalidJson);
  return body as Record<string, unknown>;
}

/** The prompt values sent, by lower-cased field name (the first of a repeated field wins); blank values count as not sent. */
function sentValues(params: unknown): Map<string, string> {
  const values = new Map<string, string>();
  if (!Array.isArray(params)) return values;
  for (const param of params as PromptParam[]) {
    if (typeof param !== 'object' || param === null || typeof param.FieldName !== 'string') continue;
    const key = param.FieldName.toLowerCase();
    const value = param.Value;
    if (values.has(key) || value === null || value === undefined || typeof value === 'object') continue;
    const text = String(value);
    if (text.trim() !== '') values.set(key, text);
  }
  return values;
}

/**
 * Checks a quick action request and runs it on `row`; returns what the action answers with
 * (a record, or undefined for ISM's empty 200). Throws IsmError for a request ISM refuses.
 * `recordName` names the record in messages (`Incident 10001`), `objectName` the object (`Incident#`).
 */
export function runQuickAction(
  action: QuickAction,
  row: StoredRow,
  body: unknown,
  context: { actor: Actor; lists: ValidationLists; recordName: string; objectName: string },
): { answer: StoredRow | undefined; applied: boolean } {
  const request = objectBody(body);
  const actionId = request.ActionId;
  if (typeof actionId !== 'string' || actionId.trim() === '') throw badRequest(MESSAGES.actionIdMissing);
  if (actionId.trim().toLowerCase() !== action.actionId.toLowerCase()) throw badRequest(MESSAGES.actionIdMismatch(actionId, action.name, context.objectName));
  const form = (request.ActionParams as { FormParams?: { objectId?: unknown } } | null | undefined)?.FormParams;
  const key = String(row.data.RecId);
  if (typeof form?.objectId === 'string' && form.objectId.toUpperCase() !== key.toUpperCase()) throw badRequest(MESSAGES.quickActionWrongRecord(form.objectId, key));

  const display = action.name.replace(/_/g, ' ');
  const sent = sentValues(request.PromptParams);
  const prompts = action.prompts ?? [];
  const missing = prompts.filter((p) => p.required && !sent.has(p.field.toLowerCase())).map((p) => p.field);
  if (missing.length > 0) throw badRequest(MESSAGES.quickActionPrompt(context.recordName, display, missing));
  const values = new Map<string, string>();
  const invalid: string[] = [];
  for (const prompt of prompts) {
    const value = sent.get(prompt.field.toLowerCase());
    if (value === undefined) continue;
    const canonical = prompt.list === undefined ? value : context.lists.value(prompt.list, value);
    if (canonical === undefined) invalid.push(MESSAGES.notInList(value, prompt.list as string));
    else values.set(prompt.field, canonical);
  }
  if (invalid.length > 0) throw badRequest(...invalid);
  if (request.ShouldSave === false) return { answer: undefined, applied: false };
  return { answer: action.run(row, values, context.actor), applied: true };
}
