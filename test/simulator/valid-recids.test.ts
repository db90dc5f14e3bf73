// Every validated incident field comes back with its `_Valid` RecId, as ISM answers.
import t from 'tap';
import { DEFAULT_VALIDATION_LISTS } from '../../src/simulator/index.js';
import { call, incidentPayload, start } from './helpers.js';

const REC_ID = /^[0-9A-F]{32}$/;

t.test('a created, updated or read incident carries the _Valid RecId of every validated field it has', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const lists = DEFAULT_VALIDATION_LISTS.incident;
  // A value for every list, the status one that needs nothing more.
  const values = Object.fromEntries(Object.entries(lists).map(([field, allowed]) => [field, allowed[0]!]));
  const created = (await call(sim, 'POST', 'incidents', { body: incidentPayload({ ...values, Status: 'Logged' }) })).json();
  const read = (await call(sim, 'GET', `incidents('${String(created.RecId)}')`)).json();
  for (const [where, record] of [['created', created], ['read back', read]] as const) {
    for (const field of Object.keys(lists)) t.match(record[`${field}_Valid`], REC_ID, `${where}: ${field}_Valid`);
  }
  const failure = (await call(sim, 'PATCH', `incidents('${String(created.RecId)}')`, { body: { TypeOfIncident: 'Failure' } })).json();
  const request = (await call(sim, 'PATCH', `incidents('${String(created.RecId)}')`, { body: { TypeOfIncident: 'Request' } })).json();
  t.match(failure.TypeOfIncident_Valid, REC_ID);
  t.not(failure.TypeOfIncident_Valid, request.TypeOfIncident_Valid, 'another value, another RecId');
});

t.test('the seeded incidents carry TypeOfIncident_Valid too', async (t) => {
  const sim = await start();
  t.teardown(() => sim.close());
  const rows = (await call(sim, 'GET', 'incidents?$top=100')).json().value as Record<string, unknown>[];
  t.ok(rows.length > 0);
  for (const row of rows) if (row.TypeOfIncident) t.match(row.TypeOfIncident_Valid, REC_ID, `incident ${String(row.IncidentNumber)}`);
});
