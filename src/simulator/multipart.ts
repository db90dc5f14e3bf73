/**
 * A small multipart/form-data parser (RFC 7578 over RFC 2046) for the attachment endpoint, working
 * on the raw body Buffer: binary-safe, no copies of part contents (each part's `data` is a view
 * of the body).
 *
 *   --boundary CRLF  headers CRLF CRLF  content  CRLF --boundary CRLF ... CRLF --boundary-- ...
 *
 * The CRLF before each delimiter belongs to the delimiter, never to the content, so content that
 * ends in CR LF (or holds `--boundary` anywhere but after a CR LF) comes back byte for byte.
 */

export interface MultipartPart {
  /** The `name` of the part's Content-Disposition. */
  name: string;
  /** The `filename` (or `filename*`) of the Content-Disposition; undefined for a plain field. */
  filename: string | undefined;
  /** The part's Content-Type, when it has one. */
  contentType: string | undefined;
  /** The content, a view of the body. */
  data: Buffer;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export interface MultipartLimits {
  /** Most parts read (default 1000). */
  parts?: number;
  /** Longest header section of one part, in bytes (default 16 KiB). */
  headerBytes?: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** RFC 2046: 1 to 70 characters from this set, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * Reads `type/subtype; name=value; name="quoted value"` into the media type (lower case) and its
 * parameters (names lower case). Quoted strings may hold `\`-escaped characters.
 */
export function parseHeaderValue(value: string): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  let i = value.indexOf(';');
  const head = (i < 0 ? value : value.slice(0, i)).trim();
  while (i >= 0 && i < value.length) {
    i++; // past ';'
    while (value[i] === ' ' || value[i] === '\t') i++;
    const eq = value.indexOf('=', i);
    const semi = value.indexOf(';', i);
    if (eq < 0 || (semi >= 0 && semi < eq)) {
      // A parameter without a value: skip it.
      i = semi;
      continue;
    }
    const name = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (value[i] === ' ' || value[i] === '\t') i++;
    let parsed = '';
    if (value[i] === '"') {
      i++;
      let closed = false;
      while (i < value.length) {
        const c = value[i] as string;
        if (c === '\\' && i + 1 < value.length) {
          parsed += value[i + 1];
          i += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          i++;
          break;
        }
        parsed += c;
        i++;
      }
      if (!closed) throw new MultipartError(`unterminated quoted parameter "${name}"`);
      const next = value.indexOf(';', i);
      i = next;
    } else {
      const end = value.indexOf(';', i);
      parsed = (end < 0 ? value.slice(i) : value.slice(i, end)).trim();
      i = end;
    }
    if (name !== '' && !params.has(name)) params.set(name, parsed);
  }
  return { value: head.toLowerCase(), params };
}

/** The boundary of a `multipart/form-data` Content-Type; throws MultipartError when there is none. */
export function boundaryOf(contentType: string | undefined): string {
  if (contentType === undefined || contentType.trim() === '') throw new MultipartError('the request has no Content-Type; expected multipart/form-data');
  const { value, params } = parseHeaderValue(contentType);
  if (value !== 'multipart/form-data') throw new MultipartError(`the Content-Type is ${value || 'empty'}; expected multipart/form-data`);
  const boundary = params.get('boundary');
  if (boundary === undefined || boundary === '') throw new MultipartError('the multipart/form-data Content-Type has no boundary');
  if (!BOUNDARY.test(boundary)) throw new MultipartError('the multipart boundary is not valid (1 to 70 characters, RFC 2046)');
  return boundary;
}

/** `filename*=UTF-8''%E2%82%AC.txt` (RFC 5987), or undefined when it cannot be read. */
function extendedValue(text: string): string | undefined {
  const m = /^([A-Za-z0-9!#$%&+^_`{}~-]+)'[^']*'(.*)$/.exec(text);
  if (!m) return undefined;
  const charset = (m[1] as string).toLowerCase();
  const encoded = m[2] as string;
  try {
    if (charset === 'utf-8') return decodeURIComponent(encoded);
    if (charset === 'iso-8859-1') return Buffer.from(encoded.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('latin1');
  } catch {
    return undefined;
  }
  return undefined;
}

function readHeaders(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  // Header bytes are UTF-8 (what browsers and fetch send for non-ASCII file names).
  const lines = block.toString('utf8').split('\r\n');
  for (const line of lines) {
    if (line === '') continue;
    if (line.startsWith(' ') || line.startsWith('\t')) throw new MultipartError('folded part headers are not allowed');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`a part header line has no name: ${JSON.stringify(line.slice(0, 60))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

/** The parts of a multipart/form-data body. Throws MultipartError for a body that is not well formed. */
export function parseMultipart(body: Buffer, boundary: string, limits: MultipartLimits = {}): MultipartPart[] {
  const maxParts = limits.parts ?? 1000;
  const maxHeader = limits.headerBytes ?? 16 * 1024;
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);

  // The first delimiter: at the very start, or after a preamble that ends in CRLF.
  let at: number;
  if (body.subarray(0, dash.length).equals(dash)) at = dash.length;
  else {
    const found = body.indexOf(delimiter);
    if (found < 0) throw new MultipartError('the body does not contain the boundary');
    at = found + delimiter.length;
  }

  const parts: MultipartPart[] = [];
  for (;;) {
    // After a delimiter: `--` closes the body; otherwise optional padding, then CRLF.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts;
    while (body[at] === 0x20 || body[at] === 0x09) at++;
    if (body[at] !== 0x0d || body[at + 1] !== 0x0a) {
      throw new MultipartError(at >= body.length ? 'the body ends without the closing boundary' : 'a boundary line is not followed by CRLF');
    }
    at += 2;
    if (parts.length >= maxParts) throw new MultipartError(`more than ${maxParts} parts`);

    // Headers: up to the blank line (a part may have none: then the blank line comes at once).
    let headerBlock: Buffer;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) {
      headerBlock = Buffer.alloc(0);
      at += 2;
    } else {
      const end = body.indexOf(HEADER_END, at);
      if (end < 0 || end - at > maxHeader) {
        throw new MultipartError(end < 0 ? 'a part has no end of headers (a blank line)' : `a part's headers are longer than ${maxHeader} bytes`);
      }
      headerBlock = body.subarray(at, end);
      at = end + HEADER_END.length;
    }
    const headers = readHeaders(headerBlock);

    const next = body.indexOf(delimiter, at);
    if (next < 0) throw new MultipartError('a part is not closed by a boundary');
    const data = body.subarray(at, next);
    at = next + delimiter.length;

    const disposition = headers.get('content-disposition');
    if (disposition === undefined) throw new MultipartError('a part has no Content-Disposition header');
    const { value: kind, params } = parseHeaderValue(disposition);
    if (kind !== 'form-data') throw new MultipartError(`a part's Content-Disposition is ${kind || 'empty'}; expected form-data`);
    const name = params.get('name');
    if (name === undefined) throw new MultipartError('a part has no name in its Content-Disposition');
    const extended = params.has('filename*') ? extendedValue(params.get('filename*') as string) : undefined;
    const filename = extended ?? params.get('filename');
    parts.push({ name, filename, contentType: headers.get('content-type'), data });
  }
}
