import {randomBytes} from 'node:crypto'
import {mkdir, open, rename, rm} from 'node:fs/promises'
import {dirname} from 'node:path'

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
}

export async function writeJson(path: string, value: unknown, options?: WriteOptions): Promise<void> {
  await writeAtomic(path, `${JSON.stringify(value, null, 2)}\n`, options)
}
