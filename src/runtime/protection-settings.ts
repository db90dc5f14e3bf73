/**
 * The `http` command's opt-in protections, read from its flags and environment: the API token
 * (PLUGIN_API_TOKEN, or a file holding it: --api-token-file / PLUGIN_API_TOKEN_FILE; never a
 * flag, which any user of the machine could read in the process list) and the allowed tenant
 * hosts (--allowed-hosts / PLUGIN_ALLOWED_HOSTS). A bad value throws an Error naming the setting.
 */
import { readFileSync } from 'node:fs';
import { parseAllowedHosts, type AllowedHosts } from './allowed-hosts.js';

export interface Protections {
  apiToken?: string;
  allowedHosts?: AllowedHosts;
}

/** Shorter tokens are guessable; a long random one (`openssl rand -hex 32`) is what to use. */
const MIN_TOKEN = 16;

function checkToken(token: string, setting: string): string {
  if (token.length < MIN_TOKEN) throw new Error(`${setting} must be at least ${MIN_TOKEN} characters long (use a long random value, such as the output of openssl rand -hex 32)`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new Error(`${setting} must be printable ASCII without spaces: it travels in an Authorization header`);
  return token;
}

function tokenFrom(flagFile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const given = env.PLUGIN_API_TOKEN === '' ? undefined : env.PLUGIN_API_TOKEN;
  const file = flagFile ?? (env.PLUGIN_API_TOKEN_FILE === '' ? undefined : env.PLUGIN_API_TOKEN_FILE);
  const fileSetting = flagFile !== undefined ? '--api-token-file' : 'PLUGIN_API_TOKEN_FILE';
  if (given !== undefined && file !== undefined) throw new Error(`PLUGIN_API_TOKEN and ${fileSetting} are both set: give the API token once`);
  if (given !== undefined) return checkToken(given, 'PLUGIN_API_TOKEN');
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${fileSetting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // A file written by `echo` or an editor ends with a line break, which is not part of the token.
  return checkToken(text.replace(/\r?\n$/, ''), `The API token in ${fileSetting}`);
}

function hostsFrom(flag: string | undefined, env: NodeJS.ProcessEnv): AllowedHosts | undefined {
  const [text, setting] = flag !== undefined ? [flag, '--allowed-hosts'] : [env.PLUGIN_ALLOWED_HOSTS, 'PLUGIN_ALLOWED_HOSTS'];
  if (text === undefined || (text === '' && flag === undefined)) return undefined;
  try {
    return parseAllowedHosts(text);
  } catch (err) {
    throw new Error(`${setting}: ${(err as Error).message}`);
  }
}

export function protectionsFrom(flags: { apiTokenFile?: string; allowedHosts?: string }, env: NodeJS.ProcessEnv): Protections {
  const apiToken = tokenFrom(flags.apiTokenFile, env);
  const allowedHosts = hostsFrom(flags.allowedHosts, env);
  return { ...(apiToken !== undefined ? { apiToken } : {}), ...(allowedHosts ? { allowedHosts } : {}) };
}
