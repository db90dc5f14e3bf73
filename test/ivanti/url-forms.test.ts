/**
 * The tenant URL in every form users type it (ism-api.md, Addressing): normalised once, and
 * working end to end against simulators that serve `/HEAT/api`, `/api`, or both.
 */
import t from 'tap';
import type { Connection } from '../../src/generated/types.js';
import { normaliseBaseUrl, resolveSettings } from '../../src/ivanti/connection.js';
import { PluginError } from '../../src/runtime/errors.js';
import type { PrefixOption } from '../../src/simulator/index.js';
import { KEY, startStack } from './helpers.js';

t.test('normaliseBaseUrl', async (t) => {
  const cases: [string, string][] = [
    ['https://h', 'https://h'],
    ['https://h/', 'https://h'],
    ['https://h//', 'https://h'],
    ['https://h/HEAT', 'https://h/HEAT'],
    ['https://h/HEAT/', 'https://h/HEAT'],
    ['https://h/HEAT/api', 'https://h/HEAT'],
    ['https://h/HEAT/api/', 'https://h/HEAT'],
    ['https://h/HEAT/API', 'https://h/HEAT'],
    ['https://h/api', 'https://h'],
    ['https://h/api/', 'https://h'],
    ['https://h/api/odata', 'https://h'],
    ['https://h/api/odata/businessobject', 'https://h'],
    ['https://h/HEAT/api/odata/businessobject/', 'https://h/HEAT'],
    ['https://h/HEAT/api/odata/businessobject/incidents', 'https://h/HEAT'],
    ["https://h/HEAT/api/odata/businessobject/incidents('BC6E2562367D08417D67FAECB5841C25')", 'https://h/HEAT'],
    ['https://h/HEAT/api/odata/$metadata', 'https://h/HEAT'],
    ['  https://h/HEAT  ', 'https://h/HEAT'],
    ['h.example.com/HEAT', 'https://h.example.com/HEAT'],
    ['HTTPS://H.Example.COM/HEAT', 'https://h.example.com/HEAT'],
    ['http://127.0.0.1:8080/HEAT/api', 'http://127.0.0.1:8080/HEAT'],
    ['https://h:8443/', 'https://h:8443'],
    // "api" inside a host or a path segment is left alone.
    ['https://api-itsm.example.com', 'https://api-itsm.example.com'],
    ['https://api-itsm.example.com/', 'https://api-itsm.example.com'],
    ['https://api.example.com/HEAT', 'https://api.example.com/HEAT'],
    ['https://api.example.com/api', 'https://api.example.com'],
    ['https://rapid.example.com/HEAT', 'https://rapid.example.com/HEAT'],
    ['https://h/apis/HEAT', 'https://h/apis/HEAT'],
    ['https://h/myapi', 'https://h/myapi'],
    ['https://h/api-gateway/HEAT/api', 'https://h/api-gateway/HEAT'],
    ['https://h/HEAT/api/v2', 'https://h/HEAT/api/v2'],
    // A gateway path with its own `api` segment in front of the tenant path.
    ['https://gw.example.com/api/ism/HEAT/api', 'https://gw.example.com/api/ism/HEAT'],
    ['https://gw.example.com/api/ism/HEAT', 'https://gw.example.com/api/ism/HEAT'],
  ];
  for (const [input, expected] of cases) t.equal(normaliseBaseUrl(input), expected, input);

  for (const [bad, why] of [
    ['', /empty/],
    ['   ', /empty/],
    ['ftp://h/HEAT', /scheme must be https or http/],
    ['https://user:pw@h/HEAT', /user name or password/],
    ['https://h/HEAT?x=1', /query string or fragment/],
    ['https://h/HEAT#top', /query string or fragment/],
    ['https://', /not a valid URL/],
  ] as const) {
    t.throws(() => normaliseBaseUrl(bad), why, JSON.stringify(bad));
    try {
      normaliseBaseUrl(bad);
    } catch (err) {
      t.ok(err instanceof PluginError, 'a plugin error (400), not a crash');
    }
  }

  const timeouts = { connect_timeout: 10, request_timeout: 60, attachment_size_limit: 20, response_size_limit: 32 };
  const settings = resolveSettings({ credentials: { secretKey: ` ${KEY} ` }, url: 'https://h/HEAT/api/', ssl_verify: true, ...timeouts });
  t.equal(settings.odataUrl, 'https://h/HEAT/api/odata/businessobject/');
  t.equal(settings.apiKey, KEY, 'the key is trimmed');
  t.equal(settings.connectTimeoutMs, 10_000);
  t.equal(settings.requestTimeoutMs, 60_000);
  const bare = { credentials: { secretKey: KEY }, url: 'https://h', ssl_verify: true } as unknown as Connection;
  t.equal(resolveSettings(bare).connectTimeoutMs, 10_000, 'connect timeout 10 s when absent');
  t.equal(resolveSettings(bare).requestTimeoutMs, 60_000, 'request timeout 60 s when absent');
  const custom = resolveSettings({ credentials: { secretKey: KEY }, url: 'https://h', ssl_verify: false, connect_timeout: 3, request_timeout: 7, attachment_size_limit: 20, response_size_limit: 32 });
  t.equal(custom.connectTimeoutMs, 3_000);
  t.equal(custom.requestTimeoutMs, 7_000);
  t.equal(custom.sslVerify, false);
  t.throws(() => resolveSettings({ credentials: { secretKey: '  ' }, url: 'https://h', ssl_verify: true, ...timeouts }), /API key in the connection is empty/);
  t.throws(() => resolveSettings({ credentials: { secretKey: 'abc\r\nX-Evil: 1' }, url: 'https://h', ssl_verify: true, ...timeouts }), /control characters/);
});

/** The forms of ism-api.md, written on a base that is the origin or the origin plus /HEAT. */
const forms = (base: string): string[] => [
  base,
  `${base}/`,
  `${base}/api`,
  `${base}/api/`,
  `${base}/api/odata/businessobject`,
  `${base}/api/odata/businessobject/incidents`,
  `  ${base}  `,
];

for (const prefix of ['both', '/HEAT', ''] as PrefixOption[]) {
  t.test(`every URL form against a simulator serving ${prefix === 'both' ? 'both prefixes' : prefix || 'no prefix'}`, async (t) => {
    const stack = await startStack({ sim: { prefix } });
    t.teardown(() => stack.close());
    const { sim } = stack;
    const served = prefix === 'both' ? ['/HEAT', ''] : [prefix];
    for (const tenantPath of ['/HEAT', '']) {
      const works = served.includes(tenantPath);
      for (const url of forms(`${sim.origin}${tenantPath}`)) {
        const test = await stack.test(stack.connection({ url }));
        if (works) {
          t.equal(test.status, 200, `${url}: ${test.body.error ?? 'ok'}`);
          t.equal(test.entries[0]?.path, `${tenantPath}/api/odata/businessobject/employees`, `${url} reaches the API`);
          const note = await stack.run('add_note', { incident_number: 10001, summary: `via ${url}` }, stack.connection({ url }));
          t.equal(note.status, 200, `${url}: add_note ${note.body.error ?? 'ok'}`);
          t.ok(note.entries.every((e) => e.path.startsWith(`${tenantPath}/api/odata/businessobject/`)), 'every request on the same base');
        } else {
          t.equal(test.status, 400, `${url} is not this tenant's API`);
          t.equal(test.entries[0]?.status, 404);
          t.match(test.body.exception.cause, /404/);
          t.match(test.body.exception.assistance, /\/HEAT/, 'the error mentions the /HEAT prefix');
          t.equal(test.entries.length, 1, 'a 404 is not retried');
        }
      }
    }
  });
}
