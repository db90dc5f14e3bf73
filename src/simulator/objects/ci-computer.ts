/**
 * Computers (`CI#Computer`, collection `ci__computers`): configuration items an incident, a problem
 * or a change can be associated with. `CI#` is their base type (collection `cis`).
 */

import type { ObjectDefinition } from './defined-object.js';

export const CI_COMPUTER: ObjectDefinition = {
  names: { set: 'ci__computers', typeName: 'CI#Computer', roleObject: 'CI#Computer', recordObject: 'ci__computer' },
  seedKey: 'computer',
  fields: [
    ['RecId', 'string'], ['Name', 'string'], ['CIType', 'string'], ['Status', 'string'], ['Status_Valid', 'string'],
    ['Manufacturer', 'string'], ['Model', 'string'], ['SerialNumber', 'string'], ['AssetTag', 'string'],
    ['IPAddress', 'string'], ['MACAddress', 'string'], ['OperatingSystem', 'string'], ['Location', 'string'],
    ['Owner', 'string'], ['Owner_Valid', 'string'], ['OwnerTeam', 'string'], ['OwnerTeam_Valid', 'string'],
    ['Description', 'string'], ['LastScanDateTime', 'string'],
    ['CreatedBy', 'string'], ['CreatedDateTime', 'string'], ['LastModBy', 'string'], ['LastModDateTime', 'string'],
  ],
  searchFields: ['Name', 'SerialNumber', 'AssetTag', 'IPAddress', 'Model', 'Description'],
  indexes: ['Name', 'SerialNumber', 'IPAddress', 'Owner'],
  required: [['Name', 'Name']],
  lists: {
    Status: ['Production', 'In Stock', 'In Repair', 'Quarantined', 'Retired'],
  },
  defaults: { CIType: 'Computer', Status: 'Production' },
};
