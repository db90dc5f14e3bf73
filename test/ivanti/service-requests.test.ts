/**
 * Create Service Request through the runtime's HTTP server: the template found by exact name or
 * record ID (never a full-text search), the customer as Create Incident finds one, the request
 * ISM receives, and a clear error for every way the lookups can fail, each naming its input.
 */
import t from 'tap';
import { SEED, filterOf, startStack, type Json } from './helpers.js';

const LAPTOP = '8E8D911923BE5D7846668CF90C1EC979';
const input = (overrides: Json = {}): Json => ({ service_request_template: 'Request New Laptop', customer: 'user@example.com', description: 'Laptop will not start', status: 'Submitted', ...overrides });

t.test('a request is created from the template named exactly, for the customer', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const r = await stack.run('create_service_request', input({ service_request_template: '  request new LAPTOP ', urgency: 'High' }));
  t.equal(r.status, 200, r.body.error);
  const request = r.body.output.service_request as Json;
  t.match(request, { ServiceReqNumber: 20001, Status: 'Submitted', Urgency: 'High', SvcReqTmplLink: LAPTOP, ProfileLink: SEED.exampleUser, Symptom: 'Laptop will not start' });
  t.notOk(Object.values(request).some((v) => v === null || v === ''), 'no empty fields in the output');

  const lookups = r.entries.filter((e) => e.method === 'GET');
  const templateLookup = lookups.find((e) => e.set === 'servicereqtemplates');
  t.equal(filterOf(templateLookup), "Name eq 'request new LAPTOP'", 'the template by exact name, trimmed');
  t.notOk(lookups.some((e) => /\$search/.test(e.path ?? '')), 'never a full-text search');
  const post = r.entries.find((e) => e.method === 'POST');
  t.same(post?.body, { SvcReqTmplLink: LAPTOP, ProfileLink: SEED.exampleUser, Symptom: 'Laptop will not start', Status: 'Submitted', Urgency: 'High' }, "ISM's plain create, with the RecIds found");
  t.equal(r.entries.filter((e) => e.method === 'POST').length, 1, 'one write');
});

t.test('without urgency, none is sent; by record ID the template is found whatever its name', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const r = await stack.run('create_service_request', input({ service_request_template: LAPTOP.toLowerCase() }));
  t.equal(r.status, 200, r.body.error);
  const post = r.entries.find((e) => e.method === 'POST');
  t.notOk('Urgency' in (post?.body as Json), 'no Urgency sent');
  t.equal(r.body.output.service_request.Urgency, 'Medium', "ISM's default");
  t.equal(r.body.output.service_request.SvcReqTmplLink, LAPTOP);
});

t.test('names with quotes are quoted as OData wants, and match exactly', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  const r = await stack.run('create_service_request', input({ service_request_template: "Grant Access to a Team's Mailbox" }));
  t.equal(r.status, 400);
  t.match(r.body.error, /No ISM service request template is named 'Grant Access to a Team's Mailbox' \(the service_request_template input\)/);
  const lookup = r.entries.find((e) => e.set === 'servicereqtemplates');
  t.equal(filterOf(lookup), "Name eq 'Grant Access to a Team''s Mailbox'");
  t.equal(r.entries.filter((e) => e.method === 'POST').length, 0, 'nothing written');
});

t.test('none found, several found, bad identifiers: clear errors naming the input, nothing written', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.store.createRecord('servicereqtemplates', { Name: 'Reset Password', Status: 'Published (Manual)' });

  const partial = await stack.run('create_service_request', input({ service_request_template: 'Request New' }));
  t.equal(partial.status, 400);
  t.match(partial.body.error, /No ISM service request template is named 'Request New'/, 'a partial name is not a match');
  t.match(partial.body.exception.assistance, /exact name/);

  const several = await stack.run('create_service_request', input({ service_request_template: 'reset password' }));
  t.equal(several.status, 400);
  t.match(several.body.error, /Several ISM service request templates are named 'reset password' \(the service_request_template input\)/);
  t.match(several.body.exception.assistance, /record ID/);
  t.match(several.body.exception.data, /RecId [0-9A-F]{32}.*RecId [0-9A-F]{32}/);

  const unknownId = await stack.run('create_service_request', input({ service_request_template: 'ABCDEF0123456789ABCDEF0123456789' }));
  t.equal(unknownId.status, 400);
  t.match(unknownId.body.error, /No ISM service request template is identified or named 'ABCDEF0123456789ABCDEF0123456789'/);

  const customer = await stack.run('create_service_request', input({ customer: 'nobody@example.com' }));
  t.equal(customer.status, 400);
  t.match(customer.body.error, /No ISM employee has the email address or login ID 'nobody@example.com' \(the customer input\)/);

  for (const [field, value, message] of [
    ['service_request_template', '   ', /The service_request_template input is blank/],
    ['service_request_template', '$NULL', /ISM's word for no value/],
    ['service_request_template', 'x'.repeat(300), /too long \(300 characters\)/],
    ['customer', ' ', /The customer input is blank/],
  ] as const) {
    const r = await stack.run('create_service_request', input({ [field]: value }));
    t.equal(r.status, 400, `${field}: ${value.slice(0, 10)}`);
    t.match(r.body.error, message);
    t.equal(r.entries.length, 0, 'refused before anything is sent to ISM');
  }

  const badStatus = await stack.run('create_service_request', input({ status: 'Pending' }));
  t.equal(badStatus.status, 400);
  t.match(badStatus.body.error, /status/);
  t.equal(badStatus.entries.length, 0);

  t.equal(stack.sim.store.records('servicereqs')?.length ?? 0, 0, 'no request was created by any of them');
});

t.test("the service_request type declares every field of ISM's ServiceReq that 2.0.0's type lists, with ISM's keys", async (t) => {
  const { readFileSync } = await import('node:fs');
  const tsv = readFileSync(new URL('../fixtures/reference/service-request-fields.tsv', import.meta.url), 'utf8');
  const keys = tsv.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]!);
  const output = JSON.parse(readFileSync(new URL('../../schemas/actions/create_service_request/output.json', import.meta.url), 'utf8')) as Json;
  const declared = Object.keys(output.definitions.service_request.properties as Json);
  t.ok(keys.length >= 140, `${keys.length} fields in the reference`);
  t.same(declared, keys, 'the same keys, in the same order');
  t.notOk(declared.some((k) => /\s/.test(k)), 'no key with a space');
});
