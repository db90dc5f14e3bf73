/**
 * Service requests (`ServiceReq#`, collection `servicereqs`): a customer's request made from a
 * template. A plain create links the template (`SvcReqTmplLink`) and the customer
 * (`ProfileLink`) by RecId, both checked, and numbers the request from its own counter; it does
 * not apply the template's parameters (ISM does that only through its service request API).
 */

import type { ObjectDefinition } from './defined-object.js';
import { SERVICE_REQUEST_FIELDS } from './service-request-fields.js';

export const SERVICE_REQUEST: ObjectDefinition = {
  names: { set: 'servicereqs', typeName: 'ServiceReq', roleObject: 'ServiceReq#', recordObject: 'servicereq' },
  seedKey: 'servicereq',
  fields: SERVICE_REQUEST_FIELDS,
  searchFields: ['Subject', 'Symptom', 'ServiceReqNumber'],
  indexes: ['Owner', 'Status', 'ProfileLink', 'SvcReqTmplLink'],
  required: [['SvcReqTmplLink', 'Template'], ['ProfileLink', 'Customer']],
  lists: {
    Status: ['Draft', 'Submitted', 'Approved', 'In Procurement', 'Approval Rejected', 'Waiting for Customer', 'Waiting for 3rd Party', 'Fulfilled', 'Closed', 'Cancelled'],
    Urgency: ['Low', 'Medium', 'High'],
    Source: ['Email', 'Phone', 'Self Service', 'Web'],
    Service: ['Email Service', 'Network Service', 'Security Service', 'Workplace Service'],
  },
  number: { field: 'ServiceReqNumber', first: 20001 },
  defaults: { Status: 'Submitted', Urgency: 'Medium', Source: 'Self Service', IsNewRecord: false, IsDraft: false },
  statusNeeds: { Fulfilled: ['Resolution'], Closed: ['Resolution'] },
  links: [
    { field: 'SvcReqTmplLink', object: 'ServiceReqTemplate', copy: {} },
    { field: 'ProfileLink', object: 'Employee', copy: { DisplayName: 'ProfileFullName', PrimaryEmail: 'Email', LoginID: 'ProfileLoginId' } },
  ],
  derived: ['ProfileFullName', 'Email', 'ProfileLoginId', 'IsDraft', 'IsInFinalState'],
  derive(record) {
    record.IsDraft = record.Status === 'Draft';
    record.IsInFinalState = ['Fulfilled', 'Closed', 'Cancelled', 'Approval Rejected'].includes(String(record.Status));
  },
};
