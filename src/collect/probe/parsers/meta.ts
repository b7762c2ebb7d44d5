import type {ParseContext} from './context.js'
import {int, keyValues, note} from './context.js'

export interface MetaSection {
  probeVersion?: number
  /** The probe source's hash, as the probe itself reported it. */
  probeSha256?: string
  uid?: number
  hostname: string
  clockTicks: number
  pageSize: number
  /** Boot time, seconds since the epoch. */
  bootTime?: number
  uptime?: number
  tools: string[]
}

export function parseMeta(lines: string[], ctx: ParseContext): MetaSection {
  const kv = keyValues(lines)
  const btime = lines.find((l) => l.startsWith('btime '))
  const meta: MetaSection = {
    probeVersion: int(kv.probe_version),
    probeSha256: /^[0-9a-f]{64}$/.test(kv.probe_sha256 ?? '') ? kv.probe_sha256 : undefined,
    uid: int(kv.uid),
    hostname: (kv.hostname ?? '').trim(),
    clockTicks: int(kv.clk_tck) ?? 100,
    pageSize: int(kv.page_size) ?? 4096,
    bootTime: int(btime?.split(/\s+/)[1]),
    uptime: kv.uptime === undefined ? undefined : Number.parseFloat(kv.uptime),
    tools: (kv.tools ?? '').split(/\s+/).filter(Boolean),
  }
  if (!meta.hostname) note(ctx, 'the host did not report its hostname')
  if (meta.bootTime === undefined) note(ctx, 'no boot time in /proc/stat: process start times are unknown')
  return meta
}
