/**
 * The optional allow-list of tenant hosts: a plugin server set up for some tenants refuses a
 * connection to any other host before anything is sent there, so that it cannot be used to reach
 * whatever URL a message names. Entries are host names (any case), `*.example.com` for any
 * subdomain, IP addresses (`[::1]` for IPv6), each optionally with `:port` (then only that port).
 */

interface Entry {
  /** Lower case; for a wildcard, the suffix after `*.`. */
  host: string;
  wildcard: boolean;
  port?: string;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function invalid(entry: string, why: string): Error {
  return new Error(`'${entry.slice(0, 80)}' is not usable in the allowed tenant hosts: ${why}`);
}

function parseEntry(raw: string): Entry {
  const entry = raw.trim().toLowerCase();
  if (entry.includes('/') || entry.includes('@')) throw invalid(raw, 'give a host name, such as ism.example.com, not a URL');
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(entry);
  if (!match) throw invalid(raw, 'give a host name, such as ism.example.com, optionally with :port');
  const [, name, port] = match as unknown as [string, string, string | undefined];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw invalid(raw, 'a port is from 1 to 65535');
  const wildcard = name.startsWith('*.');
  const host = wildcard ? name.slice(2) : name;
  if (name.startsWith('[')) {
    // An IPv6 address, as URL.hostname writes it.
    return { host: new URL(`http://${name}`).hostname, wildcard: false, ...(port ? { port } : {}) };
  }
  if (!HOST_NAME.test(host)) throw invalid(raw, 'it is not a host name');
  if (wildcard && !host.includes('.')) throw invalid(raw, 'a wildcard needs a domain of two labels at least, such as *.example.com');
  return { host, wildcard, ...(port ? { port } : {}) };
}

export interface AllowedHosts {
  /** Whether a connection to this URL may be made. */
  allows(url: URL): boolean;
  readonly size: number;
}

/** Parses a comma-separated list; throws an Error saying which entry is wrong. */
export function parseAllowedHosts(text: string): AllowedHosts {
  const raw = text.split(',').filter((entry) => entry.trim() !== '');
  if (raw.length === 0) throw new Error('the allowed tenant hosts are empty: give at least one host name, such as ism.example.com');
  const entries = raw.map(parseEntry);
  return {
    size: entries.length,
    allows(url: URL): boolean {
      const host = url.hostname.toLowerCase();
      const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
      return entries.some(
        (e) => (e.port === undefined || e.port === port) && (e.wildcard ? host.endsWith(`.${e.host}`) : host === e.host),
      );
    },
  };
}
