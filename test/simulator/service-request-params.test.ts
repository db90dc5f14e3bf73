// Service request template parameters: seeded as children of their templates, listed by
// `ParentLink_RecID` and through the template's relationship, required ones marked `$(true)`,
// drop-downs naming the object and field they pick from; a parameter needs an existing template.
// The service request API: subscriptions, and requests made with parameters.
import t from 'tap';
import { call, enc, SEED, start } from './helpers.js';

const SOFTWARE_INSTALLATION = 'F7E685E27FD6253BFCE6346F3E344327';
const UNKNOWN = 'ABCDEF0123456789ABCDEF0123456789';

t.test("a template's parameters, by parent and through the relationship", async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const filter = enc(`ParentLink_RecID eq '${SOFTWARE_INSTALLATION}'`);
  const params = (await call(sim, 'GET', `servicereqtemplateparams?$filter=${filter}&$orderby=SortOrder&$select=Name,DisplayType,RequiredExpression,ValidationObject,ValidationField`)).json();
  t.same(params.value, [
    { Name: 'SoftwareName', DisplayType: 'text', RequiredExpression: '$(true)', ValidationObject: null, ValidationField: null },
    { Name: 'TargetComputer', DisplayType: 'dropdown', RequiredExpression: '$(true)', ValidationObject: 'CI#Computer', ValidationField: 'Name' },
    { Name: 'Justification', DisplayType: 'text', RequiredExpression: '$(false)', ValidationObject: null, ValidationField: null },
    { Name: 'CostCentre', DisplayType: 'text', RequiredExpression: "$(SoftwareName == 'Adobe Photoshop')", ValidationObject: null, ValidationField: null },
  ]);
  const related = await call(sim, 'GET', `servicereqtemplates('${SOFTWARE_INSTALLATION}')/ServiceReqTemplateContainsServiceReqTemplateParam`);
  t.equal(related.status, 200);
  t.equal(related.json().value.length, 4, 'the same four through the relationship');
  const laptop = await call(sim, 'GET', `servicereqtemplateparams?$filter=${enc("ParentLink_RecID eq '8E8D911923BE5D7846668CF90C1EC979'")}`);
  t.equal(laptop.status, 200);
  t.equal(laptop.text, '', 'a template without parameters: no rows');
});

t.test('a parameter belongs to a template that exists', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const orphan = await call(sim, 'POST', 'servicereqtemplateparams', { body: { Name: 'Colour', ParentLink_RecID: UNKNOWN } });
  t.equal(orphan.status, 400);
  t.match(orphan.text, /cannot be found/);
  const made = await call(sim, 'POST', 'servicereqtemplateparams', { body: { Name: 'Colour', ParentLink_RecID: SOFTWARE_INSTALLATION } });
  t.equal(made.status, 201);
  t.equal(made.json().ParentLink_Category, 'ServiceReqTemplate');
  t.equal(made.json().RequiredExpression, '$(false)', 'optional unless said otherwise');
});

// The service request API: the customer's subscriptions, and requests made with parameters.
const REST = (sim: { url: string }) => `${sim.url}/api/rest/`;
const PAGER = '35045DBFFD98A68E71A5A17A15FE2439';
const LAPTOP_USER = '9EFDD86E4BBC00B07B639F52737B8BBF';
const SOFTWARE_NAME = '5C2E8B41D7A94F03B6E1C9D2A4F87B10';
const TARGET_COMPUTER = '6D3F9C52E8B14A14C7F2DAE3B5098C21';

/** A complete body for `ServiceRequest/new`, parameters and overrides given. */
function newRequest(subscriptionId: string, parameters: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    attachmentsToDelete: [], attachmentsToUpload: [], parameters, delayedFulfill: false,
    formName: 'ServiceReq.ResponsiveAnalyst.DefaultLayout', saveReqState: false,
    serviceReqData: { Symptom: 'Needs the editor for the new project.' }, strCustomerLocation: '', strUserId: SEED.exampleUser,
    subscriptionId, localOffset: 0, ...overrides,
  };
}

async function subscriptionOf(sim: Parameters<typeof call>[0], template: string): Promise<string> {
  const list = (await call(sim, 'GET', `Template/${SEED.exampleUser}/_All_`, { base: REST(sim) })).json() as { strSubscriptionId: string; strRecId: string }[];
  const found = list.find((s) => s.strRecId === template);
  if (!found) throw new Error(`no subscription to ${template}`);
  return found.strSubscriptionId;
}

t.test("a customer's subscriptions: every published template, none retired; an unknown customer has none", async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const res = await call(sim, 'GET', `Template/${SEED.exampleUser}/_All_`, { base: REST(sim) });
  t.equal(res.status, 200);
  const list = res.json() as { strSubscriptionId: string; strRecId: string; strName: string }[];
  t.ok(list.some((s) => s.strRecId === SOFTWARE_INSTALLATION && s.strName === 'Software Installation'));
  t.notOk(list.some((s) => s.strRecId === PAGER), 'the retired template is not offered');
  for (const s of list) {
    t.match(s.strSubscriptionId, /^[0-9A-F]{32}$/);
    t.not(s.strSubscriptionId, s.strRecId, "a subscription is not its template's RecId");
  }
  t.same((await call(sim, 'GET', `Template/${UNKNOWN}/_All_`, { base: REST(sim) })).json(), []);
  t.equal((await call(sim, 'GET', `Template/${SEED.exampleUser}/_All_`, { base: REST(sim), key: null })).status, 401);
});

t.test('a request with its parameters: refusals come one at a time with HTTP 200, then the request is made', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const sub = await subscriptionOf(sim, SOFTWARE_INSTALLATION);
  const post = (body: unknown) => call(sim, 'POST', 'ServiceRequest/new', { base: REST(sim), body });
  const refusal = async (body: unknown) => {
    const res = await post(body);
    t.equal(res.status, 200, 'a refusal is HTTP 200');
    const answer = res.json() as { IsSuccess: boolean; ErrorText: string };
    t.equal(answer.IsSuccess, false);
    return answer.ErrorText;
  };

  t.match(await refusal(newRequest(sub, {})), /'Software to install'/, 'the first required parameter');
  t.match(await refusal(newRequest(sub, { [`par-${SOFTWARE_NAME}`]: 'Inkscape' })), /'Computer to install it on'/, 'then the next');
  t.match(await refusal(newRequest(sub, { [`par-${SOFTWARE_NAME}`]: 'Inkscape', [`par-${TARGET_COMPUTER}`]: 'LT-SF-0042' })), /'LT-SF-0042'.*'Computer to install it on'/, 'a drop-down value needs the RecId it picks');
  t.match(
    await refusal(newRequest(sub, { [`par-${SOFTWARE_NAME}`]: 'Inkscape', [`par-${TARGET_COMPUTER}`]: 'LT-SF-0007', [`par-${TARGET_COMPUTER}-recId`]: LAPTOP_USER })),
    /not valid/,
    'and that RecId is the record holding that value',
  );
  const photoshop = { [`par-${SOFTWARE_NAME}`]: 'adobe photoshop', [`par-${TARGET_COMPUTER}`]: 'LT-SF-0042', [`par-${TARGET_COMPUTER}-recId`]: LAPTOP_USER };
  t.match(await refusal(newRequest(sub, photoshop)), /'Cost centre for the licence'/, 'required only when another parameter has a given value');
  t.match(await refusal(newRequest(UNKNOWN, {})), /Subscription/);
  t.match(await refusal(newRequest(sub, {}, { strUserId: UNKNOWN })), /User/);

  const missingKeys = await post({ parameters: {}, subscriptionId: sub });
  t.equal(missingKeys.status, 400, 'a body without the documented keys is a 400');
  t.match(missingKeys.text, /strUserId/);
  t.equal(sim.store.records('servicereqs')?.length, 0, 'no refusal made a request');

  const made = await post(newRequest(sub, { [`PAR-${SOFTWARE_NAME.toLowerCase()}`]: 'Inkscape', [`par-${TARGET_COMPUTER}`]: 'lt-sf-0042', [`par-${TARGET_COMPUTER}-recId`]: LAPTOP_USER }));
  t.equal(made.status, 200);
  const answer = made.json() as { IsSuccess: boolean; ErrorText: string; ServiceRequests: { strRequestRecId: string; strRequestNum: string }[] };
  t.equal(answer.IsSuccess, true);
  t.equal(answer.ErrorText, '');
  const [request] = answer.ServiceRequests;
  const stored = (await call(sim, 'GET', `servicereqs('${request!.strRequestRecId}')`)).json();
  t.equal(String(stored.ServiceReqNumber), request!.strRequestNum);
  t.equal(stored.SvcReqTmplLink_RecID ?? stored.SvcReqTmplLink, SOFTWARE_INSTALLATION);
  t.equal(stored.ProfileLink_RecID ?? stored.ProfileLink, SEED.exampleUser);
  t.equal(stored.Symptom, 'Needs the editor for the new project.');
});
