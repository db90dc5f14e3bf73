/** The command line as real child processes: run and test over stdin, sample, info, help, version, bad commands. */
import t, { type Test } from 'tap';
import { Ajv } from 'ajv';
import { loadSpecFile } from '../../src/spec/load.js';
import { buildPluginSchemas } from '../../src/spec/schema.js';
import { Runtime } from '../../src/runtime/execute.js';
import { createHelloPlugin, specFile } from '../fixtures/hello/plugin.js';
import { actionStart, connection, runHello, SECRET, singleEnvelope, stderrJsonLines, type ChildResult, type Json } from './helpers.js';

const schemas = buildPluginSchemas(loadSpecFile(specFile));

// Child processes start slowly on a busy machine; every wait is still bounded.

function body(envelope: Json): Json {
  return envelope.body as Json;
}

function assertQuiet(t: Test, result: ChildResult, what: string): void {
  t.notOk(result.stdout.includes(SECRET), `${what}: the secret is not on stdout`);
  t.notOk(result.stderr.includes(SECRET), `${what}: the secret is not on stderr`);
  t.doesNotThrow(() => stderrJsonLines(result.stderr), `${what}: stderr is JSON lines only`);
}

t.test('run and test over stdin: one envelope on stdout, exit codes, JSON logs on stderr', async (t) => {
  const [ok, pluginError, exception, logSecret, testOk, testBad, connectionTest, triggerTest] = await Promise.all([
    runHello(['--debug', 'run'], JSON.stringify(actionStart({ name: 'Ada' }, { meta: { job: 'j1' } }))),
    runHello(['run'], JSON.stringify(actionStart({ name: 'plugin-error' }))),
    runHello(['run'], JSON.stringify(actionStart({ name: 'throw-secret' }))),
    runHello(['run'], JSON.stringify(actionStart({ name: 'log-secret' }))),
    runHello(['test'], JSON.stringify(actionStart({}))),
    runHello(['test'], JSON.stringify(actionStart({}, { connection: connection({}, 'reject-me') }))),
    runHello(['run'], JSON.stringify({ version: 'v1', type: 'connection_test', body: { connection: connection() } })),
    runHello(['test'], JSON.stringify({ version: 'v1', type: 'trigger_start', body: { trigger: 'hello_trigger', connection: connection(), dispatcher: { url: 'http://127.0.0.1:9/' } } })),
  ]);

  t.equal(ok.code, 0, 'run ok exits 0 (with --debug before the command)');
  const okEnvelope = singleEnvelope(ok.stdout);
  t.match(okEnvelope, { version: 'v1', type: 'action_event', body: { status: 'ok', meta: { job: 'j1' }, output: { message: 'Hello, Ada!', style: 'plain' } } });
  t.match(body(okEnvelope).log, /greeting Ada/);
  const okLogs = stderrJsonLines(ok.stderr);
  t.ok(okLogs.some((l) => l.msg === 'step finished'), 'the step is logged on stderr');

  t.equal(pluginError.code, 1, 'a plugin error exits 1');
  t.match(singleEnvelope(pluginError.stdout), { type: 'action_event', body: { status: 'error', exception: { cause: 'Nobody called plugin-error lives here.' } } });

  t.equal(exception.code, 1, 'an exception exits 1');
  t.match(singleEnvelope(exception.stdout), { body: { status: 'error', exception: { data: 'the greeting machine rejected key ********' } } });
  t.ok(stderrJsonLines(exception.stderr).some((l) => l.msg === 'unexpected exception'), 'the stack is logged on stderr');

  t.equal(logSecret.code, 0);
  t.match(body(singleEnvelope(logSecret.stdout)).log, /the key is \*{8}/);

  t.equal(testOk.code, 0, 'test ok exits 0');
  t.match(singleEnvelope(testOk.stdout), { type: 'action_event', body: { status: 'ok', output: { success: true } } });
  t.equal(testBad.code, 1, 'a failed test exits 1');
  t.match(singleEnvelope(testBad.stdout), { body: { status: 'error', exception: { cause: 'The API key was rejected.' } } });

  t.equal(connectionTest.code, 0, 'run accepts a connection_test message');
  t.match(singleEnvelope(connectionTest.stdout), { type: 'connection_test', body: { status: 'ok', output: { success: true } } });

  t.equal(triggerTest.code, 0, 'test accepts a trigger_start message');
  t.match(singleEnvelope(triggerTest.stdout), { type: 'trigger_event', body: { status: 'ok', output: { success: true } } });

  for (const [what, result] of Object.entries({ ok, pluginError, exception, logSecret, testOk, testBad, connectionTest, triggerTest })) {
    assertQuiet(t, result, what);
  }
});

t.test('bad stdin gives an error envelope and exit 1', async (t) => {
  const [invalid, leaky, empty] = await Promise.all([
    runHello(['run'], '{"version": "v1", nope'),
    // V8 quotes the text around a syntax error; here that text is the secret.
    runHello(['run'], `{"body": {"connection": {"greeting_key": {"secretKey": ${SECRET}}}}}`),
    runHello(['test'], ' \n\t '),
  ]);
  t.equal(invalid.code, 1);
  t.match(singleEnvelope(invalid.stdout), { version: 'v1', body: { status: 'error', error: /stdin is not valid JSON \(at position \d+\)/ } });
  t.equal(leaky.code, 1);
  t.match(singleEnvelope(leaky.stdout), { body: { status: 'error', error: /stdin is not valid JSON/ } });
  t.notOk(leaky.stdout.includes(SECRET.slice(0, 8)), 'no part of the secret is quoted back');
  t.equal(empty.code, 1);
  t.match(singleEnvelope(empty.stdout), { body: { status: 'error', error: /stdin was empty/ } });
  for (const [what, result] of Object.entries({ invalid, leaky, empty })) assertQuiet(t, result, what);
});

t.test('sample prints a start message that validates and runs', async (t) => {
  const [action, trigger, unknown] = await Promise.all([
    runHello(['sample', 'say_hello']),
    runHello(['sample', 'hello_trigger']),
    runHello(['sample', 'say_goodbye']),
  ]);
  t.equal(action.code, 0);
  const message = JSON.parse(action.stdout) as Json;
  t.match(message, { version: 'v1', type: 'action_start', body: { action: 'say_hello', meta: {} } });
  const ajv = new Ajv({ strict: false, validateFormats: false });
  const input = ajv.compile(schemas.actions.say_hello!.input);
  t.ok(input(body(message).input), `the sample input validates: ${ajv.errorsText(input.errors)}`);
  const conn = ajv.compile(schemas.connection);
  t.ok(conn(body(message).connection), `the sample connection validates: ${ajv.errorsText(conn.errors)}`);
  t.same(body(message).input, { name: 'World', style: 'plain' }, 'filled from the example, then the default');
  t.same(body(message).connection, { greeting_key: { secretKey: 'example-greeting-key' }, punctuation: '!' });

  const run = await new Runtime(createHelloPlugin().plugin).execute(message, { mode: 'run' });
  t.equal(run.status, 200, 'the sample runs');
  t.match(run.envelope, { body: { status: 'ok', output: { message: 'Hello, World!' } } });

  t.equal(trigger.code, 0);
  const triggerMessage = JSON.parse(trigger.stdout) as Json;
  t.match(triggerMessage, { type: 'trigger_start', body: { trigger: 'hello_trigger', dispatcher: { url: /^http/ } } });
  const triggerInput = ajv.compile(schemas.triggers.hello_trigger!.input);
  t.ok(triggerInput(body(triggerMessage).input), 'the trigger sample input validates');

  t.not(unknown.code, 0, 'an unknown step exits non-zero');
  t.equal(unknown.stdout, '', 'nothing on stdout');
  t.match(unknown.stderr, /unknown step 'say_goodbye'. Steps: say_hello, hello_trigger/);
});

t.test('info, --help and --version', async (t) => {
  const [info, help, version] = await Promise.all([runHello(['info']), runHello(['--help']), runHello(['--version'])]);
  t.equal(info.code, 0);
  t.match(info.stdout, /Hello \(hello\) 0\.3\.1/);
  t.match(info.stdout, /Vendor: +fixtures/);
  t.match(info.stdout, /Greets people by name/);
  t.match(info.stdout, /Actions:\n {2}say_hello +Say Hello: Greet someone by name/);
  t.match(info.stdout, /Triggers:\n {2}hello_trigger +Hello Trigger/);
  t.equal(help.code, 0);
  t.match(help.stdout, /^Usage: hello /);
  for (const command of ['run', 'test', 'http', 'info', 'sample']) t.match(help.stdout, new RegExp(`\\n  ${command}\\b`), `help lists ${command}`);
  t.equal(version.code, 0);
  t.equal(version.stdout, 'hello 0.3.1\n');
});

t.test('unknown commands and arguments exit 2 with a message', async (t) => {
  const [unknown, extra, badPort] = await Promise.all([
    runHello(['frobnicate']),
    runHello(['run', 'now'], '{}'),
    runHello(['http', '--port', 'eighty']),
  ]);
  t.equal(unknown.code, 2);
  t.equal(unknown.stdout, '');
  t.match(unknown.stderr, /^hello: unknown command 'frobnicate'/);
  t.equal(extra.code, 2);
  t.match(extra.stderr, /'run' takes no arguments/);
  t.equal(badPort.code, 2);
  t.match(badPort.stderr, /--port must be a port number/);
});
