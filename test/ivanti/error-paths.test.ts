/** Errors and log lines show ISM paths as a person reads them: the query decoded, never %20eq%20. */
import t from 'tap';
import { startStack } from './helpers.js';

t.test('a failed request names its path decoded', async (t) => {
  const stack = await startStack();
  t.teardown(() => stack.close());
  stack.sim.faults.script({ method: 'GET', set: 'incidents', times: 'always', fault: { kind: 'status', status: 500 } });
  const r = await stack.run('get_incident', { incident_number: 54321 });
  t.equal(r.status, 400);
  t.match(r.body.exception.cause, "GET incidents?$filter=IncidentNumber eq 54321&$top=2", 'the cause');
  stack.sim.faults.clear();
  stack.sim.faults.script({ method: 'GET', set: 'incidents', fault: { kind: 'status', status: 503 } });
  const retried = await stack.run('get_incident', { incident_number: 10001 });
  t.equal(retried.status, 200, 'retried, then answered');
  t.match(retried.body.log, /ISM GET incidents\?\$filter=IncidentNumber eq 10001&\$top=2 failed: .* Retrying/, 'the retry log line');
  for (const text of [r.body.error, retried.body.log, stack.logText()]) t.notMatch(text, /%20|%27/, 'nothing percent-encoded');

  stack.sim.faults.script({ method: 'GET', set: 'employees', fault: { kind: 'error-body', shape: 'ism' } });
  const quoted = await stack.run('search_incidents', { customer: "siobhan.o'neill@example.com" });
  t.match(quoted.body.exception.cause, "GET employees?$filter=PrimaryEmail eq 'siobhan.o''neill@example.com' or LoginID eq", 'quotes as ISM reads them');
});
