/**
 * The spec's prose sections in the shape Rapid7's tooling reads: version history entries as
 * `"X.Y.Z - what changed"` strings, links and references as `[Title](url)` strings, and
 * troubleshooting as one Markdown string; and workflow recipes as titled Markdown sections.
 */
import { Checker, describe } from './checker.js';
import type { HelpSection, SpecLink, VersionEntry } from './model.js';

const VERSION_ENTRY = /^(\d+\.\d+\.\d+) - (\S[\s\S]*)$/;
const MARKDOWN_LINK = /^\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)$/;

function strings(c: Checker, path: string, raw: unknown, what: string): { value: string; path: string }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    c.problem(path, `must be a list of ${what}, not ${describe(raw)}`);
    return [];
  }
  return raw.flatMap((item, i) => {
    if (typeof item === 'string') return [{ value: item, path: `${path}[${i}]` }];
    c.problem(`${path}[${i}]`, `must be a string ${what}, not ${describe(item)}`);
    return [];
  });
}

export function loadVersionHistory(c: Checker, path: string, raw: unknown): VersionEntry[] {
  return strings(c, path, raw, '"X.Y.Z - what changed" entries').flatMap(({ value, path: at }) => {
    const match = VERSION_ENTRY.exec(value.trim());
    if (!match) {
      c.problem(at, `'${value.slice(0, 60)}' is not of the form "X.Y.Z - what changed"`);
      return [];
    }
    return [{ version: match[1]!, changes: match[2]! }];
  });
}

export function loadLinks(c: Checker, path: string, raw: unknown): SpecLink[] {
  return strings(c, path, raw, 'Markdown links "[Title](https://...)"').flatMap(({ value, path: at }) => {
    const match = MARKDOWN_LINK.exec(value.trim());
    if (!match) {
      c.problem(at, `'${value.slice(0, 80)}' is not a Markdown link of the form [Title](https://...)`);
      return [];
    }
    return [{ title: match[1]!, url: match[2]! }];
  });
}

export function loadTroubleshooting(c: Checker, path: string, raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') {
    c.problem(path, `must be one Markdown string (a bulleted list, say), not ${describe(raw)}`);
    return '';
  }
  return raw;
}

/** A list of `{title, text}` sections (workflow recipes). */
export function loadSections(c: Checker, path: string, raw: unknown): HelpSection[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    c.problem(path, 'must be a list of {title, text}');
    return [];
  }
  return raw.flatMap((item, i) => {
    const node = c.mapping(`${path}[${i}]`, item, { required: true });
    if (!node) return [];
    c.unknownKeys(`${path}[${i}]`, node, ['title', 'text']);
    return [{ title: c.string(`${path}[${i}].title`, node.title, { required: true }), text: c.string(`${path}[${i}].text`, node.text, { required: true }) }];
  });
}
