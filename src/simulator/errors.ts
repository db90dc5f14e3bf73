/**
 * Every error body the simulator sends, in one place. The texts follow what ISM answers
 * (documented codes ISM_4000/4001/4004/5000 and the messages of Ivanti's API help and of live
 * tenants).
 */

export interface IsmErrorBody {
  code: string;
  description: string;
  message: string[];
  help?: string;
}

/** An answer the request handler turns into an HTTP error response. */
export class IsmError extends Error {
  readonly status: number;
  readonly body: IsmErrorBody | null;
  constructor(status: number, body: IsmErrorBody | null) {
    super(body ? body.message.join('; ') : `HTTP ${status}`);
    this.name = 'IsmError';
    this.status = status;
    this.body = body;
  }
}

export const UNAUTHORIZED_BODY: IsmErrorBody = Object.freeze({
  code: 'ISM_4001',
  description: 'Invalid session key or session timed out',
  message: ['Authentication required'],
}) as IsmErrorBody;

/** 400 ISM_4000 with one or more messages. */
export function badRequest(...messages: string[]): IsmError {
  return new IsmError(400, { code: 'ISM_4000', description: 'Invalid Request Payload', message: messages, help: '' });
}

/** 404 ISM_4004: an unknown path or business object set. */
export function notFound(): IsmError {
  return new IsmError(404, { code: 'ISM_4004', description: 'Requested resource does not exist', message: ['Invalid Path'], help: '' });
}

/** 500 ISM_5000: a failure inside the tenant (also an empty `$orderby=` or `$select=`). */
export function serverError(...messages: string[]): IsmError {
  return new IsmError(500, { code: 'ISM_5000', description: 'Internal Server Error', message: messages, help: '' });
}

export const MESSAGES = {
  emptyBody: 'Message body cannot be empty',
  invalidJson: 'Invalid Business Object.',
  invalidKey: 'Invalid key',
  emptyKey: 'Key value cannot be empty',
  recordNotFound: (id: string, object: string) => `Record '${id}' cannot be found in the business object '${object}'`,
  unknownField: (field: string, type: string) =>
    `The property '${field}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type.`,
  invalidValue: (field: string, expected: string) => `Invalid value for field ${field}: ${expected} expected.`,
  notInList: (value: string, field: string) =>
    `UndefinedValidatedValue: '${value}' is not in the validation list of validated field ${field}`,
  required: (record: string, field: string) => `${record}.NotEmpty: Required field ${field} value must be provided.`,
  roleDenied: (role: string, verb: 'create' | 'update' | 'delete', object: string) =>
    `Role ${role} does not have rights to ${verb} object ${object}.`,
  prompt: (record: string, status: string, missing: string[]) =>
    `DataLayer.PromptException: ${record}: Status '${status}' requires values for the fields: ${missing.join(', ')}`,
  closedDelete: (number: number | string) =>
    `Incident ${number} is Closed: a closed record cannot be deleted.`,
  invalidFilter: (detail: string) => `The $filter expression is invalid: ${detail}`,
  invalidTop: (raw: string) => `Invalid $top value '${raw}': $top must be an integer from 0 to 100.`,
  invalidSkip: (raw: string) => `Invalid $skip value '${raw}': $skip must be a non-negative integer.`,
  invalidOrderBy: (raw: string) => `Invalid $orderby clause '${raw}'.`,
  invalidSelect: (field: string, type: string) => `Invalid $select: could not find a property named '${field}' on type '${type}'.`,
  emptyQueryOption: (option: string) => `Object reference not set to an instance of an object. (${option})`,
  attachmentExists: (fileName: string) =>
    `Upload Failed, A file with the name '${fileName}' is already attached to this object. Please change the name.`,
  attachmentTypeRefused: (fileName: string, extension: string) =>
    `Upload Failed, The file '${fileName}' cannot be attached: the file type '.${extension}' is not allowed.`,
  attachmentThroughApi: 'Attachments are added and removed through api/rest/Attachment; they cannot be written, linked or unlinked as records.',
  attachmentNotFound: (id: string) => `Attachment for the object "${id}" not found`,
  queryParameterMissing: (name: string) => `The query parameter '${name}' is required.`,
  formFieldMissing: (field: string) => `The form field '${field}' is required.`,
  noFiles: 'No file was found in the request.',
  notMultipart: (detail: string) => `The request is not a valid multipart/form-data upload: ${detail}.`,
  baseTypeCreate: (baseType: string, subtype: string) =>
    `Cannot create a record of the base type ${baseType}: create a record of one of its subtypes, such as ${subtype}.`,
  quickActionPrompt: (record: string, action: string, missing: string[]) =>
    `DataLayer.PromptException: ${record}: Quick action '${action}' requires values for the fields: ${missing.join(', ')}`,
  quickActionUnavailable: (action: string, record: string, status: string) =>
    `Quick action '${action}' cannot run on ${record}: its status is ${status}.`,
  actionIdMissing: 'ActionId is required to run a quick action.',
  actionIdMismatch: (actionId: string, action: string, object: string) =>
    `ActionId '${actionId}' is not the action id of the quick action '${action}' of ${object}.`,
  quickActionWrongRecord: (objectId: string, key: string) =>
    `FormParams.objectId '${objectId}' is not the record '${key}' the quick action was posted to.`,
  requestKeyMissing: (key: string) => `The request body must have the key '${key}'.`,
  serviceRequestUser: (id: string) => `User '${id}' was not found.`,
  serviceRequestSubscription: (id: string) => `Subscription '${id}' was not found or is not available to this user.`,
  serviceRequestParamMissing: (param: string) => `Please provide a value for the required parameter '${param}'.`,
  serviceRequestParamInvalid: (value: string, param: string) => `The value '${value}' is not valid for the parameter '${param}'.`,
  linkCreated: 'Successfully Created the link',
  linkDeleted: 'Successfully Deleted the link',
} as const;

/** A JSON request body: undefined for none, ISM's "Invalid Business Object." for text that is not JSON. */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest(MESSAGES.invalidJson);
  }
}
