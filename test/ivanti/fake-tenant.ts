/** A small HTTP server standing in for a tenant that answers differently from the simulator. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tenant {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * A tenant whose every answer `handle` gives, at /HEAT/api/odata/businessobject/... (the path
 * below it is what `handle` sees) and /HEAT/api/rest/... (seen as `/api/rest/...`).
 */
export async function tenant(handle: (path: string, query: URLSearchParams, req: IncomingMessage, body: string) => [number, unknown]): Promise<Tenant> {
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname).replace(/^\/HEAT\/api\/odata\/businessobject\//, '').replace(/^\/HEAT\//, '/');
    requests.push(`${req.method} ${path}${url.search ? `?${decodeURIComponent(url.search.slice(1))}` : ''}`);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [status, body] = handle(path, url.searchParams, req, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/HEAT`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
