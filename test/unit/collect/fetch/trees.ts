import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative} from 'node:path'
import {contextSink} from '../../../../src/workspace/context.js'
import type {FetchSink} from '../../../../src/collect/fetch/report.js'

/** What a test host holds at a path: file content, a file with a mode, a link, a folder or a fifo. */
export type Entry = string | Buffer | {data: string | Buffer; mode: number} | {link: string} | {dir: number} | 'fifo'

/** A temporary folder (under parent) laid out as a host's filesystem, for dirSource and, in e2e, for sshd. */
export function hostTree(entries: Record<string, Entry>, parent = tmpdir()): string {
  const root = mkdtempSync(join(parent, 'hoist-host-'))
  for (const [path, entry] of Object.entries(entries)) {
    const full = join(root, path)
    mkdirSync(dirname(full), {recursive: true})
    if (entry === 'fifo') execFileSync('mkfifo', [full])
    else if (typeof entry === 'string' || Buffer.isBuffer(entry)) writeFileSync(full, entry)
    else if ('link' in entry) symlinkSync(entry.link, full)
    else if ('dir' in entry) {
      mkdirSync(full, {recursive: true})
      chmodSync(full, entry.dir)
    } else {
      writeFileSync(full, entry.data)
      chmodSync(full, entry.mode)
    }
  }
  return root
}

export interface TestSink {
  contextRoot: string
  rootfs: string
  sink: FetchSink
}

export function newSink(): TestSink {
  const contextRoot = mkdtempSync(join(tmpdir(), 'hoist-context-'))
  return {contextRoot, rootfs: join(contextRoot, 'rootfs'), sink: contextSink(contextRoot)}
}

export interface Listed {
  type: 'file' | 'dir' | 'symlink' | 'other'
  mode: number
  /** File content as latin1 text, or a link's target. */
  content?: string
}

/** Everything under dir, by path relative to it, without following links. */
export function listTree(dir: string): Record<string, Listed> {
  const out: Record<string, Listed> = {}
  if (!existsSync(dir)) return out
  const visit = (here: string): void => {
    for (const name of readdirSync(here)) {
      const full = join(here, name)
      const s = lstatSync(full)
      const rel = relative(dir, full)
      if (s.isSymbolicLink()) out[rel] = {type: 'symlink', mode: 0, content: readlinkSync(full)}
      else if (s.isDirectory()) {
        out[rel] = {type: 'dir', mode: s.mode & 0o7777}
        visit(full)
      } else if (s.isFile()) out[rel] = {type: 'file', mode: s.mode & 0o7777, content: readFileSync(full).toString('latin1')}
      else out[rel] = {type: 'other', mode: s.mode & 0o7777}
    }
  }
  visit(dir)
  return out
}

/** Every name, link target and file's bytes under dir: for "this value appears nowhere". */
export function allContent(dir: string): string {
  return Object.entries(listTree(dir))
    .map(([path, entry]) => `${path}\n${entry.content ?? ''}`)
    .join('\n')
}
