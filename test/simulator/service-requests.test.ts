// Service request templates and service requests: the seeded catalogue, ISM's rules on a plain
// create (template and customer checked by RecId, status and urgency from their lists, the
// request numbered from its own counter, `_Valid` RecIds filled), and its usual 400s.
import t from 'tap';
import { SEED, call, enc, start } from './helpers.js';

const LAPTOP_TEMPLATE = '8E8D911923BE5D7846668CF90C1EC979';
const UNKNOWN = 'ABCDEF0123456789ABCDEF0123456789';

t.test('the templates are seeded, found by exact name, and a retired one is kept', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const all = (await call(sim, 'GET', 'servicereqtemplates')).json();
  t.ok(all['@odata.count'] >= 6, `${all['@odata.count']} templates`);
  const byName = (await call(sim, 'GET', `servicereqtemplates?$filter=${enc("Name eq 'request new laptop'")}&$select=RecId,Name`)).json();
  t.same(byName.value, [{ RecId: LAPTOP_TEMPLATE, Name: 'Request New Laptop' }], 'eq ignores case');
  const none = await call(sim, 'GET', `servicereqtemplates?$filter=${enc("Name eq 'Request New'")}`);
  t.equal(none.status, 200);
  t.equal(none.text, '', 'no prefix match: no rows, as ISM encodes them for a filter');
  const retired = (await call(sim, 'GET', `servicereqtemplates?$filter=${enc("Status eq 'Retired'")}`)).json();
  t.equal(retired.value.length, 1);
});

t.test('a plain create links the template and the customer and numbers the request', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const body = { SvcReqTmplLink: LAPTOP_TEMPLATE.toLowerCase(), ProfileLink: SEED.exampleUser, Symptom: 'My laptop will not start.', Status: 'submitted', Urgency: 'high' };
  const r = await call(sim, 'POST', 'servicereqs', { body });
  t.equal(r.status, 201);
  const created = r.json();
  t.match(created, {
    ServiceReqNumber: 20001,
    Status: 'Submitted',
    Urgency: 'High',
    Symptom: 'My laptop will not start.',
    SvcReqTmplLink: LAPTOP_TEMPLATE,
    SvcReqTmplLink_RecID: LAPTOP_TEMPLATE,
    SvcReqTmplLink_Category: 'ServiceReqTemplate',
    ProfileLink: SEED.exampleUser,
    ProfileLink_RecID: SEED.exampleUser,
    ProfileLink_Category: 'Employee',
    Email: 'user@example.com',
    IsInFinalState: false,
  });
  t.match(created.Status_Valid, /^[0-9A-F]{32}$/);
  t.match(created.Urgency_Valid, /^[0-9A-F]{32}$/);
  t.equal(created['@odata.context'], `${sim.origin}/HEAT/api/odata/$metadata#servicereqs/$entity`);
  const second = await call(sim, 'POST', 'servicereqs', { body: { ...body, Status: 'Draft' } });
  t.equal(second.json().ServiceReqNumber, 20002, 'its own counter');
  t.equal(second.json().IsDraft, true);
  const read = (await call(sim, 'GET', `servicereqs?$filter=${enc('ServiceReqNumber eq 20001')}`)).json();
  t.equal(read.value[0].RecId, created.RecId);
});

t.test("ISM's 400s for service requests", async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const ok = { SvcReqTmplLink: LAPTOP_TEMPLATE, ProfileLink: SEED.exampleUser, Symptom: 's' };
  const cases: Array<[unknown, RegExp]> = [
    [{ ...ok, SvcReqTmplLink: UNKNOWN }, /ServiceReq\.SvcReqTmplLink: Record 'ABCDEF0123456789ABCDEF0123456789' cannot be found in the business object 'servicereqtemplate'/],
    [{ ...ok, ProfileLink: UNKNOWN }, /ServiceReq\.ProfileLink: Record '.*' cannot be found in the business object 'employee'/],
    [{ ...ok, Status: 'Pending' }, /'Pending' is not in the validation list of validated field ServiceReq\.Status/],
    [{ ...ok, Urgency: 'Critical' }, /'Critical' is not in the validation list of validated field ServiceReq\.Urgency/],
    [{ Symptom: 's' }, /Required field ServiceReq\.Template value must be provided/],
    [{ ...ok, Status: 'Fulfilled' }, /DataLayer\.PromptException/],
  ];
  for (const [body, message] of cases) {
    const r = await call(sim, 'POST', 'servicereqs', { body });
    t.equal(r.status, 400, JSON.stringify(body));
    t.match(JSON.stringify(r.json()), message);
  }
  t.equal((await call(sim, 'GET', `servicereqs('${UNKNOWN}')`)).status, 400, 'an unknown record is a 400');
  t.equal((await call(sim, 'GET', 'servicereqs')).text, '{"@odata.count":0,"value":[]}', 'none yet: an empty collection');
});
