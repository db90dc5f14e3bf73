/**
 * Create Service Request: look up the template (by exact name or record ID) and the customer
 * exactly, then POST the request as ISM's plain create takes it.
 */
import type { CreateServiceRequestInput, CreateServiceRequestOutput, ServiceRequest } from '../../generated/types.js';
import type { ActionHandler } from '../../runtime/plugin.js';
import type { IsmConnection } from '../ism-connection.js';
import { allLookups, checkEmployeeIdentifier, cleanRecord, findEmployee } from '../lookups.js';
import { checkTemplateIdentifier, findTemplate } from '../templates.js';
import { given, requireRecord } from './fields.js';

export const createServiceRequest: ActionHandler<CreateServiceRequestInput, CreateServiceRequestOutput, IsmConnection> = {
  async run(input, { connection, log, signal }) {
    const client = connection.client.forStep(signal);
    // Both identifiers are checked before either lookup goes to ISM.
    checkTemplateIdentifier(input.service_request_template);
    checkEmployeeIdentifier(input.customer, 'customer');
    const [template, customer] = await allLookups([findTemplate(client, input.service_request_template, log), findEmployee(client, input.customer, 'customer', log)] as const);
    const body: Record<string, unknown> = {
      SvcReqTmplLink: template.recId,
      ProfileLink: customer.recId,
      Symptom: input.description,
      Status: input.status,
    };
    const urgency = given(input.urgency);
    if (urgency !== undefined) body.Urgency = urgency;
    log.info(`Creating a service request from the template ${template.name}.`);
    const { body: created } = await client.request('POST', 'servicereqs', log, body);
    const request = requireRecord(created, 'the created service request');
    log.info(`Created service request ${String(request.ServiceReqNumber ?? '(number not returned)')}.`);
    return { service_request: cleanRecord(request) as ServiceRequest };
  },
};
