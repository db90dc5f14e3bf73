/** API keys: `Authorization: rest_api_key=<key>`, and the role and user each key acts as. */

export interface KeyGrant {
  role: string;
  /** The login the key acts as (CreatedBy, LastModBy). */
  user: string;
  canWrite: boolean;
}

const AUTH_PREFIX = 'rest_api_key=';

/** The grant of the key an Authorization header carries, or undefined for a missing or unknown key. */
export function grantOf(header: string | undefined, keys: ReadonlyMap<string, KeyGrant>): KeyGrant | undefined {
  return header !== undefined && header.startsWith(AUTH_PREFIX) ? keys.get(header.slice(AUTH_PREFIX.length)) : undefined;
}

/** What the request journal keeps of an Authorization header: never the key itself. */
export function authorizationSeen(header: string, keys: ReadonlyMap<string, KeyGrant>): 'present/valid' | 'present/invalid' {
  return grantOf(header, keys) ? 'present/valid' : 'present/invalid';
}
