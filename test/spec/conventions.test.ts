/**
 * Rapid7's plugin conventions, as `npm run generate` enforces them: the real spec keeps them
 * all, and each rule catches what Rapid7's validators would refuse, naming the spec node.
 */
import t from 'tap';
import type { Test } from 'tap';
import { conventionProblems, USE_CASES } from '../../src/spec/conventions.js';
import { loadDoc, realDoc, realSpec, type Doc } from './helpers.js';

function problemsOf(mutate: (doc: Doc) => void): string[] {
  const doc = realDoc();
  mutate(doc);
  return conventionProblems(loadDoc(doc));
}

function catches(t: Test, mutate: (doc: Doc) => void, path: string, words: string): void {
  const problems = problemsOf(mutate);
  t.ok(problems.some((p) => p.startsWith(`${path}`) && p.includes(words)), `${path}: ${words}`, { problems });
}

t.test('the real spec keeps every convention', async (t) => {
  t.same(conventionProblems(realSpec()), []);
});

t.test('descriptions: no trailing period, no lower-case start, one line without a pipe', async (t) => {
  catches(t, (d) => (d.description = 'A plugin.'), 'plugin.description', 'ends with a period');
  catches(t, (d) => (d.actions.get_incident.description = 'read an incident'), 'actions.get_incident.description', 'lower-case');
  catches(t, (d) => (d.actions.get_incident.input.incident_number.description = 'Number | ID'), 'actions.get_incident.input.incident_number.description', "without '|'");
  catches(t, (d) => (d.triggers.new_incident.output.incident.description = 'The incident.'), 'triggers.new_incident.output.incident.description', 'period');
});

t.test('an acronym that stands as a word is in capitals, even where it is also an English word', async (t) => {
  catches(t, (d) => (d.description = 'Talk to the tenant over its rest interface'), 'plugin.description', "'rest' is the acronym REST");
  catches(t, (d) => (d.actions.get_incident.title = 'Get Incident By Url'), 'actions.get_incident.title', "'Url' is the acronym URL");
  catches(t, (d) => (d.actions.search_incidents.output.count.description = 'Read the rest with a new search'), 'actions.search_incidents.output.count.description', 'REST');
  catches(t, (d) => (d.connection.url.description = 'Address of the tenant, over https'), 'connection.url.description', 'HTTPS');
  t.same(problemsOf((d) => (d.description = 'Rests on REST; restful; the rest, as a URL does.')).filter((p) => p.includes('acronym')), [], 'only a whole word, and only when not in capitals');
});

t.test('every input has an example; no minimum or maximum anywhere', async (t) => {
  catches(t, (d) => delete d.actions.create_incident.input.category.example, 'actions.create_incident.input.category', 'no example');
  catches(t, (d) => delete d.connection.ssl_verify.example, 'connection.ssl_verify', 'no example');
  catches(t, (d) => (d.actions.search_incidents.input.max_results.maximum = 10000), 'actions.search_incidents.input.max_results.maximum', 'state the bound in the description');
  catches(t, (d) => (d.connection.connect_timeout.minimum = 1), 'connection.connect_timeout.minimum', 'enforce it in code');
});

t.test('hub tags: use cases from the allowed list, keywords that are not use cases', async (t) => {
  catches(t, (d) => (d.hub_tags.use_cases = ['it_ops']), 'hub_tags.use_cases', "'it_ops' is not one of");
  catches(t, (d) => (d.hub_tags.use_cases = []), 'hub_tags.use_cases', 'at least one');
  catches(t, (d) => d.hub_tags.keywords.push(USE_CASES[0]), 'hub_tags.keywords', 'is a use case');
});

t.test('version history: the spec version first, newest first, down to 1.0.0 - Initial plugin', async (t) => {
  catches(t, (d) => d.version_history.shift(), 'version_history[0]', `the spec's version`);
  catches(t, (d) => d.version_history.reverse(), 'version_history', 'newest first');
  catches(t, (d) => d.version_history.pop(), 'version_history', '1.0.0 - Initial plugin');
});

t.test('connection version is the major version; the spec text is ASCII', async (t) => {
  catches(t, (d) => (d.connection_version = 7), 'connection_version', "the plugin's major version");
  catches(t, (d) => (d.actions.add_note.title = 'Add Note \u2013 Journal'), 'spec.actions', 'outside ASCII');
});

t.test('email addresses are the recommended examples', async (t) => {
  const problems = problemsOf((d) => (d.actions.create_incident.input.customer.description = 'Customer, such as mchen@corp.local'));
  t.ok(problems.some((p) => p.includes('mchen@corp.local') && p.includes('user@example.com')), 'another address is refused', { problems });
  t.same(problemsOf((d) => (d.actions.create_incident.input.customer.description = 'Customer, such as user7@example.com')), [], 'user<n>@example.com is fine');
});
