// Service request template parameters: seeded as children of their templates, listed by
// `ParentLink_RecID` and through the template's relationship, required ones marked `$(true)`,
// drop-downs naming the object and field they pick from; a parameter needs an existing template.
import t from 'tap';
import { call, enc, start } from './helpers.js';

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
  ]);
  const related = await call(sim, 'GET', `servicereqtemplates('${SOFTWARE_INSTALLATION}')/ServiceReqTemplateContainsServiceReqTemplateParam`);
  t.equal(related.status, 200);
  t.equal(related.json().value.length, 3, 'the same three through the relationship');
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
