/**
 * A trigger's state file: where it keeps its place across restarts.
 *
 * - Opening it proves it can be written: the directory is created if needed, and a lock file
 *   beside it is created exclusively. A path that cannot be written is refused at start with
 *   the reason (EACCES, EROFS, ENOTDIR, ...) and the fix, before any event is delivered.
 * - The lock holds the owner's pid. A second trigger pointed at the same file is refused while
 *   that process lives; a lock left by a process that died is taken over.
 * - A file that is not a JSON object is refused with the way to reset it, never overwritten.
 * - Every save is atomic: a temporary file is written and fsynced, renamed over the old file,
 *   and the directory is fsynced, so a crash leaves the old state or the new one, never half.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TriggerState } from './plugin.js';

/** A state file that cannot be used; the message names the path, the reason and the fix. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

export interface StateFile extends TriggerState {
  /** Removes the lock; the state itself stays. */
  release(): void;
}

/** Paths this process holds, so that one process cannot open a file twice either. */
const held = new Set<string>();

const FIXES: Record<string, string> = {
  EACCES: 'give the user the trigger runs as write access to that directory (in a container: a volume writable by its uid or by group 0)',
  EPERM: 'give the user the trigger runs as write access to that directory',
  EROFS: 'the file system is read-only: point TRIGGER_STATE_FILE at a writable volume',
  ENOTDIR: 'a part of the path is a file, not a directory: point TRIGGER_STATE_FILE at a path inside a directory',
  EISDIR: 'the path is a directory: point TRIGGER_STATE_FILE at a file inside it',
  ENOSPC: 'the disk is full: free space or use another volume',
};

function unusable(path: string, err: unknown): StateFileError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
  const fix = FIXES[code] ?? 'point TRIGGER_STATE_FILE at a file in a writable directory';
  return new StateFileError(`The trigger state file ${path} cannot be written (${code}: ${(err as Error).message}). Fix: ${fix}.`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeLock(path: string): string {
  const lock = `${path}.lock`;
  if (held.has(path)) throw new StateFileError(`The trigger state file ${path} is already used by another trigger in this process. Give each running trigger its own state file.`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      held.add(path);
      return lock;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw unusable(path, err);
    }
    let owner = Number.NaN;
    try {
      owner = Number.parseInt(readFileSync(lock, 'utf8'), 10);
    } catch {
      // Removed meanwhile, or unreadable: treated as stale.
    }
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new StateFileError(
        `The trigger state file ${path} is locked by another running trigger (pid ${owner}, lock ${lock}). Two triggers must not share a state file: give this one its own TRIGGER_STATE_FILE, or stop the other first.`,
      );
    }
    // The owner is gone (a crash, or a container restarted with a new pid namespace).
    rmSync(lock, { force: true });
  }
  throw new StateFileError(`The trigger state file ${path} could not be locked: ${lock} keeps reappearing. Make sure no other trigger uses this file.`);
}

function readAll(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw unusable(path, err);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    parsed = err;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed instanceof Error) {
    throw new StateFileError(
      `The trigger state file ${path} is corrupt (not a JSON object). To reset it, stop the trigger and delete or move the file; the trigger then starts from the newest record and does not replay older ones.`,
    );
  }
  return parsed as Record<string, unknown>;
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const dir = openSync(dirname(path), 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Opens the state file for the trigger `key` (one file may hold several keys, but only one
 * running trigger at a time). Throws StateFileError when the file cannot serve.
 */
export function openStateFile(path: string, key: string): StateFile {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    // mkdir says EEXIST when a part of the directory's path is a file.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw unusable(path, Object.assign(new Error(`${dirname(path)} is not a directory`), { code: 'ENOTDIR' }));
    }
    throw unusable(path, err);
  }
  const lock = takeLock(path);
  const release = () => {
    if (!held.delete(path)) return;
    rmSync(lock, { force: true });
    process.off('exit', release);
  };
  process.on('exit', release);
  let all: Record<string, unknown>;
  try {
    all = readAll(path);
    // The first save proves the file itself can be replaced, before any event is delivered.
    writeAtomically(path, JSON.stringify(all, null, 2) + '\n');
  } catch (err) {
    release();
    throw err instanceof StateFileError ? err : unusable(path, err);
  }
  return {
    async load() {
      const mine = all[key];
      return typeof mine === 'object' && mine !== null && !Array.isArray(mine) ? (mine as Record<string, unknown>) : undefined;
    },
    async save(state) {
      all = { ...all, [key]: state };
      writeAtomically(path, JSON.stringify(all, null, 2) + '\n');
    },
    release,
  };
}
