// The CSDL document of one collection: quick actions carry their ActionId as a default value, and
// names are escaped as XML.
import t from 'tap';
import { renderMetadata } from '../../src/simulator/metadata.js';
import type { BusinessObject } from '../../src/simulator/objects/business-object.js';
import { FieldCatalogue } from '../../src/simulator/schema.js';
import { Table } from '../../src/simulator/table.js';

const object: BusinessObject = {
  schema: new FieldCatalogue({ set: 'frs_probes', typeName: 'frs_Probe', roleObject: 'frs_Probe#', recordObject: 'frs_probe' }, [['RecId', 'string'], ['Score', 'integer'], ['Seen', 'boolean']], []),
  table: new Table(['RecId']),
  writable: true,
  create: () => {
    throw new Error('unused');
  },
  update: () => undefined,
  checkDelete: () => undefined,
  quickActions: [
    { name: 'Close_Probe', actionId: '5d3b8f3c-0c8e-4c5e-9e0f-2f1a6b7c8d9e', run: () => undefined },
    { name: 'A&B', actionId: '"<x>"', run: () => undefined },
  ],
};

t.test('quick actions are bound actions whose ActionId parameter defaults to the GUID', async (t) => {
  const xml = renderMetadata(object, []);
  t.match(xml, '<Property Name="RecId" Type="Edm.String" Nullable="false"/>');
  t.match(xml, '<Property Name="Score" Type="Edm.Int32"/>');
  t.match(xml, '<Property Name="Seen" Type="Edm.Boolean"/>');
  t.match(xml, [
    '      <Action Name="Close_Probe" IsBound="true">',
    '        <Parameter Name="bindingParameter" Type="HEAT.Services.OData.frs_Probe"/>',
    '        <Parameter Name="ActionId" Type="Edm.String" DefaultValue="5d3b8f3c-0c8e-4c5e-9e0f-2f1a6b7c8d9e"/>',
    '      </Action>',
  ].join('\n'));
  t.match(xml, '<Action Name="A&amp;B" IsBound="true">');
  t.match(xml, 'DefaultValue="&quot;&lt;x&gt;&quot;"');
  t.notMatch(xml, /<NavigationProperty/);
});
