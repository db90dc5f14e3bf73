/**
 * The function got calls to open each HTTP request (its `request` option): Node's own
 * http.request or https.request, given only the options that carry a value.
 *
 * got hands Node one object with every option it knows, about forty, most of them undefined
 * for a plain HTTP/1.1 JSON exchange (TLS settings on a plain connection, HTTP/2 settings,
 * a DNS cache that is off). Node copies that object twice per request, in ClientRequest and
 * again in the agent, and copies of that width are large: a sampling allocation profile of
 * the server put them at about a tenth of the memory allocated per create_incident. Leaving
 * out the undefined ones changes nothing Node reads (to it an undefined option and a missing
 * one are the same), and keeps each copy small.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The options that carry a value, in their order. */
export function definedOptions<T extends object>(options: T): Partial<T> {
  const given: Record<string, unknown> = {};
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) given[key] = value;
  }
  return given as Partial<T>;
}

export function nativeRequest(url: URL, options: RequestOptions, callback?: (response: IncomingMessage) => void): ClientRequest {
  return (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, definedOptions(options), callback);
}
