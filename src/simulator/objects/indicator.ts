/**
 * A custom business object, as ISM administrators build them: indicators of compromise
 * (`frs_Indicator`, collection `frs_indicators`), associated with the incidents they were seen in.
 */

import type { ObjectDefinition } from './defined-object.js';

export const INDICATOR: ObjectDefinition = {
  names: { set: 'frs_indicators', typeName: 'frs_Indicator', roleObject: 'frs_Indicator#', recordObject: 'frs_indicator' },
  seedKey: 'indicator',
  fields: [
    ['RecId', 'string'], ['IndicatorValue', 'string'], ['IndicatorType', 'string'], ['IndicatorType_Valid', 'string'],
    ['Confidence', 'string'], ['Confidence_Valid', 'string'], ['Status', 'string'], ['Status_Valid', 'string'],
    ['Source', 'string'], ['Description', 'string'], ['Hits', 'integer'], ['IsBlocked', 'boolean'],
    ['FirstSeenDateTime', 'string'], ['LastSeenDateTime', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['IndicatorValue', 'Description', 'Source'],
  indexes: ['IndicatorValue', 'IndicatorType'],
  required: [['IndicatorValue', 'Value'], ['IndicatorType', 'Type']],
  lists: {
    IndicatorType: ['IP Address', 'Domain', 'URL', 'File Hash', 'Email Address'],
    Confidence: ['Low', 'Medium', 'High'],
    Status: ['Active', 'Expired', 'False Positive'],
  },
  defaults: { Status: 'Active', Confidence: 'Medium' },
};
