import {createHash} from 'node:crypto'
import {namedInText} from './discover.js'
import {atMaxFiles, capHit, noteNamed, notePort, noteRuntimeDir, recordTrouble, safeMode, skip, type FetchRun} from './run.js'
import {holdsPrivateKey, isSecretFileName, secretFileName} from './secret-files.js'
import {redactText} from './secret-text.js'
import type {FileStat} from './source.js'

/** How much of a file decides text or binary, as git and grep do: a NUL in it means binary. */
const SNIFF_BYTES = 8192

/**
 * One regular file: caps first (nothing is read that will not be copied), then secret files set
 * aside, text redacted with named placeholders, and the result handed to the sink. Returns why the
 * file was not copied, or undefined once it is written.
 */
export async function copyFile(run: FetchRun, path: string, stat: FileStat, role: string): Promise<string | undefined> {
  const {caps, report} = run
  if (isSecretFileName(path)) return setAside(run, path)
  if (stat.size > caps.maxFileBytes) {
    capHit(run, 'maxFileBytes', path)
    return skipped(run, path, `larger than maxFileBytes (${caps.maxFileBytes} bytes)`)
  }
  const full = callCap(run, path, stat.size)
  if (full) return full
  let data: Buffer
  try {
    data = await run.source.read(path, caps.maxFileBytes)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'could not be read'
  }
  if (holdsPrivateKey(data)) return setAside(run, path)
  let redactions = 0
  if (!data.subarray(0, SNIFF_BYTES).includes(0)) {
    // latin1 maps bytes to characters one to one: what redaction leaves alone comes back byte for byte.
    const redacted = redactText(data.toString('latin1'), path, run.names)
    redactions = redacted.secrets.length
    for (const secret of redacted.secrets) report.secrets.push({name: secret.name, file: path, line: secret.line})
    if (redactions > 0) data = Buffer.from(redacted.text, 'latin1')
    // Paths are looked for in the redacted text: nothing is ever chased from inside a secret.
    const named = namedInText(redacted.text, path)
    for (const each of named.paths) noteNamed(run, each.path, path, each.line)
    for (const each of named.ports) notePort(run, each.port, path, each.line)
    for (const each of named.runtimeDirs) noteRuntimeDir(run, each.path, path, each.line)
  }
  // Placeholders can be longer than the values they replace.
  const stillFull = callCap(run, path, data.length)
  if (stillFull) return stillFull
  const mode = safeMode(run, path, stat.mode)
  try {
    await run.sink.writeFile(path, data, mode)
  } catch (error) {
    recordTrouble(run, path, error)
    return 'refused by the build context'
  }
  run.written++
  report.bytes += data.length
  report.files.push({path, size: data.length, mode, uid: stat.uid, gid: stat.gid, sha256: createHash('sha256').update(data).digest('hex'), role, redactions})
  return undefined
}

function setAside(run: FetchRun, path: string): string {
  const name = secretFileName(path, new Set(run.report.secretFiles.map((entry) => entry.name)))
  run.report.secretFiles.push({name, path})
  return `a secret file: not copied, to be mounted at run time as ${name}`
}

/** The call-wide caps: a file that does not fit is skipped, and smaller ones after it may still fit. */
function callCap(run: FetchRun, path: string, bytes: number): string | undefined {
  const {caps, report} = run
  if (atMaxFiles(run, path)) return 'maxFiles reached'
  if (report.bytes + bytes > caps.maxTotalBytes) {
    capHit(run, 'maxTotalBytes', path, true)
    return skipped(run, path, `would pass maxTotalBytes (${caps.maxTotalBytes} bytes)`)
  }
  return undefined
}

function skipped(run: FetchRun, path: string, reason: string): string {
  skip(run, path, reason)
  return reason
}
