/**
 * The stand-in for got's createNativeRequestOptions hands Node exactly what got would, less
 * the cache options and the fields got left undefined; with got's HTTP cache on it steps aside.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import t from 'tap';
import { Options } from 'got';
import { gotCreateNativeRequestOptions, installLeanNativeOptions, leanNativeOptions } from '../../src/ivanti/got-native-options.js';
import '../../src/ivanti/client.js';

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true, rejectUnauthorized: false }) };
const cases: Record<string, ConstructorParameters<typeof Options>> = {
  'http GET': ['http://127.0.0.1:8080/api/odata/businessobject/employees?$top=2', { agent: agents, headers: { authorization: 'rest_api_key=K' } }],
  'https POST, certificate not checked': [
    'https://tenant.example.com/HEAT/api/odata/businessobject/incidents',
    { method: 'POST', agent: agents, https: { rejectUnauthorized: false }, headers: { 'content-type': 'application/json' } },
  ],
  'custom lookup and local address': ['http://127.0.0.1:8080/', { dnsLookupIpVersion: 4, localAddress: '127.0.0.1', setHost: false }],
};

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

t.test('the client installs the stand-in on got', async (t) => {
  t.equal(Options.prototype.createNativeRequestOptions, leanNativeOptions);
  installLeanNativeOptions();
  t.equal(Options.prototype.createNativeRequestOptions, leanNativeOptions, 'installing twice changes nothing');
  t.not(gotCreateNativeRequestOptions, leanNativeOptions, "got's own function is kept");
});

for (const [name, args] of Object.entries(cases)) {
  t.test(name, async (t) => {
    const options = new Options(...args);
    const full = gotCreateNativeRequestOptions.call(options);
    const lean = options.createNativeRequestOptions();
    const cacheKeys = Object.keys(options.cacheOptions);
    t.ok(cacheKeys.length > 0, 'got has cache options to set aside');
    for (const key of cacheKeys) t.notOk(key in lean, `cache option ${key} left out`);
    const expected = defined(full);
    for (const key of cacheKeys) delete expected[key];
    t.same(lean, expected, 'every field that has a value, with the same value');
    t.ok(Object.values(lean).every((v) => v !== undefined), 'no field left undefined');
    t.ok(Object.keys(lean).length < Object.keys(full).length / 2, 'far fewer fields than got builds');
    t.same(Object.keys(options.cacheOptions), cacheKeys, "got's cache options are put back");
  });
}

t.test("with got's HTTP cache on, got's own function decides", async (t) => {
  const options = new Options('http://127.0.0.1:8080/', { cache: new Map(), cacheOptions: { shared: false } });
  const lean = options.createNativeRequestOptions();
  t.same(lean, gotCreateNativeRequestOptions.call(options));
  t.equal(lean.shared, false, 'the cache options reach the cache');
});
