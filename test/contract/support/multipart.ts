/**
 * Just enough multipart/form-data parsing (RFC 7578) to check a recorded upload against the spec:
 * which parts were sent, which of them are files, and the text of the plain fields.
 */

export interface MultipartPart {
  name: string;
  /** Present when the part is a file (its Content-Disposition carries a filename). */
  filename?: string;
  contentType?: string;
  /** The part's bytes decoded as latin1, which keeps one char per byte for binary content. */
  content: string;
}

/** Reads the `boundary` parameter of a multipart content type, if any. */
export function multipartBoundary(contentType: string): string | undefined {
  const found = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return found?.[1] ?? found?.[2];
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParam(disposition: string, param: string): string | undefined {
  const found = new RegExp(`;\\s*${param}="([^"]*)"`, 'i').exec(disposition);
  return found?.[1];
}

/**
 * Splits a multipart body into parts. Throws when the framing is broken (no closing boundary,
 * a part without `Content-Disposition: form-data; name=...`), since a server would reject it too.
 */
export function parseMultipart(body: Uint8Array, boundary: string): MultipartPart[] {
  const text = Buffer.from(body).toString('latin1');
  const delimiter = `--${boundary}`;
  const sections = text.split(delimiter);
  const closing = sections.findIndex((s, i) => i > 0 && s.startsWith('--'));
  if (closing < 0) throw new Error('no closing boundary');
  const parts: MultipartPart[] = [];
  for (const section of sections.slice(1, closing)) {
    if (!section.startsWith('\r\n') || !section.endsWith('\r\n')) {
      throw new Error('part not framed by CRLF');
    }
    const inner = section.slice(2, -2);
    const split = inner.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('part without a header block');
    const headers = parseHeaders(inner.slice(0, split));
    const disposition = headers.get('content-disposition') ?? '';
    const name = dispositionParam(disposition, 'name');
    if (!/^form-data/i.test(disposition) || name === undefined) {
      throw new Error('part without Content-Disposition: form-data; name="..."');
    }
    const filename = dispositionParam(disposition, 'filename');
    const contentType = headers.get('content-type');
    parts.push({
      name,
      content: inner.slice(split + 4),
      ...(filename === undefined ? {} : { filename }),
      ...(contentType === undefined ? {} : { contentType }),
    });
  }
  return parts;
}
