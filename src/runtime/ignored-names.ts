/**
 * Inputs and connection settings that a step's schema does not name. The schemas allow them (a
 * workflow made for another version of the plugin may carry one, and keeps working), so the
 * step runs without them. But a misspelt optional input would otherwise change what a step
 * does without a word (a misspelt filter of a search widens it to every record), so the step's
 * log names each one, with the name probably meant.
 */
import { closestName } from './suggest.js';

export interface NameKind {
  /** `input`, `setting`. */
  noun: string;
  /** How the ignored names are introduced, when not by the noun: `connection setting`. */
  what?: string;
  /** Who lacks the name: `search_records`, `this plugin's connection`. */
  owner: string;
}

const MAX_SHOWN = 10;

/** A name from the client as a log shows it: short, on one line. */
function shown(name: string): string {
  const line = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return `'${line.length > 80 ? `${line.slice(0, 77)}...` : line}'`;
}

/**
 * The names of `given` that are not in `known`, in the order given. A blank value (null or "",
 * what orchestrators send for a field left empty) means "not given": leaving it out changes
 * nothing, so it is not counted.
 */
function ignoredNames(given: Record<string, unknown>, known: readonly string[]): string[] {
  return Object.keys(given).filter((name) => !known.includes(name) && given[name] !== null && given[name] !== '');
}

/** The warning for the names of `given` that a step ignores, or undefined when it ignores none. */
export function ignoredNamesWarning(kind: NameKind, given: Record<string, unknown>, known: readonly string[]): string | undefined {
  const ignored = ignoredNames(given, known);
  if (ignored.length === 0) return undefined;
  const one = ignored.length === 1;
  const listed = ignored.slice(0, MAX_SHOWN).map(shown).join(', ') + (ignored.length > MAX_SHOWN ? ` and ${ignored.length - MAX_SHOWN} more` : '');
  let text = `Ignored the ${kind.what ?? kind.noun}${one ? '' : 's'} ${listed}: ${kind.owner} has no ${kind.noun}${one ? ' of that name' : 's of those names'}.`;
  const meant = ignored.slice(0, MAX_SHOWN).flatMap((name) => {
    const close = closestName(name, known);
    return close === undefined ? [] : [one ? ` Did you mean '${close}'?` : ` Did you mean '${close}' for ${shown(name)}?`];
  });
  text += meant.length > 0 ? meant.join('') : ` Its ${kind.noun}s are: ${known.length > 0 ? known.join(', ') : 'none'}.`;
  return text;
}
