/**
 * Node's on-disk cache of compiled code (Node 22.1 and later): a one-shot step then skips most
 * of compiling the bundle it loads. The folder is NODE_COMPILE_CACHE where that is set (the
 * image sets it, to a cache made when the image was built), otherwise node-compile-cache in
 * the temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off. Node 20 has no such cache.
 * Modules loaded before the call are not cached: call it first, then load the rest.
 */
import module from 'node:module';

export function enableCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}
