#!/usr/bin/env node
/**
 * `npm run demo`: starts the ISM simulator and the plugin server as two processes, as in
 * production, then plays an incident-response workflow through the plugin's HTTP API the
 * way an orchestrator does, printing a transcript. Exits 0 when every step behaved as
 * expected. `--keep` leaves both servers running and prints curl commands to try.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('../..', import.meta.url));
const keep = process.argv.includes('--keep');
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = (t: string) => paint('32', t);
const red = (t: string) => paint('31', t);
const dim = (t: string) => paint('2', t);
const bold = (t: string) => paint('1', t);

const children: ChildProcess[] = [];

/** Starts a process and resolves with the first value `ready` finds in its output lines. */
function start(name: string, args: string[], stream: 'stdout' | 'stderr', ready: (line: string) => string | undefined): Promise<{ child: ChildProcess; value: string }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s:\n${lines.slice(-10).join('\n')}`)), 20_000);
    const onLine = (line: string) => {
      lines.push(line);
      const value = ready(line);
      if (value !== undefined) {
        clearTimeout(timer);
        resolve({ child, value });
      }
    };
    createInterface({ input: child[stream]! }).on('line', onLine);
    const other = stream === 'stdout' ? child.stderr! : child.stdout!;
    createInterface({ input: other }).on('line', (line) => lines.push(line));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}) before it was ready:\n${lines.slice(-10).join('\n')}`));
    });
  });
}

async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await once(child, 'exit');
      clearTimeout(timer);
    }),
  );
}

interface Envelope {
  version: string;
  type: string;
  body: { status: string; log?: string; output?: Record<string, unknown>; error?: string; exception?: { cause: string; assistance: string } };
}

interface StepResult {
  status: number;
  envelope: Envelope;
  ms: number;
}

async function main(): Promise<number> {
  const apiKey = `DEMO${randomBytes(14).toString('hex').toUpperCase()}`;
  console.log(bold('Ivanti Service Manager plugin: demo of an incident-response workflow'));
  console.log(dim('Starting the ISM simulator and the plugin server as separate processes...'));
  const sim = await start('the ISM simulator', ['dist/simulator/cli.js', '--port', '0', '--host', '127.0.0.1', '--api-key', apiKey], 'stdout', (line) =>
    /^https?:\/\//.test(line.trim()) ? line.trim() : undefined,
  );
  const plugin = await start('the plugin server', ['dist/cli.js', 'http', '--port', '0', '--host', '127.0.0.1'], 'stderr', (line) => {
    try {
      const entry = JSON.parse(line) as { msg?: string; address?: { port?: number } };
      return entry.msg === 'plugin server listening' && entry.address?.port ? `http://127.0.0.1:${entry.address.port}` : undefined;
    } catch {
      return undefined;
    }
  });
  const simUrl = sim.value;
  const pluginUrl = plugin.value;
  console.log(`  ISM simulator  ${simUrl}  ${dim(`(pid ${sim.child.pid})`)}`);
  console.log(`  plugin server  ${pluginUrl}  ${dim(`(pid ${plugin.child.pid})`)}`);
  console.log('');

  const connection = { credentials: { secretKey: apiKey }, url: simUrl, ssl_verify: true };
  const post = async (path: string, message: unknown): Promise<StepResult> => {
    const t0 = performance.now();
    const response = await fetch(pluginUrl + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) });
    const envelope = (await response.json()) as Envelope;
    return { status: response.status, envelope, ms: performance.now() - t0 };
  };
  const action = (name: string, input: Record<string, unknown>) =>
    post(`/api/v1/actions/${name}`, { version: 'v1', type: 'action_start', body: { action: name, meta: { workflow: 'demo' }, connection, input } });

  let number = 0;
  let failures = 0;
  const steps: { title: string; route: string; expect: 'ok' | 'error'; run: () => Promise<StepResult>; show: (r: StepResult) => string }[] = [];
  const incident = (r: StepResult) => (r.envelope.body.output?.incident ?? {}) as Record<string, unknown>;
  const summary = (i: Record<string, unknown>) =>
    `incident ${i.IncidentNumber} · ${i.Status} · priority ${i.Priority} · customer ${i.ProfileFullName} · owner ${i.Owner ?? '(none)'}`;
  let mainIncident = 0;
  let mainRecId = '';
  let problemRecId = '';
  let laptopRecId = '';
  let duplicate = 0;
  let evidenceId = '';
  const evidence = Buffer.from(
    'Received: from mail.examp1e-login.com (198.51.100.23)\r\n' +
      "From: \"IT Service Desk\" <it-support@examp1e-login.com>\r\nTo: siobhan.o'neill@example.com\r\n" +
      'Subject: Your password expires today\r\n\r\nKeep your password: https://examp1e-login.com/m365\r\n',
    'utf8',
  );
  const record = (r: StepResult) => (r.envelope.body.output?.record ?? {}) as Record<string, unknown>;

  steps.push({
    title: 'Test the connection',
    route: '/api/v1/connection/test',
    expect: 'ok',
    run: () => post('/api/v1/connection/test', { version: 'v1', type: 'connection_test', body: { connection } }),
    show: (r) => `success: ${String(r.envelope.body.output?.success)}`,
  });
  steps.push({
    title: "Create an incident for Siobhan O'Neill, assigned to John Doe",
    route: '/api/v1/actions/create_incident',
    expect: 'ok',
    run: () =>
      action('create_incident', {
        summary: 'Phishing email with a credential-harvesting link',
        description: "Mail gateway flagged a message to siobhan.o'neill@example.com linking to a fake sign-in page; the link was clicked once.",
        customer: "siobhan.o'neill@example.com",
        assignee: 'John Doe',
        type: 'Failure',
        impact: 'High',
        urgency: 'High',
        source: 'Email',
        category: 'Security Incident',
      }),
    show: (r) => {
      mainIncident = Number(incident(r).IncidentNumber);
      mainRecId = String(incident(r).RecId);
      return summary(incident(r));
    },
  });
  steps.push({
    title: 'Add a note: what the investigation found',
    route: '/api/v1/actions/add_note',
    expect: 'ok',
    run: () =>
      action('add_note', {
        incident_number: mainIncident,
        summary: 'Sandbox verdict',
        notes: 'The linked page harvests Microsoft 365 credentials; the domain was registered 2 days ago.',
        category: 'Status Update',
        source: 'Other',
      }),
    show: (r) => `note "${(r.envelope.body.output?.journal_note as Record<string, unknown> | undefined)?.Subject}" on incident ${mainIncident}`,
  });
  steps.push({
    title: 'Add a note: containment',
    route: '/api/v1/actions/add_note',
    expect: 'ok',
    run: () =>
      action('add_note', {
        incident_number: mainIncident,
        summary: 'Containment',
        notes: "Password reset forced and sessions revoked for Siobhan O'Neill; sender domain blocked at the gateway.",
        category: 'Memo',
      }),
    show: (r) => `note "${(r.envelope.body.output?.journal_note as Record<string, unknown> | undefined)?.Subject}" on incident ${mainIncident}`,
  });
  steps.push({
    title: 'Attach the phishing email as evidence',
    route: '/api/v1/actions/add_attachment',
    expect: 'ok',
    run: () => action('add_attachment', { incident_number: mainIncident, attachment: { filename: 'phishing-email.eml', content: evidence.toString('base64') } }),
    show: (r) => {
      evidenceId = String(r.envelope.body.output?.attachment_id);
      return `${String(r.envelope.body.output?.filename)} (${evidence.length} bytes) attached to incident ${mainIncident} · attachment ${evidenceId}`;
    },
  });
  steps.push({
    title: 'Open a problem for the phishing campaign behind it',
    route: '/api/v1/actions/create_record',
    expect: 'ok',
    run: () =>
      action('create_record', {
        object: 'Problem',
        fields: { Subject: 'Credential phishing from newly registered look-alike domains', Description: `Seen on incident ${mainIncident}.`, Category: 'Security', Impact: 'High', Urgency: 'High' },
      }),
    show: (r) => {
      problemRecId = String(record(r).RecId);
      return `problem ${record(r).ProblemNumber} · ${record(r).Status} · priority ${record(r).Priority}`;
    },
  });
  steps.push({
    title: 'Link the incident to the problem',
    route: '/api/v1/actions/link_records',
    expect: 'ok',
    run: () => action('link_records', { object: 'Incident', record_id: mainRecId, relationship: 'IncidentAssociatesProblem', related_record_id: problemRecId }),
    show: (r) => `linked: ${String(r.envelope.body.output?.changed)}`,
  });
  steps.push({
    title: "Find the customer's laptop among the configuration items",
    route: '/api/v1/actions/search_records',
    expect: 'ok',
    run: () => action('search_records', { object: 'CI#Computer', filter: { Owner: 'soneill' } }),
    show: (r) => {
      const laptop = ((r.envelope.body.output?.records ?? []) as Record<string, unknown>[])[0] ?? {};
      laptopRecId = String(laptop.RecId);
      return `${laptop.Name} · ${laptop.Model} · ${laptop.IPAddress}`;
    },
  });
  steps.push({
    title: 'Link the laptop to the incident',
    route: '/api/v1/actions/link_records',
    expect: 'ok',
    run: () => action('link_records', { object: 'Incident', record_id: mainRecId, relationship: 'IncidentAssociatesCI', related_record_id: laptopRecId }),
    show: (r) => `linked: ${String(r.envelope.body.output?.changed)}`,
  });
  steps.push({
    title: 'List what the problem is linked to',
    route: '/api/v1/actions/list_related',
    expect: 'ok',
    run: () => action('list_related', { object: 'Problem', record_id: problemRecId, relationship: 'ProblemAssociatesIncident' }),
    show: (r) => `incidents: ${((r.envelope.body.output?.records ?? []) as Record<string, unknown>[]).map((i) => i.IncidentNumber).join(', ')}`,
  });
  steps.push({
    title: 'Wait for the mail provider (Waiting for 3rd Party)',
    route: '/api/v1/actions/update_incident',
    expect: 'ok',
    run: () => action('update_incident', { incident_number: mainIncident, status: 'Waiting for 3rd Party' }),
    show: (r) => summary(incident(r)),
  });
  steps.push({
    title: 'Resolve it with a cause code and a resolution',
    route: '/api/v1/actions/update_incident',
    expect: 'ok',
    run: () =>
      action('update_incident', {
        incident_number: mainIncident,
        status: 'Resolved',
        cause_code: 'Other',
        resolution: 'Credentials reset, sessions revoked, phishing domain blocked; no further sign-ins from the attacker.',
      }),
    show: (r) => `${summary(incident(r))} · cause ${incident(r).CauseCode}`,
  });
  steps.push({
    title: "List the incident's files",
    route: '/api/v1/actions/list_attachments',
    expect: 'ok',
    run: () => action('list_attachments', { object: 'Incident', record_id: mainRecId }),
    show: (r) =>
      ((r.envelope.body.output?.attachments ?? []) as Record<string, unknown>[]).map((a) => `${a.filename} · ${a.size} bytes · attached ${a.created} by ${a.created_by}`).join('; '),
  });
  steps.push({
    title: 'Download the evidence for the report',
    route: '/api/v1/actions/download_attachment',
    expect: 'ok',
    run: () => action('download_attachment', { attachment_id: evidenceId }),
    show: (r) => {
      const output = r.envelope.body.output ?? {};
      const same = Buffer.from(String(output.content), 'base64').equals(evidence);
      if (!same) throw new Error('the downloaded file differs from the one attached');
      return `${String(output.filename)} · ${String(output.content_type)} · ${String(output.size)} bytes, identical to the file attached`;
    },
  });
  steps.push({
    title: "Close it through ISM's Close Incident quick action",
    route: '/api/v1/actions/run_quick_action',
    expect: 'ok',
    run: () =>
      action('run_quick_action', {
        object: 'Incident',
        record_id: mainRecId,
        action: 'Close Incident',
        parameters: { CauseCode: 'Other', Resolution: 'Phishing contained; the customer confirmed no further suspicious sign-ins.' },
      }),
    show: (r) => {
      const closed = (r.envelope.body.output?.record ?? {}) as Record<string, unknown>;
      return `incident ${closed.IncidentNumber} · ${closed.Status} by ${closed.ClosedBy} at ${closed.ClosedDateTime}`;
    },
  });
  steps.push({
    title: 'Create a duplicate incident from a second alert',
    route: '/api/v1/actions/create_incident',
    expect: 'ok',
    run: () =>
      action('create_incident', {
        summary: 'Phishing email with a credential-harvesting link (second alert)',
        description: 'Same message reported again by the user.',
        customer: "siobhan.o'neill@example.com",
        type: 'Failure',
        source: 'Email',
      }),
    show: (r) => {
      duplicate = Number(incident(r).IncidentNumber);
      return summary(incident(r));
    },
  });
  steps.push({
    title: 'Delete the duplicate',
    route: '/api/v1/actions/delete_incident',
    expect: 'ok',
    run: () => action('delete_incident', { incident_number: duplicate }),
    show: (r) => `incident ${duplicate} deleted: success ${String(r.envelope.body.output?.success)}`,
  });
  steps.push({
    title: 'A deliberate mistake: a note on an incident that does not exist',
    route: '/api/v1/actions/add_note',
    expect: 'error',
    run: () => action('add_note', { incident_number: 99999, summary: 'This note has nowhere to go' }),
    show: (r) => `error: ${r.envelope.body.error}`,
  });

  const started = performance.now();
  for (const step of steps) {
    number++;
    let result: StepResult;
    try {
      result = await step.run();
    } catch (err) {
      failures++;
      console.log(`${String(number).padStart(2)}. ${step.title}\n    ${red('FAILED')}: ${(err as Error).message}`);
      continue;
    }
    const status = result.envelope.body.status;
    const asExpected = status === step.expect && (step.expect === 'ok' ? result.status === 200 : result.status === 400);
    if (!asExpected) failures++;
    const verdict = asExpected ? green(`${result.status} ${status}`) : red(`${result.status} ${status} (expected ${step.expect})`);
    console.log(`${String(number).padStart(2)}. ${step.title}`);
    console.log(`    POST ${step.route}  ${verdict}  ${dim(`${result.ms.toFixed(0)} ms`)}`);
    let shown: string;
    try {
      shown = status === 'ok' || step.expect === 'error' ? step.show(result) : `error: ${result.envelope.body.error}`;
    } catch (err) {
      // A step whose answer is not what the workflow needs (a file that came back different).
      if (asExpected) failures++;
      shown = red(`FAILED: ${(err as Error).message}`);
    }
    console.log(`    ${shown}`);
  }
  console.log('');
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (failures === 0) console.log(green(`All ${steps.length} steps behaved as expected (${seconds} s).`));
  else console.log(red(`${failures} of ${steps.length} steps did not behave as expected.`));

  if (keep) {
    const sample = JSON.stringify({
      version: 'v1',
      type: 'action_start',
      body: { action: 'add_note', meta: {}, connection, input: { incident_number: mainIncident, summary: 'Hello from curl' } },
    });
    console.log('');
    console.log(bold('Both servers keep running. Try them (Ctrl-C stops both):'));
    console.log(`  curl -s ${pluginUrl}/api/v1/info`);
    console.log(`  curl -s ${pluginUrl}/api/v1/actions`);
    console.log(`  curl -s -X POST ${pluginUrl}/actions/add_note -H 'Content-Type: application/json' -d '${sample.replace(/'/g, "'\\''")}'`);
    console.log(`  curl -s "${simUrl}/api/odata/businessobject/incidents?\\$top=5&\\$select=IncidentNumber,Subject,Status" -H 'Authorization: rest_api_key=${apiKey}'`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  return failures === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(red(`demo failed: ${(err as Error).message}`));
  code = 1;
} finally {
  await stopAll();
}
process.exitCode = code;
