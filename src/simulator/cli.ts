#!/usr/bin/env node
/**
 * ism-simulator: runs the fake ISM tenant as a process. Prints exactly one line on stdout when
 * ready (the base URL); everything else goes to stderr. Exits 0 on SIGTERM/SIGINT, 2 on bad usage.
 */

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseBehaviour, type Behaviour } from './behaviour.js';
import { startSimulator, writeSeedFile, type ApiKeyOptions, type PrefixOption } from './index.js';

const HELP = `Usage: ism-simulator [options]

Runs a fake Ivanti Service Manager tenant (REST API under /HEAT/api/odata and /api/odata).

Options:
  --port <n>               port to listen on (default 10080; 0 picks a free one)
  --host <addr>            address to listen on (default 127.0.0.1)
  --api-key <key[:role]>   accept this API key; role Administrator (default) or SelfService
                           (read-only); repeat for several keys (default: sim-admin-key)
  --prefix <p>             base paths served: both (default), /HEAT, or none
  --seed <file.json>       tenant data to start with (default: the built-in seed)
  --write-seed <file>      write the built-in seed to a file and exit
  --tls                    serve HTTPS with a self-signed certificate (localhost, 127.0.0.1)
  --tls-cert <file>        serve HTTPS with this certificate (PEM) ...
  --tls-key <file>         ... and this private key (PEM)
  --write-cert <file>      with --tls, write the generated certificate (PEM) to a file
  --admin                  enable the /__sim/ admin routes (faults, journal, behaviour, store)
  --journal-limit <n>      request journal size (default 10000; 0 disables)
  --create-status <201|200>             status of a successful create
  --update-answer <record|no-content>   answer to a successful update
  --delete-answer <no-content|empty-object>   answer to a successful delete
  --no-rows <ism|empty-body|empty-array|string-value>   encoding of "no rows"
  --blocked-extensions <list>   extensions refused as attachments, comma-separated
                           (default exe,bat,cmd,com,js,vbs,ps1,dll,scr,msi; "" allows all)
  --attachment-limit <bytes>    largest upload body (default 27262976, 26 MiB)
  --log                    log each request to stderr
  --help                   show this help
`;

function usage(message: string): never {
  process.stderr.write(`ism-simulator: ${message}\nTry --help.\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string', multiple: true },
        prefix: { type: 'string' },
        seed: { type: 'string' },
        'write-seed': { type: 'string' },
        tls: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'write-cert': { type: 'string' },
        admin: { type: 'boolean' },
        'journal-limit': { type: 'string' },
        'create-status': { type: 'string' },
        'update-answer': { type: 'string' },
        'delete-answer': { type: 'string' },
        'no-rows': { type: 'string' },
        'blocked-extensions': { type: 'string' },
        'attachment-limit': { type: 'string' },
        log: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(HELP);
    return;
  }
  if (v['write-seed'] !== undefined) {
    await writeSeedFile(v['write-seed']);
    process.stderr.write(`ism-simulator: wrote the built-in seed to ${v['write-seed']}\n`);
    return;
  }

  const port = v.port === undefined ? 10080 : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port must be a port number (got ${v.port})`);
  const journalLimit = v['journal-limit'] === undefined ? undefined : Number(v['journal-limit']);
  if (journalLimit !== undefined && (!Number.isInteger(journalLimit) || journalLimit < 0)) usage('--journal-limit must be a non-negative integer');

  let prefix: PrefixOption = 'both';
  if (v.prefix !== undefined) {
    if (v.prefix === 'both' || v.prefix === '/HEAT') prefix = v.prefix;
    else if (v.prefix === 'none' || v.prefix === '') prefix = '';
    else usage(`--prefix must be both, /HEAT or none (got ${v.prefix})`);
  }

  const apiKeys: Record<string, ApiKeyOptions> = {};
  for (const spec of v['api-key'] ?? []) {
    const at = spec.lastIndexOf(':');
    const key = at > 0 ? spec.slice(0, at) : spec;
    const role = at > 0 ? spec.slice(at + 1) : 'Administrator';
    if (key === '' || role === '') usage(`--api-key needs a key, optionally followed by :role (got ${spec})`);
    apiKeys[key] = role;
  }

  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) usage('--tls-cert and --tls-key go together');
  const tls = v['tls-cert'] !== undefined && v['tls-key'] !== undefined ? { cert: v['tls-cert'], key: v['tls-key'] } : v.tls === true;
  if (v['write-cert'] !== undefined && tls !== true) usage('--write-cert needs --tls');

  const attachmentLimit = v['attachment-limit'] === undefined ? undefined : Number(v['attachment-limit']);
  if (attachmentLimit !== undefined && (!Number.isInteger(attachmentLimit) || attachmentLimit < 1)) usage('--attachment-limit must be a positive integer');
  const blockedExtensions =
    v['blocked-extensions'] === undefined
      ? undefined
      : v['blocked-extensions']
          .split(',')
          .map((e) => e.trim().replace(/^\./, ''))
          .filter((e) => e !== '');

  let behaviour: Partial<Behaviour>;
  try {
    behaviour = parseBehaviour({
      ...(v['create-status'] !== undefined ? { createStatus: Number(v['create-status']) } : {}),
      ...(v['update-answer'] !== undefined ? { updateAnswer: v['update-answer'] } : {}),
      ...(v['delete-answer'] !== undefined ? { deleteAnswer: v['delete-answer'] } : {}),
      ...(v['no-rows'] !== undefined ? { noRows: v['no-rows'] } : {}),
    });
  } catch (err) {
    usage((err as Error).message);
  }

  const sim = await startSimulator({
    ...(Object.keys(apiKeys).length > 0 ? { apiKeys } : {}),
    prefix,
    ...(v.seed !== undefined ? { seed: v.seed } : {}),
    tls,
    host: v.host ?? '127.0.0.1',
    port,
    admin: v.admin === true,
    ...(journalLimit !== undefined ? { journalLimit } : {}),
    behaviour,
    logger: v.log === true,
    attachments: {
      ...(blockedExtensions !== undefined ? { blockedExtensions } : {}),
      ...(attachmentLimit !== undefined ? { maxBodyBytes: attachmentLimit } : {}),
    },
  });
  if (v['write-cert'] !== undefined && sim.certificate) await writeFile(v['write-cert'], sim.certificate, 'utf8');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`ism-simulator: ${signal}, stopping\n`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  process.stderr.write(`ism-simulator: listening on ${sim.origin} (API keys: ${Object.keys(apiKeys).length || 1}, admin routes: ${v.admin ? 'on' : 'off'})\n`);
  process.stdout.write(`${sim.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`ism-simulator: ${(err as Error).message}\n`);
  process.exit(1);
});
