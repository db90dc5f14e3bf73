/**
 * Updated Incident's checkpoint: times in any of ISM's forms are compared in UTC, a saved state
 * is read back exactly, and the window forgets only what it no longer reaches.
 */
import t from 'tap';
import {
  changeCheckpointState,
  changeHandled,
  isNewChange,
  readChangeCheckpoint,
  startingChangeCheckpoint,
  utcMillis,
} from '../../src/ivanti/triggers/change-checkpoint.js';

const R1 = 'BC6E2562367D08417D67FAECB5841C25';
const R2 = '719F8BD5B1688AA0A9AF8F36F6A7E934';
const at = (iso: string) => Date.parse(iso);

t.test('offsets are normalised to UTC', async (t) => {
  t.equal(utcMillis('2026-12-05T02:00:00-07:00'), at('2026-12-05T09:00:00Z'));
  t.equal(utcMillis('2026-12-05T10:30:00+0130'), at('2026-12-05T09:00:00Z'));
  t.equal(utcMillis('2026-12-05T09:00:00Z'), at('2026-12-05T09:00:00Z'));
  t.equal(utcMillis('2026-12-05T09:00:00'), at('2026-12-05T09:00:00Z'), 'no offset is UTC');
  t.equal(utcMillis('2026-12-05T09:00:00.250Z'), at('2026-12-05T09:00:00.250Z'));
  // As text, the earlier time sorts after the later one; as times, it does not.
  t.ok(utcMillis('2026-12-05T02:00:05-07:00')! > utcMillis('2026-12-05T08:59:00Z')!);
  for (const bad of ['', 'yesterday', '2026-13-45T99:00:00Z', 42, null, undefined]) t.equal(utcMillis(bad), undefined, `refused: ${String(bad)}`);
});

t.test('a change is new once: after the floor, within the window, not handled yet', async (t) => {
  const floor = at('2026-12-05T09:00:00Z');
  const cp = startingChangeCheckpoint(floor);
  t.notOk(isNewChange(cp, R1, floor, 60), 'not at the floor');
  t.ok(isNewChange(cp, R1, floor + 1000, 60));
  changeHandled(cp, R1, floor + 1000, 60);
  t.notOk(isNewChange(cp, R1, floor + 1000, 60), 'not twice');
  t.notOk(isNewChange(cp, R1.toLowerCase(), floor + 1000, 60), 'RecIds without regard to case');
  t.ok(isNewChange(cp, R2, floor + 1000, 60), 'another incident at the same second');
  t.ok(isNewChange(cp, R1, floor + 2000, 60), 'the same incident changed again');
  changeHandled(cp, R1, floor + 120_000, 60);
  t.notOk(cp.recent.has(`${R1}@${floor + 1000}`), 'forgotten once the window has passed it');
  t.notOk(isNewChange(cp, R2, floor + 1000, 60), 'and never delivered again: it is before the window');
  t.ok(isNewChange(cp, R2, floor + 61_000, 60), 'a late change inside the window');
});

t.test('the state round-trips in UTC, for its own tenant only', async (t) => {
  const cp = startingChangeCheckpoint(at('2026-12-05T09:00:00Z'));
  changeHandled(cp, R1, at('2026-12-05T09:00:30Z'), 300);
  changeHandled(cp, R2, at('2026-12-05T09:00:10Z'), 300);
  const saved = changeCheckpointState(cp, 'https://ism.example.com');
  t.same(saved, {
    baseUrl: 'https://ism.example.com',
    last: '2026-12-05T09:00:30.000Z',
    floor: '2026-12-05T09:00:00.000Z',
    recent: [`${R2}@2026-12-05T09:00:10.000Z`, `${R1}@2026-12-05T09:00:30.000Z`],
  });
  const back = readChangeCheckpoint(JSON.parse(JSON.stringify(saved)), 'https://ism.example.com')!;
  t.same(back, cp);
  t.equal(readChangeCheckpoint(saved, 'https://other.example.com'), undefined, "another tenant's place is not used");
  t.equal(readChangeCheckpoint({ baseUrl: 'x', last: 'soon' }, 'x'), undefined, 'an unreadable place is not used');
});
