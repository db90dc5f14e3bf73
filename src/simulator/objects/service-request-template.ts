/**
 * Service request templates (`ServiceReqTemplate#`, collection `servicereqtemplates`): the
 * catalogue of offerings a customer can request, each with a name the service desk gives it.
 */

import type { ObjectDefinition } from './defined-object.js';

export const SERVICE_REQUEST_TEMPLATE: ObjectDefinition = {
  names: { set: 'servicereqtemplates', typeName: 'ServiceReqTemplate', roleObject: 'ServiceReqTemplate#', recordObject: 'servicereqtemplate' },
  seedKey: 'servicereqtemplate',
  fields: [
    ['RecId', 'string'], ['Name', 'string'], ['Description', 'string'], ['Status', 'string'], ['Status_Valid', 'string'],
    ['Category', 'string'], ['Category_Valid', 'string'], ['Service', 'string'], ['Price', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['Name', 'Description'],
  indexes: ['Name', 'Status'],
  required: [['Name', 'Name']],
  lists: {
    Status: ['Draft', 'Published (Automatic)', 'Published (Manual)', 'Retired'],
    Category: ['Access', 'Hardware', 'Software', 'Network', 'Security', 'Human Resources'],
  },
  defaults: { Status: 'Draft' },
};
