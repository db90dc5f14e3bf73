/**
 * Files Rapid7's validators look for beside the spec: the icons, and the Dockerfile line that
 * places the spec at /plugin.spec.yaml in the image, where orchestrators read it.
 */
import t from 'tap';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(file: string): { width: number; height: number; bytes: number } {
  const data = readFileSync(join(ROOT, file));
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), bytes: data.length };
}

t.test('icon.png: a square PNG under 70 KB', async (t) => {
  const icon = pngSize('icon.png');
  t.equal(icon.width, icon.height, 'square');
  t.ok(icon.width >= 64, 'at least 64 pixels wide');
  t.ok(icon.bytes < 70_000, 'under the 70 KB Rapid7 allows');
});

t.test('extension.png: a non-empty PNG', async (t) => {
  const logo = pngSize('extension.png');
  t.ok(logo.width >= 128 && logo.height >= 128, 'at least 128 pixels each way');
  t.ok(statSync(join(ROOT, 'extension.png')).size > 0);
});

t.test('the Dockerfile places the spec at /plugin.spec.yaml, and keeps it beside the code', async (t) => {
  const lines = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  t.ok(lines.includes('ADD ./plugin.spec.yaml /plugin.spec.yaml'), 'the line Rapid7 checks for, as it checks it');
  const runtimeStage = lines.slice(lines.findLastIndex((l) => l.startsWith('FROM ')));
  t.ok(runtimeStage.includes('ADD ./plugin.spec.yaml /plugin.spec.yaml'), 'in the image that runs (the last stage)');
  t.ok(runtimeStage.some((l) => /^COPY .*\bplugin\.spec\.yaml\b.* \.\/$/.test(l)), 'and in the app directory, where the runtime finds it');
});
