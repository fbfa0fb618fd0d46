import type { FastifyRequest } from 'fastify';

/**
 * Parameters of a request, merged from the query string, an urlencoded body and a multipart body.
 * Duo's SDKs disagree on transport (§3.4, §3.7): UPY sends token fields as the query of a POST,
 * UPHP sends multipart, the others urlencoded. Body values win over query values.
 */
export async function requestFields(request: FastifyRequest): Promise<Map<string, string>> {
  const fields = queryFields(request);
  const body = request.body;
  if (!Buffer.isBuffer(body) || body.length === 0) return fields;
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) fields.set(key, value);
  } else if (contentType.startsWith('multipart/form-data')) {
    // Node's fetch implementation parses multipart bodies; a malformed body simply adds nothing.
    try {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': String(request.headers['content-type']) },
      }).formData();
      for (const [key, value] of form) if (typeof value === 'string') fields.set(key, value);
    } catch {
      // Leave the fields as the query gave them; the endpoint reports what is missing.
    }
  }
  return fields;
}

/** Query parameters only, first value of each name. */
export function queryFields(request: FastifyRequest): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [key, value] of queryPairs(request)) if (!fields.has(key)) fields.set(key, value);
  return fields;
}

/** Every query parameter, decoded, in order (for signature checks, which count repeats). */
export function queryPairs(request: FastifyRequest): [string, string][] {
  const url = request.raw.url ?? '';
  const question = url.indexOf('?');
  return question === -1 ? [] : [...new URLSearchParams(url.slice(question + 1))];
}

/** Path without the query string. */
export function requestPath(request: FastifyRequest): string {
  const url = request.raw.url ?? '';
  const question = url.indexOf('?');
  return question === -1 ? url : url.slice(0, question);
}
