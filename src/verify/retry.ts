/**
 * Calls `attempt` until `done` accepts its result or time runs out, sleeping `intervalMs` between
 * calls (never past the deadline). Returns the last result either way: the caller says what a
 * result that is not done means.
 */
export async function retryUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  options: {timeoutMs: number; intervalMs: number},
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    const result = await attempt()
    if (done(result) || Date.now() >= deadline) return result
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, Math.max(0, deadline - Date.now()))))
  }
}
