// A test helper the packages share by path (as the OpenTelemetry cases are): counting promises is how the
// hot-path tests prove a call creates no promise beyond what it must, a count the machine's load cannot move.
import { createHook } from 'node:async_hooks';

/** How many promises `work` creates before it settles (async_hooks sees every one, V8's own included). */
export async function promisesOf(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return count;
}
