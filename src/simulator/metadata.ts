/**
 * A collection's schema as ISM serves it at `{prefix}/api/odata/{set}/$metadata`: CSDL XML (never
 * JSON) with the object's entity type (RecId as key, every field with its type), its navigation
 * properties (the relationships that start from it) and its quick actions, each a bound action
 * whose `ActionId` parameter carries the action's GUID as its default value.
 */

import type { BusinessObject } from './objects/business-object.js';
import type { Relationship } from './relationships.js';

const NAMESPACE = 'HEAT.Services.OData';

const EDM_TYPES: Readonly<Record<string, string>> = {
  string: 'Edm.String',
  integer: 'Edm.Int32',
  boolean: 'Edm.Boolean',
  datetime: 'Edm.DateTimeOffset',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** `CI#Computer` → `CI__Computer`: the entity type's name (CSDL names have no `#`). */
export function entityTypeName(object: BusinessObject): string {
  return object.schema.typeName.replace(/#$/, '').replace(/#/g, '__');
}

export function renderMetadata(object: BusinessObject, relationships: readonly Relationship[]): string {
  const type = entityTypeName(object);
  const qualified = `${NAMESPACE}.${type}`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    `    <Schema Namespace="${NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    `      <EntityType Name="${escapeXml(type)}">`,
    '        <Key><PropertyRef Name="RecId"/></Key>',
  ];
  for (const field of object.schema.fields) {
    const nullable = field === 'RecId' ? ' Nullable="false"' : '';
    lines.push(`        <Property Name="${escapeXml(field)}" Type="${EDM_TYPES[object.schema.typeOf(field)] ?? 'Edm.String'}"${nullable}/>`);
  }
  for (const relationship of relationships) {
    lines.push(`        <NavigationProperty Name="${escapeXml(relationship.name)}" Type="Collection(${NAMESPACE}.${escapeXml(entityTypeName(relationship.to))})"/>`);
  }
  lines.push('      </EntityType>');
  for (const action of object.quickActions ?? []) {
    lines.push(
      `      <Action Name="${escapeXml(action.name)}" IsBound="true">`,
      `        <Parameter Name="bindingParameter" Type="${escapeXml(qualified)}"/>`,
      `        <Parameter Name="ActionId" Type="Edm.String" DefaultValue="${escapeXml(action.actionId)}"/>`,
      '      </Action>',
    );
  }
  lines.push(
    '      <EntityContainer Name="Container">',
    `        <EntitySet Name="${escapeXml(object.schema.set)}" EntityType="${escapeXml(qualified)}"/>`,
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  );
  return lines.join('\n');
}
