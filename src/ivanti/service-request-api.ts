/**
 * ISM's service request API, which applies a template's parameters (a plain `POST servicereqs`
 * does not): the customer's subscription to the template (`GET api/rest/Template/{customer}/_All_`),
 * then one `POST api/rest/ServiceRequest/new`. ISM refuses such a request with HTTP 200 and
 * `IsSuccess:false`, one problem at a time; a refusal is reported naming the parameter it is
 * about. The POST is a write: never sent twice, and a failure that may have followed it says so.
 */
import { PluginError, Presets } from '../runtime/errors.js';
import type { StepLogger } from '../runtime/step-log.js';
import { IsmRequestError, mayHaveApplied, type IsmClient } from './client.js';
import { quoteMessages } from './ism-errors.js';
import type { Employee } from './lookups.js';
import { isRecId } from './odata.js';
import type { Template } from './templates.js';
import { paramNamedIn, parameterKeys, type ParamValue, type TemplateParam } from './template-parameters.js';

/** The form ISM's own analyst view submits requests with. */
const FORM_NAME = 'ServiceReq.ResponsiveAnalyst.DefaultLayout';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The id of the customer's subscription to the template; an error when the catalogue does not offer it to them. */
export async function findSubscription(client: IsmClient, template: Template, customer: Employee, log: StepLogger): Promise<string> {
  log.info(`Finding the customer's subscription to the service request template ${template.name}.`);
  const { body } = await client.request('GET', `api/rest/Template/${customer.recId}/_All_`, log, undefined, { root: 'base' });
  // A list, or (as some tenant versions answer) an object holding the list.
  const list = Array.isArray(body) ? body : isObject(body) ? Object.values(body).find(Array.isArray) : undefined;
  if (!list) throw new PluginError(Presets.INVALID_JSON, { cause: "ISM answered the list of the customer's subscriptions with something that is not a list." });
  const wanted = template.recId.toLowerCase();
  const found = list.find((s): s is Record<string, unknown> => isObject(s) && typeof s.strRecId === 'string' && s.strRecId.toLowerCase() === wanted);
  const id = found?.strSubscriptionId;
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  if (found) throw new PluginError(Presets.INVALID_JSON, { cause: `ISM listed the customer's subscription to the template ${template.name} without its id.` });
  throw new PluginError(Presets.NOT_FOUND, {
    cause: `ISM's service catalogue does not offer the template ${template.name} to the customer (the customer input): they have no subscription to it, so a request with parameters cannot be made for them.`,
    assistance: "Check the template's availability (its subscriptions) in ISM's configuration, or make the request for a customer it is offered to.",
  });
}

export interface NewRequest {
  subscriptionId: string;
  customer: Employee;
  values: readonly ParamValue[];
  /** The request's own fields (Symptom, Status, Urgency). */
  fields: Record<string, unknown>;
}

/** ISM's body for a new request: every key its documentation gives as mandatory. */
export function newRequestBody(request: NewRequest): Record<string, unknown> {
  return {
    attachmentsToDelete: [],
    attachmentsToUpload: [],
    parameters: parameterKeys(request.values),
    delayedFulfill: false,
    formName: FORM_NAME,
    saveReqState: false,
    serviceReqData: request.fields,
    strCustomerLocation: '',
    strUserId: request.customer.recId,
    subscriptionId: request.subscriptionId,
    localOffset: 0,
  };
}

/** ISM's refusal (HTTP 200, IsSuccess false) as an error naming the parameter it is about. */
function explainRefusal(err: IsmRequestError, params: readonly TemplateParam[], template: Template): PluginError {
  const text = err.messages.join(' ');
  const param = paramNamedIn(text, params);
  const said = err.messages.length > 0 ? quoteMessages(err.messages) : 'no reason given';
  return new PluginError(Presets.BAD_REQUEST, {
    cause: param
      ? `ISM refused the service request because of the template parameter ${param.name} ('${param.label}'), in the parameters input: ${said}.`
      : `ISM refused the service request from the template ${template.name}: ${said}.`,
    assistance: param
      ? `ISM made no request. Give ${param.name} a value ISM accepts in the parameters input, then run the step again.`
      : 'ISM made no request. Correct what ISM names, then run the step again.',
    data: err.data,
  });
}

/** A failure after which ISM may have made the request says so. */
function explainFailure(err: unknown): unknown {
  if (!(err instanceof IsmRequestError)) return err;
  return mayHaveApplied(err, 'ISM may have made the service request before the failure; the plugin never sends it twice. Look for it in ISM before running the step again.') ?? err;
}

/** Submits the request; answers the new request's RecId and number. */
export async function submitRequest(client: IsmClient, request: NewRequest, params: readonly TemplateParam[], template: Template, log: StepLogger): Promise<{ recId: string; number: string }> {
  log.info(`Submitting a service request from the template ${template.name} with ${request.values.length} parameter value(s).`);
  let body: unknown;
  try {
    ({ body } = await client.request('POST', 'api/rest/ServiceRequest/new', log, newRequestBody(request), { root: 'base' }));
  } catch (err) {
    if (err instanceof IsmRequestError && err.status !== undefined && err.status >= 200 && err.status < 300) throw explainRefusal(err, params, template);
    throw explainFailure(err);
  }
  const made = isObject(body) && Array.isArray(body.ServiceRequests) ? body.ServiceRequests[0] : undefined;
  const recId = isObject(made) ? made.strRequestRecId : undefined;
  if (!isRecId(recId)) {
    throw new PluginError(Presets.INVALID_JSON, {
      cause: "ISM answered the new service request as a success but without the request's RecId.",
      assistance: 'ISM probably made the request: look for it in ISM before running the step again.',
    });
  }
  return { recId, number: isObject(made) && made.strRequestNum !== undefined ? String(made.strRequestNum) : '(number not returned)' };
}
