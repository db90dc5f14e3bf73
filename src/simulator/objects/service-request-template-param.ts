/**
 * Service request template parameters (`ServiceReqTemplateParam#`, collection
 * `ServiceReqTemplateParams`): the questions a template asks, each a child of its template
 * (`ParentLink_RecID`). `RequiredExpression` `$(true)` makes one required. A drop-down
 * (`DisplayType` `dropdown`) picks a record of another business object (`ValidationObject`) by
 * one of its fields (`ValidationField`); ISM then wants the value and that record's RecId.
 */

import type { ObjectDefinition } from './defined-object.js';

export const SERVICE_REQUEST_TEMPLATE_PARAM: ObjectDefinition = {
  names: { set: 'servicereqtemplateparams', typeName: 'ServiceReqTemplateParam', roleObject: 'ServiceReqTemplateParam#', recordObject: 'servicereqtemplateparam' },
  seedKey: 'servicereqtemplateparam',
  fields: [
    ['RecId', 'string'], ['Name', 'string'], ['DisplayName', 'string'], ['DisplayType', 'string'], ['RequiredExpression', 'string'],
    ['DefaultValue', 'string'], ['SortOrder', 'integer'], ['ValidationObject', 'string'], ['ValidationField', 'string'],
    ['ParentLink', 'string'], ['ParentLink_RecID', 'string'], ['ParentLink_Category', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['Name', 'DisplayName'],
  indexes: ['Name'],
  required: [['Name', 'Name'], ['ParentLink_RecID', 'ParentLink']],
  lists: {},
  defaults: { DisplayType: 'text', RequiredExpression: '$(false)', SortOrder: 0 },
  parents: ['ServiceReqTemplate'],
};
