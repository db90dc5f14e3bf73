/**
 * ISM's quick actions (`POST {collection}('{RecId}')/{QuickActionName}`): the name a user gives
 * checked and mapped to the metadata's name, the ActionId found in the metadata by that exact
 * name, the request body ISM expects, and ISM's refusals (a prompt without a value, a value
 * outside a validation list) turned into errors that name the field.
 *
 * Names: ISM shows a quick action as `Close Incident`; its metadata names the bound action
 * `Close_Incident`, a space written as an underscore. So each space of the given name becomes an
 * underscore, and the result must equal a name in the metadata exactly, case included: nothing
 * is guessed. When it does not, the error lists the actions the object has (and points at one
 * that differs only in case).
 */
import { ClientError, PluginError, Presets } from '../runtime/errors.js';
import { IsmRequestError } from './client.js';
import type { BusinessObjectRef } from './business-objects.js';
import { fieldName, shownValue, textValue } from './business-objects.js';
import { isPromptException, quoteMessages, validationRefusal } from './ism-errors.js';
import type { QuickActionEntry } from './metadata.js';

/** A letter, then letters, digits, spaces and underscores, not ending in a space; at most 128. */
const ACTION_NAME = /^[A-Za-z](?:[A-Za-z0-9_ ]{0,126}[A-Za-z0-9_])?$/;

/** The metadata's name for the quick action the user named (`Close Incident` → `Close_Incident`). */
export function quickActionName(name: string): string {
  if (!ACTION_NAME.test(name)) {
    throw new ClientError(
      Presets.INVALID_INPUT,
      `'action' must be a quick action's name, such as Close Incident or Close_Incident: a letter, then letters, digits, spaces or underscores, at most 128, not ending in a space (got ${shownValue(name)}).`,
    );
  }
  return name.replace(/ /g, '_');
}

/** The metadata's entry for the name, or an error listing the quick actions the object has. */
export function findQuickAction(actions: readonly QuickActionEntry[], name: string, object: BusinessObjectRef): QuickActionEntry {
  const found = actions.find((a) => a.name === name);
  if (found) return found;
  const sameLetters = actions.find((a) => a.name.toLowerCase() === name.toLowerCase());
  const shownNames = actions.slice(0, 40).map((a) => a.name.replace(/_/g, ' '));
  throw new PluginError(Presets.NOT_FOUND, {
    cause: `${object.name} has no quick action '${name.replace(/_/g, ' ')}' (${name} in its metadata)${sameLetters ? `; names are case-sensitive, and it has '${sameLetters.name.replace(/_/g, ' ')}'` : ''}.`,
    assistance:
      actions.length === 0
        ? `ISM's metadata for ${object.name} lists no quick actions; check 'object', or run the action from ISM's own interface.`
        : `Give 'action' as one of ${object.name}'s quick actions: ${shownNames.join(', ')}${actions.length > 40 ? ', ...' : ''}.`,
  });
}

/** The prompt values, each field name checked and each value sent as text. */
export function promptValues(parameters: Record<string, unknown> | undefined): Array<[field: string, value: string]> {
  return Object.entries(parameters ?? {}).map(([field, value]) => [fieldName(field, 'parameters'), textValue(value, `parameters.${field}`)]);
}

/** `Incident` → `Incident#`; `CI#Computer` stays as it is. */
function objectType(object: BusinessObjectRef): string {
  return object.name.includes('#') ? object.name : `${object.name}#`;
}

/** ISM's quick action request, as its API help gives it. */
export function quickActionBody(action: QuickActionEntry, object: BusinessObjectRef, recId: string, prompts: ReadonlyArray<[string, string]>): Record<string, unknown> {
  const type = objectType(object);
  return {
    ActionId: action.actionId,
    ShouldSave: true,
    ActionParams: { FormParams: { actionId: action.actionId, actualObjectType: type, objectId: recId }, GridParams: null },
    PromptParams:
      prompts.length === 0
        ? null
        : prompts.map(([field, value]) => ({ __type: 'DataLayer.PromptData', FieldName: field, Value: value, PromptObjectType: type, Required: true })),
  };
}

/** The fields a DataLayer.PromptException says need values, when it lists them. */
function promptFields(messages: readonly string[]): string[] {
  for (const message of messages) {
    const listed = /requires? values? for (?:the )?(?:fields?|prompts?)\s*:?\s*([\w, ]+)/i.exec(message);
    if (listed) return listed[1]!.split(/[,\s]+/).filter((f) => /^[A-Za-z_]\w*$/.test(f) && !/^and$/i.test(f));
  }
  return [];
}

/**
 * ISM's refusal of the quick action itself, explained with the field it names; undefined for
 * any other failure (a missing record, the network), which the caller explains.
 */
export function explainPromptRefusal(err: unknown, what: string, given: ReadonlyArray<[string, string]>): PluginError | undefined {
  if (!(err instanceof IsmRequestError) || err.status !== 400) return undefined;
  if (isPromptException(err.messages)) {
    const fields = promptFields(err.messages);
    const example = `{${(fields.length > 0 ? fields : ['Field']).map((f) => `"${f}": "..."`).join(', ')}}`;
    return new PluginError(Presets.BAD_REQUEST, {
      cause:
        fields.length > 0
          ? `ISM needs a value for ${fields.map((f) => `'parameters.${f}'`).join(' and ')} to run ${what}; nothing was changed (ISM: ${quoteMessages(err.messages)}).`
          : `ISM needs more values to run ${what}; nothing was changed (ISM: ${quoteMessages(err.messages)}).`,
      assistance: `Give the values the quick action prompts for in 'parameters', such as ${example}.`,
      data: err.data,
    });
  }
  const refused = validationRefusal(err.messages);
  if (refused) {
    const input = given.find(([field]) => field.toLowerCase() === refused.field.toLowerCase())?.[0] ?? refused.field;
    return new PluginError(Presets.BAD_REQUEST, {
      cause: `'parameters.${input}' is '${refused.value}', which is not in ISM's validation list ${refused.object}.${refused.field}; ${what} was not run.`,
      assistance: `Give '${input}' a value from the tenant's validation list for ${refused.object}.${refused.field}.`,
      data: err.data,
    });
  }
  return undefined;
}
