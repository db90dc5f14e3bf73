/**
 * The generic record actions, quick actions and attachment actions as their help shows them: `sample <action>` of the built CLI prints
 * a message that `run` executes as is against the simulator (only the connection swapped), the
 * help's example input is that sample, and the workflow recipe in help.md runs step by step.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { startSimulator } from '../../src/simulator/index.js';
import { KEY, RECORDS, SEED, sampleInput, startStack, type Json, type Stack } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ACTIONS = ['create_service_request', 'get_record', 'search_records', 'create_record', 'update_record', 'delete_record', 'link_records', 'unlink_records', 'list_related', 'run_quick_action', 'list_attachments', 'download_attachment', 'delete_attachment'];

// Child processes start slowly on a busy machine; every wait is still bounded.

function cli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

t.test('each sample runs as is against the simulator (built CLI: sample, then run)', async (t) => {
  const sim = await startSimulator({ apiKeys: { [KEY]: 'Administrator' } });
  t.teardown(() => sim.close());
  for (const action of ACTIONS) {
    const sample = await cli(['sample', action]);
    t.equal(sample.code, 0, `sample ${action}`);
    const message = JSON.parse(sample.stdout) as Json;
    t.same(message.body.input, sampleInput(action), `${action}: the help's example input`);
    message.body.connection = { ...message.body.connection, url: sim.url, credentials: { secretKey: KEY } };
    sim.store.reset();
    const run = await cli(['run'], JSON.stringify(message));
    const envelope = JSON.parse(run.stdout) as Json;
    t.equal(run.code, 0, `${action}: ${envelope.body.error ?? 'ok'}`);
    t.equal(envelope.body.status, 'ok');
    const output = envelope.body.output as Json;
    if ('record' in output) t.type(output.record.RecId, 'string', `${action}: a record`);
    if ('records' in output) t.ok(output.count >= 1, `${action}: found what the example looks for`);
    if ('changed' in output) t.same(output, { success: true, changed: true }, `${action}: the example changes something`);
    if (action === 'run_quick_action') t.equal(output.record.Status, 'Closed', 'the example closes the incident');
    if (action === 'create_service_request') t.equal(sim.journal.entries().filter((e) => e.set === 'servicerequest').length, 1, 'the example gives parameters, through the service request API');
    if ('attachments' in output) t.ok(output.count >= 1, `${action}: the example record has files`);
    if ('content' in output) t.same(Buffer.from(output.content, 'base64'), sim.store.attachmentContent(message.body.input.attachment_id), `${action}: the file's bytes`);
    if (action === 'delete_attachment') t.same(output, { success: true, filename: 'sign-in-log.csv' }, `${action}: the example file is deleted`);
  }
});

t.test('help.md documents each action and carries the workflow recipe', async (t) => {
  const help = readFileSync(new URL('../../help.md', import.meta.url), 'utf8');
  for (const title of ['Get Record', 'Search Records', 'Create Record', 'Update Record', 'Delete Record', 'Link Records', 'Unlink Records', 'List Related', 'Run Quick Action', 'List Attachments', 'Download Attachment', 'Delete Attachment']) {
    t.match(help, new RegExp(`^#### ${title}$`, 'm'), title);
  }
  t.match(help, /^## Workflows\n\n### Open a problem from an incident, link the two, and link the affected CI$/m);
  t.match(help, /\*\*Link Records\*\* with `object` `Incident`.*\n\s+`relationship` `IncidentAssociatesProblem`/);
});

/** Runs one step of a recipe and asserts that it succeeded; resolves with its output. */
function stepper(t: Test, stack: Stack): (action: string, input: Json) => Promise<Json> {
  return async (action, input) => {
    const r = await stack.run(action, input);
    t.equal(r.status, 200, `${action}: ${r.body.error ?? 'ok'}`);
    return r.body.output as Json;
  };
}

t.test('the workflow recipe, step by step', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const step = stepper(t, stack);
  const { incident } = await step('get_incident', { incident_number: 10001 });
  const { record: problem } = await step('create_record', {
    object: 'Problem',
    fields: { Subject: 'Recurring VPN authentication failures', Description: 'Seen on incident 10001', Category: 'Network' },
  });
  t.same(await step('link_records', { object: 'Incident', record_id: incident.RecId, relationship: 'IncidentAssociatesProblem', related_record_id: problem.RecId }), { success: true, changed: true });
  const { records } = await step('search_records', { object: 'CI#Computer', filter: { Name: 'LT-SF-0042' } });
  t.equal(records.length, 1);
  const ci = records[0].RecId as string;
  // The seed already links incident 10001 to this laptop: the step succeeds without a write.
  t.same(await step('link_records', { object: 'Incident', record_id: incident.RecId, relationship: 'IncidentAssociatesCI', related_record_id: ci }), { success: true, changed: false });
  t.same(await step('link_records', { object: 'Problem', record_id: problem.RecId, relationship: 'ProblemAssociatesCI', related_record_id: ci }), { success: true, changed: true });
  const related = await step('list_related', { object: 'Problem', record_id: problem.RecId, relationship: 'ProblemAssociatesIncident' });
  t.same(related.records.map((r: Json) => r.IncidentNumber), [10001]);
  t.equal(incident.RecId, SEED.incident10001);
  t.same(stack.sim.store.related('cis', RECORDS.laptopUser, 'CIAssociatesProblem')?.map((r) => r.RecId), [problem.RecId]);
});

t.test('the evidence-and-close recipe, step by step', async (t) => {
  const help = readFileSync(new URL('../../help.md', import.meta.url), 'utf8');
  t.match(help, /^### Keep an incident's evidence, then close the incident$/m);
  const stack = await startStack();
  t.teardown(() => stack.close());
  const step = stepper(t, stack);
  const { incident } = await step('get_incident', { incident_number: 10006 });
  const { attachments } = await step('list_attachments', { object: 'Incident', record_id: incident.RecId });
  t.equal(attachments.length, 1);
  for (const file of attachments as Json[]) {
    const downloaded = await step('download_attachment', { attachment_id: file.attachment_id });
    t.equal(downloaded.filename, file.filename);
    t.same(Buffer.from(downloaded.content, 'base64'), stack.sim.store.attachmentContent(file.attachment_id), 'the file as ISM holds it');
  }
  const closed = await step('run_quick_action', {
    object: 'Incident',
    record_id: incident.RecId,
    action: 'Close Incident',
    parameters: { CauseCode: 'Other', Resolution: 'Contained; evidence kept in the case.' },
  });
  t.equal(closed.record.Status, 'Closed');
});
