/**
 * Reading ISM request paths: `{prefix}/api/odata/businessobject/{set}`, `{set}('{key}')`,
 * `{set}('{key}')/{Navigation}` and `{set}('{key}')/{Navigation}('{key}')/$Ref`; a collection's
 * schema, `{prefix}/api/odata/{set}/$metadata`; and the REST resources outside OData:
 * `{prefix}/api/rest/Attachment`, `{prefix}/api/rest/Template/{customerRecId}/_All_` and
 * `{prefix}/api/rest/ServiceRequest/new`.
 */

export type Prefix = '/HEAT' | '';

export type KeyProblem = 'invalid' | 'empty';

/** Resources of `{prefix}/api/rest/...` the tenant serves. */
export type RestResource = 'attachment' | 'template' | 'servicerequest';

export interface ApiRoute {
  prefix: Prefix;
  /** False when the path is under `{prefix}/api/` but is not a business object path (or REST resource) we know. */
  wellFormed: boolean;
  /** The REST resource (any casing), or null for a business object path. The customer of `Template/{customer}/_All_` is the `key`. */
  resource: RestResource | null;
  /** The set name as written. */
  setName: string | null;
  /** The path asks for the set's schema (`{prefix}/api/odata/{set}/$metadata`). */
  metadata: boolean;
  key: string | null;
  keyProblem: KeyProblem | null;
  navigation: string | null;
  navigationKey: string | null;
  navigationKeyProblem: KeyProblem | null;
  ref: boolean;
}

const BUSINESS_OBJECT = 'odata/businessobject/';

interface Segment {
  name: string;
  key: string | null;
  keyProblem: KeyProblem | null;
  end: number;
}

/** Reads `name` or `name('key')` at `start`; null when the text is not of that shape. */
function readSegment(path: string, start: number): Segment | null {
  let i = start;
  while (i < path.length && path[i] !== '(' && path[i] !== '/') i++;
  const name = path.slice(start, i);
  if (name === '') return null;
  if (path[i] !== '(') return { name, key: null, keyProblem: null, end: i };
  i++;
  if (path[i] === "'") {
    let key = '';
    i++;
    for (;;) {
      if (i >= path.length) return { name, key: null, keyProblem: 'invalid', end: path.length };
      const c = path[i] as string;
      if (c === "'") {
        if (path[i + 1] === "'") {
          key += "'";
          i += 2;
          continue;
        }
        i++;
        break;
      }
      key += c;
      i++;
    }
    if (path[i] !== ')') return { name, key: null, keyProblem: 'invalid', end: skipPast(path, i) };
    return { name, key, keyProblem: key.trim() === '' ? 'empty' : null, end: i + 1 };
  }
  const close = path.indexOf(')', i);
  if (close < 0) return { name, key: null, keyProblem: 'invalid', end: path.length };
  return { name, key: null, keyProblem: path.slice(i, close).trim() === '' ? 'empty' : 'invalid', end: close + 1 };
}

function skipPast(path: string, from: number): number {
  const close = path.indexOf(')', from);
  return close < 0 ? path.length : close + 1;
}

/**
 * Reads a request path (not yet decoded). Returns null for paths outside the enabled prefixes'
 * `/api/` (a plain 404 without authentication).
 */
export function parseApiPath(rawPath: string, prefixes: readonly Prefix[]): ApiRoute | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const lower = path.toLowerCase();
  let prefix: Prefix | undefined;
  for (const p of prefixes) {
    if (lower.startsWith(`${p.toLowerCase()}/api/`)) {
      prefix = p;
      break;
    }
  }
  if (prefix === undefined) return null;
  const route: ApiRoute = {
    prefix,
    wellFormed: false,
    resource: null,
    setName: null,
    metadata: false,
    key: null,
    keyProblem: null,
    navigation: null,
    navigationKey: null,
    navigationKeyProblem: null,
    ref: false,
  };
  let at = prefix.length + '/api/'.length;
  if (/^rest\/attachment\/?$/.test(lower.slice(at))) {
    route.resource = 'attachment';
    route.wellFormed = true;
    return route;
  }
  const template = /^rest\/template\/([^/]+)\/_all_\/?$/i.exec(path.slice(at));
  if (template) {
    route.resource = 'template';
    route.key = template[1] as string;
    route.wellFormed = true;
    return route;
  }
  if (/^rest\/servicerequest\/new\/?$/.test(lower.slice(at))) {
    route.resource = 'servicerequest';
    route.wellFormed = true;
    return route;
  }
  const metadata = /^odata\/([^/()']+)\/\$metadata\/?$/i.exec(path.slice(at));
  if (metadata && metadata[1]?.toLowerCase() !== 'businessobject') {
    route.setName = metadata[1] as string;
    route.metadata = true;
    route.wellFormed = true;
    return route;
  }
  if (!lower.startsWith(BUSINESS_OBJECT, at)) return route;
  at += BUSINESS_OBJECT.length;

  const first = readSegment(path, at);
  if (!first) return route;
  route.setName = first.name;
  route.key = first.key;
  route.keyProblem = first.keyProblem;
  at = first.end;

  if (path[at] === '/' && at + 1 < path.length) {
    if (first.key === null && first.keyProblem === null) return route;
    const nav = readSegment(path, at + 1);
    if (!nav) return route;
    route.navigation = nav.name;
    route.navigationKey = nav.key;
    route.navigationKeyProblem = nav.keyProblem;
    at = nav.end;
    if (path[at] === '/' && path.slice(at + 1).replace(/\/$/, '').toLowerCase() === '$ref') {
      route.ref = true;
      at = path.length;
    }
  }
  if (path[at] === '/' && at === path.length - 1) at++;
  route.wellFormed = at === path.length;
  return route;
}
