/**
 * ISM's service request API, the one way to make a request that carries its template's
 * parameters (a plain `POST servicereqs` applies none):
 *
 * - `GET {prefix}/api/rest/Template/{customerRecId}/_All_` lists the templates the customer is
 *   subscribed to: `[{"strSubscriptionId","strRecId","strName"}]`. Here every published template
 *   has one subscription, open to every employee; a retired template has none; an unknown
 *   customer has no subscriptions.
 * - `POST {prefix}/api/rest/ServiceRequest/new` with every documented key present (else a 400
 *   naming the missing ones). ISM's refusals of the request itself come with HTTP 200 and
 *   `{"IsSuccess":false,"ErrorText":...}`, one problem at a time, in this order: the customer
 *   (`strUserId`), the subscription, each required parameter (`par-<param RecId>`, in the
 *   template's order; see isRequired), each drop-down value with the RecId of the record it picks
 *   (`par-<id>-recId`), then the request's own fields (`serviceReqData`). Parameter ids
 *   match without regard to case; parameters the template does not ask are ignored. A success
 *   creates the request from the template for the customer and answers
 *   `{"IsSuccess":true,"ErrorText":"","ServiceRequests":[{"strRequestRecId","strRequestNum",...}]}`.
 */

import { createHash } from 'node:crypto';
import { json, methodNotAllowed, type Answer } from './answers.js';
import { badRequest, IsmError, MESSAGES } from './errors.js';
import type { KeyGrant } from './keys.js';
import type { TenantStore } from './store.js';
import type { StoredRow } from './table.js';

/** The keys ISM's documentation gives as mandatory in a new service request's body. */
export const NEW_REQUEST_KEYS = [
  'attachmentsToDelete', 'attachmentsToUpload', 'parameters', 'delayedFulfill', 'formName', 'saveReqState',
  'serviceReqData', 'strCustomerLocation', 'strUserId', 'subscriptionId', 'localOffset',
] as const;

const TEMPLATES = 'servicereqtemplates';
const PARAMS = 'servicereqtemplateparams';
const REQUESTS = 'servicereqs';

const published = (template: StoredRow): boolean => String(template.data.Status ?? '').startsWith('Published');

/** A template's one subscription id: stable for the template, and never its RecId. */
export function subscriptionIdOf(templateRecId: string): string {
  return createHash('sha256').update(`subscription:${templateRecId.toUpperCase()}`).digest('hex').slice(0, 32).toUpperCase();
}

function subscriptions(store: TenantStore, customerRecId: string): Answer {
  if (!store.employeeByRecId(customerRecId)) return json(200, []);
  const templates = store.object(TEMPLATES)?.table.inCreationOrder().filter(published) ?? [];
  return json(200, templates.map((t) => ({ strSubscriptionId: subscriptionIdOf(String(t.data.RecId)), strRecId: t.data.RecId, strName: t.data.Name })));
}

const refused = (errorText: string): Answer => json(200, { IsSuccess: false, ErrorText: errorText, ServiceRequests: [] });

const text = (value: unknown): string => (value === null || value === undefined || typeof value === 'object' ? '' : String(value).trim());

/** The template's parameters in the order it asks them. */
function templateParams(store: TenantStore, templateRecId: string): StoredRow[] {
  const params = store.object(PARAMS)?.table.lookup('ParentLink_RecID', templateRecId) ?? [];
  return [...params].sort((a, b) => Number(a.data.SortOrder ?? 0) - Number(b.data.SortOrder ?? 0) || a.seq - b.seq);
}

/**
 * Whether a parameter's RequiredExpression makes it required: `$(true)`, or a comparison with
 * another parameter's value, `$(OtherName == 'text')` (ignoring case), which makes it required only
 * when that parameter has that value. Anything else leaves it optional.
 */
function isRequired(expression: string, valueNamed: (name: string) => string): boolean {
  if (expression.toLowerCase() === '$(true)') return true;
  const comparison = /^\$\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*==\s*'([^']*)'\s*\)$/.exec(expression);
  return comparison !== null && valueNamed(comparison[1]!).toLowerCase() === comparison[2]!.toLowerCase();
}

/** Whether the record `recId` of the drop-down's object has `value` in the drop-down's field. */
function picks(store: TenantStore, param: StoredRow, value: string, recId: string): boolean {
  const objectName = text(param.data.ValidationObject);
  const row = objectName === '' || recId === '' ? undefined : store.objectNamed(objectName)?.table.get(recId);
  if (!row) return false;
  const field = text(param.data.ValidationField) || 'RecId';
  return text(row.data[field]).toLowerCase() === value.toLowerCase();
}

function createRequest(store: TenantStore, body: unknown, grant: KeyGrant): Answer {
  if (body === undefined) throw badRequest(MESSAGES.emptyBody);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(MESSAGES.invalidJson);
  const request = body as Record<string, unknown>;
  const missing = NEW_REQUEST_KEYS.filter((key) => !(key in request));
  if (missing.length > 0) throw badRequest(...missing.map((key) => MESSAGES.requestKeyMissing(key)));
  if (!grant.canWrite) throw badRequest(MESSAGES.roleDenied(grant.role, 'create', 'ServiceReq'));

  const customer = store.employeeByRecId(text(request.strUserId));
  if (!customer) return refused(MESSAGES.serviceRequestUser(text(request.strUserId)));
  const subscription = text(request.subscriptionId).toUpperCase();
  const template = store.object(TEMPLATES)?.table.inCreationOrder().find((t) => published(t) && subscriptionIdOf(String(t.data.RecId)) === subscription);
  if (!template) return refused(MESSAGES.serviceRequestSubscription(text(request.subscriptionId)));

  const given = new Map<string, unknown>();
  if (typeof request.parameters === 'object' && request.parameters !== null && !Array.isArray(request.parameters)) {
    for (const [key, value] of Object.entries(request.parameters)) if (!given.has(key.toLowerCase())) given.set(key.toLowerCase(), value);
  }
  const params = templateParams(store, String(template.data.RecId));
  const valueOf = (param: StoredRow): string => text(given.get(`par-${String(param.data.RecId).toLowerCase()}`));
  const label = (param: StoredRow): string => text(param.data.DisplayName) || text(param.data.Name);
  const valueNamed = (name: string): string => {
    const other = params.find((p) => text(p.data.Name).toLowerCase() === name.toLowerCase());
    return other ? valueOf(other) : '';
  };
  for (const param of params) {
    if (isRequired(text(param.data.RequiredExpression), valueNamed) && valueOf(param) === '') return refused(MESSAGES.serviceRequestParamMissing(label(param)));
  }
  for (const param of params) {
    const value = valueOf(param);
    if (value === '' || text(param.data.ValidationObject) === '') continue;
    const recId = text(given.get(`par-${String(param.data.RecId).toLowerCase()}-recid`));
    if (!picks(store, param, value, recId)) return refused(MESSAGES.serviceRequestParamInvalid(value, label(param)));
  }

  const data = typeof request.serviceReqData === 'object' && request.serviceReqData !== null ? request.serviceReqData : {};
  let created: StoredRow;
  try {
    created = store.object(REQUESTS)!.create({ ...data, SvcReqTmplLink: template.data.RecId, ProfileLink: customer.data.RecId }, { user: grant.user });
  } catch (err) {
    if (err instanceof IsmError) return refused(err.body?.message.join(' ') ?? 'The service request could not be saved.');
    throw err;
  }
  return json(200, {
    IsSuccess: true,
    ErrorText: '',
    ServiceRequests: [{ strRequestRecId: created.data.RecId, strRequestNum: String(created.data.ServiceReqNumber), strSubscriptionId: subscriptionIdOf(String(template.data.RecId)), strName: template.data.Name }],
  }, true);
}

/** `GET Template/{customer}/_All_` (customer in `key`) or `POST ServiceRequest/new`. */
export function answerServiceRequestApi(store: TenantStore, resource: 'template' | 'servicerequest', method: string, key: string | null, body: () => unknown, grant: KeyGrant): Answer {
  if (resource === 'template') return method === 'GET' ? subscriptions(store, key ?? '') : methodNotAllowed(method);
  return method === 'POST' ? createRequest(store, body(), grant) : methodNotAllowed(method);
}
