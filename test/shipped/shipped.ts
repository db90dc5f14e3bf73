/**
 * The files the image ships, laid out as its runtime stage lays them out (read from the
 * Dockerfile's COPY lines) in a folder of their own, without node_modules, and the image's
 * NODE_OPTIONS: the tests of this folder run that copy, so they run what users run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

export const DOCKERFILE = readFileSync('Dockerfile', 'utf8');

/** The instructions of the Dockerfile's last stage, continuation lines joined. */
export function runtimeStage(): string[] {
  const lines = DOCKERFILE.replace(/\\\n/g, ' ').split('\n');
  const from = lines.map((l, i) => (/^FROM\s/i.test(l) ? i : -1)).filter((i) => i >= 0);
  return lines.slice(from[from.length - 1]!).filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/** What the runtime stage copies, as [path in the checkout, path under /app]. */
export function shippedFiles(): [string, string][] {
  const files: [string, string][] = [];
  for (const line of runtimeStage()) {
    const words = line.trim().split(/\s+/);
    if (words[0]?.toUpperCase() !== 'COPY') continue;
    const fromBuild = words.includes('--from=build');
    const paths = words.slice(1).filter((w) => !w.startsWith('--'));
    const target = paths.pop()!;
    for (const source of paths) {
      // The build stage works in /app: what it made there is what the checkout's build made.
      const local = fromBuild ? source.replace(/^\/app\//, '') : source;
      // As Docker does: a file copied into a folder keeps its name; a folder's contents go to the target.
      const into = target.endsWith('/') && statSync(local).isFile() ? join(target, basename(local)) : target;
      files.push([local, join(into)]);
    }
  }
  return files;
}

/** The NODE_OPTIONS the image sets. */
export function imageNodeOptions(): string {
  return /^ENV NODE_OPTIONS="([^"]*)"/m.exec(DOCKERFILE)?.[1] ?? '';
}

/** A fresh copy of what the image ships; `remove()` deletes it. */
export function layOutShippedFiles(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'shipped-'));
  for (const [from, to] of shippedFiles()) {
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    cpSync(from, join(dir, to), { recursive: true });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment of a shipped process: the image's NODE_OPTIONS, none of the host's CA bundle. */
export function shippedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: imageNodeOptions(), NODE_ENV: 'production', ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <args>` in `cwd` to its end, feeding `stdin`; killed (and rejected) after `limitMs`. */
export function runNode(cwd: string, args: string[], stdin = '', env: NodeJS.ProcessEnv = shippedEnv(), limitMs = 180_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`node ${args.join(' ')} did not finish within ${limitMs} ms\n${stderr}`));
    }, limitMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

export interface Running {
  child: ChildProcess;
  /** What `ready` returned for the first line that it accepted. */
  value: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running `node <args>` and waits for a line of stdout or stderr that `ready` accepts. */
export function startNode(cwd: string, args: string[], ready: (line: string) => string | undefined, env: NodeJS.ProcessEnv = shippedEnv()): Promise<Running> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(kill);
    return code;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`node ${args.join(' ')} was not ready within 60 s:\n${output}`));
    }, 60_000);
    const onLine = (line: string) => {
      output += line + '\n';
      const value = ready(line);
      if (value === undefined) return;
      clearTimeout(timer);
      resolve({ child, value, output: () => output, stop });
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node ${args.join(' ')} exited with ${code} before it was ready:\n${output}`));
    });
  });
}
