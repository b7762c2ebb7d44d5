import {randomBytes} from 'node:crypto'
import {mkdir, open, readdir, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export interface WriteOptions {
  /**
   * Flush to disk before the rename (survives power loss, not only kill -9). Worth it for what is
   * costly to redo (facts from a scan); derived documents (inventory, plan) can be recomputed.
   */
  durable?: boolean
}

/**
 * Writes a file so that readers see the old content or the new, never a half: a temporary file
 * beside it, then renamed over it. A kill -9 at any moment loses nothing.
 */
export async function writeAtomic(path: string, data: string | Buffer, options: WriteOptions = {durable: true}): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const handle = await open(tmp, 'w', 0o644)
  try {
    await handle.writeFile(data)
    if (options.durable !== false) await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(tmp, {force: true})
    throw error
  }
  await handle.close()
  await rename(tmp, path)
  await removeStale(path)
}

/** Temporaries of this file left by a process killed mid-write (their writer is gone; the file is whole). */
async function removeStale(path: string): Promise<void> {
  const name = basename(path)
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp$`)
  for (const entry of await readdir(dirname(path)).catch(() => [] as string[])) {
    const m = pattern.exec(entry)
    if (m && !isAlive(Number(m[1]))) await rm(join(dirname(path), entry), {force: true})
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

export async function writeJson(path: string, value: unknown, options?: WriteOptions): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`, options)
}
