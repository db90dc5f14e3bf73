/**
 * A faster stand-in for got's `Options#createNativeRequestOptions`, which turns got's options
 * into the object handed to Node's `http.request` on every request.
 *
 * got 14 builds that object as `{...cacheOptions, ...unixOptions, <34 named fields>}`. On
 * Node 20 (V8 11), an object literal that opens with a spread of a non-empty object and goes
 * on with many fields creates every field through the runtime's slow path: about 50 µs per
 * request on its own. Most of the 34 fields are `undefined`, and Node's ClientRequest and
 * Agent copy the whole object twice more (`{...input, ...options}`), slowly again. Together
 * that is about half of got's CPU per request.
 *
 * The stand-in runs got's own function with the cache options set aside (they only matter
 * when got's HTTP cache is on, and this plugin never turns it on), then keeps the fields that
 * have a value. Node reads every one of these options by value (`options.x === undefined`),
 * so a field that is absent means what a field set to `undefined` meant. The result is what
 * got would have passed, field for field, without the fields that said nothing.
 */
import { Options } from 'got';

type NativeOptions = Record<string, unknown>;

interface OptionsInternals {
  cache?: unknown;
  cacheOptions?: unknown;
}

const PATCHED = Symbol.for('ivanti-service-manager.lean-native-options');

/** got's function as it was before `installLeanNativeOptions` (for the equivalence test). */
export const gotCreateNativeRequestOptions: (this: Options) => NativeOptions = (
  (Options.prototype as unknown as Record<symbol, unknown>)[PATCHED] ?? Options.prototype.createNativeRequestOptions
) as (this: Options) => NativeOptions;

/** The options got would pass to Node, without the cache options and the fields left undefined. */
export function leanNativeOptions(this: Options): NativeOptions {
  const internals = (this as unknown as { _internals?: OptionsInternals })._internals;
  // Only when the layout is the one described above; anything else gets got's own result.
  if (internals === undefined || internals.cache || !('cacheOptions' in internals)) return gotCreateNativeRequestOptions.call(this);
  const cacheOptions = internals.cacheOptions;
  internals.cacheOptions = undefined;
  let full: NativeOptions;
  try {
    full = gotCreateNativeRequestOptions.call(this);
  } finally {
    internals.cacheOptions = cacheOptions;
  }
  const lean: NativeOptions = {};
  for (const key in full) {
    const value = full[key];
    if (value !== undefined) lean[key] = value;
  }
  return lean;
}

/** Installs the stand-in on got's Options class, once per process. */
export function installLeanNativeOptions(): void {
  const proto = Options.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[PATCHED] !== undefined) return;
  if (typeof proto.createNativeRequestOptions !== 'function') return;
  proto[PATCHED] = proto.createNativeRequestOptions;
  proto.createNativeRequestOptions = leanNativeOptions;
}
