/**
 * Create Service Request: look up the template (by exact name or record ID) and the customer
 * exactly, then POST the request as ISM's plain create takes it. With parameters, the request
 * goes through ISM's service request API instead (service-request-api.ts), which applies them:
 * the template's parameters are read and every value checked first, then the request is made
 * once and read back.
 */
import type { CreateServiceRequestInput, CreateServiceRequestOutput, ServiceRequest } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { StepLogger } from '../../runtime/step-log.js';
import type { IsmClient, IsmRecord } from '../client.js';
import type { IsmConnection } from '../ism-connection.js';
import { allLookups, checkEmployeeIdentifier, cleanRecord, findEmployee, type Employee } from '../lookups.js';
import { recordPath } from '../odata.js';
import { readBackAfterWrite } from '../read-back.js';
import { findSubscription, submitRequest } from '../service-request-api.js';
import { checkParameters, matchParameters, readTemplateParams, resolveDropDowns } from '../template-parameters.js';
import { checkTemplateIdentifier, findTemplate, type Template } from '../templates.js';
import { given, requireRecord } from './fields.js';

export const createServiceRequest: ActionHandler<CreateServiceRequestInput, CreateServiceRequestOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    // The identifiers and the parameters are checked before any lookup goes to ISM.
    checkTemplateIdentifier(input.service_request_template);
    checkEmployeeIdentifier(input.customer, 'customer');
    const parameters = checkParameters(input.parameters);
    const [template, customer] = await allLookups([findTemplate(client, input.service_request_template, log), findEmployee(client, input.customer, 'customer', log)] as const);
    const fields: Record<string, unknown> = { Symptom: input.description, Status: input.status };
    const urgency = given(input.urgency);
    if (urgency !== undefined) fields.Urgency = urgency;
    const request = parameters.length > 0 ? await withParameters(client, template, customer, parameters, fields, log) : await plain(client, template, customer, fields, log);
    return { service_request: cleanRecord(request) as ServiceRequest };
  },
};

/** ISM's plain create: the template and customer linked, no parameters applied. */
async function plain(client: IsmClient, template: Template, customer: Employee, fields: Record<string, unknown>, log: StepLogger): Promise<IsmRecord> {
  log.info(`Creating a service request from the template ${template.name}.`);
  const { body: created } = await client.request('POST', 'servicereqs', log, { SvcReqTmplLink: template.recId, ProfileLink: customer.recId, ...fields });
  const request = requireRecord(created, 'the created service request');
  log.info(`Created service request ${String(request.ServiceReqNumber ?? '(number not returned)')}.`);
  return request;
}

/** Through ISM's service request API, with the template's parameters. */
async function withParameters(
  client: IsmClient,
  template: Template,
  customer: Employee,
  parameters: ReadonlyArray<[string, string]>,
  fields: Record<string, unknown>,
  log: StepLogger,
): Promise<IsmRecord> {
  const [params, subscriptionId] = await allLookups([readTemplateParams(client, template, log), findSubscription(client, template, customer, log)] as const);
  const values = await resolveDropDowns(client, matchParameters(params, parameters, template), log);
  const made = await submitRequest(client, { subscriptionId, customer, values, fields }, params, template, log);
  log.info(`Created service request ${made.number}; reading it back.`);
  const request = await readBackAfterWrite(client, recordPath('servicereqs', made.recId), `created service request ${made.number}`, 'service request', log);
  return requireRecord(request, 'the created service request');
}
