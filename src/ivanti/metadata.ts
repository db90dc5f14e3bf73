/**
 * A collection's schema (`{base}/api/odata/{collection}/$metadata`, CSDL XML; ISM refuses JSON):
 * the relationships it lists (navigation properties) and its quick actions (bound actions whose
 * `ActionId` parameter carries the action's GUID as its default value). Read only what is needed,
 * by attribute, in whatever order the attributes come.
 */
import type { StepLogger } from '../runtime/step-log.js';
import type { IsmClient } from './client.js';
import type { BusinessObjectRef } from './business-objects.js';

/** A quick action as the metadata announces it. */
export interface QuickActionEntry {
  /** `Close_Incident` */
  name: string;
  actionId: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|amp|lt|gt|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return ENTITIES[entity] as string;
  });
}

/** The value of an attribute in a tag's text, unescaped; undefined when absent. */
function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? unescapeXml(match[1] ?? match[2] ?? '') : undefined;
}

/** Reads the metadata of an object's collection; rejects as the client does (a 404 for an unknown collection). */
export async function readMetadata(client: IsmClient, object: BusinessObjectRef, log: StepLogger): Promise<string> {
  const { body } = await client.request('GET', `api/odata/${object.collection}/$metadata`, log, undefined, { root: 'base', text: true });
  return String(body ?? '');
}

/** The relationship names the metadata lists (its navigation properties), in order. */
export function navigationProperties(xml: string): string[] {
  return [...xml.matchAll(/<NavigationProperty\b[^>]*>/g)].map((m) => attribute(m[0], 'Name')).filter((n): n is string => n !== undefined);
}

/** The quick actions the metadata lists, in order; an action without an ActionId default is left out. */
export function quickActions(xml: string): QuickActionEntry[] {
  const found: QuickActionEntry[] = [];
  for (const match of xml.matchAll(/<Action\b([^>]*?)>([\s\S]*?)<\/Action\s*>/g)) {
    const name = attribute(match[1] as string, 'Name');
    const parameter = [...(match[2] as string).matchAll(/<Parameter\b[^>]*>/g)].map((p) => p[0]).find((p) => attribute(p, 'Name') === 'ActionId');
    const actionId = parameter === undefined ? undefined : attribute(parameter, 'DefaultValue');
    if (name !== undefined && actionId !== undefined && actionId.trim() !== '') found.push({ name, actionId: actionId.trim() });
  }
  return found;
}
