/**
 * Create Service Request with parameters against a tenant that answers differently from the
 * simulator: it wraps the customer's subscriptions in an object, asks for a parameter whose
 * requirement it alone decides, and names that parameter in its refusal by its `par-<id>` key.
 */
import t from 'tap';
import { tenant } from './fake-tenant.js';
import { startStack, type Json } from './helpers.js';

const CUSTOMER = '11111111111111111111111111111111';
const TEMPLATE = '22222222222222222222222222222222';
const SIZE = '33333333333333333333333333333333';
const COLOUR = '44444444444444444444444444444444';

t.test('a wrapped subscription list is read, and a refusal naming par-<id> names the parameter', async (t) => {
  const posts: Json[] = [];
  const odd = await tenant((path, query, req, body) => {
    if (path === 'employees') return [200, { value: [{ RecId: CUSTOMER, LoginID: 'user', DisplayName: 'Example User', PrimaryEmail: 'user@example.com' }] }];
    if (path === 'servicereqtemplates') return [200, { value: [{ RecId: TEMPLATE, Name: 'Order a Monitor', Status: 'Published (Automatic)' }] }];
    if (path === 'servicereqtemplateparams') {
      // One page, then nothing after its last key.
      if ((query.get('$filter') ?? '').includes('RecId gt')) return [200, { value: [] }];
      return [200, { value: [{ RecId: SIZE, Name: 'Size', DisplayName: 'Screen size', RequiredExpression: '$(true)' }, { RecId: COLOUR, Name: 'Colour', DisplayName: 'Colour', RequiredExpression: '$(IsDesignTeam)' }] }];
    }
    if (path === `/api/rest/Template/${CUSTOMER}/_All_`) return [200, { Templates: [{ strSubscriptionId: 'SUBSCRIPTION-7', strRecId: TEMPLATE, strName: 'Order a Monitor' }] }];
    if (path === '/api/rest/ServiceRequest/new' && req.method === 'POST') {
      posts.push(JSON.parse(body) as Json);
      return [200, { IsSuccess: false, ErrorText: `Value required for par-${COLOUR}.`, ServiceRequests: [] }];
    }
    return [404, { code: 'ISM_4004', description: 'Requested resource does not exist', message: ['Invalid Path'] }];
  });
  t.teardown(() => odd.close());
  const stack = await startStack();
  t.teardown(() => stack.close());
  const input = { service_request_template: 'Order a Monitor', customer: 'user@example.com', description: 'A second screen', status: 'Submitted', parameters: { 'screen size': '27 inch' } };
  const r = await stack.run('create_service_request', input, stack.connection({ url: odd.url }));
  t.equal(r.status, 400);
  t.match(r.body.error, /because of the template parameter Colour \('Colour'\), in the parameters input: .*Value required for par-44444444444444444444444444444444/);
  t.equal(posts.length, 1, 'sent once');
  t.match(posts[0], { subscriptionId: 'SUBSCRIPTION-7', strUserId: CUSTOMER, parameters: { [`par-${SIZE}`]: '27 inch' } });
});
