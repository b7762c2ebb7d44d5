import {describe, expect, it} from 'vitest'
import {splitSections} from '../../../src/collect/probe/framing.js'
import {parseProcesses} from '../../../src/collect/probe/parsers/processes.js'
import type {ProbeError} from '../../../src/types/facts.js'

const N = '0123456789abcdef'
const M = `@@HOIST-${N}`

describe('probe framing and its notes', () => {
  it('says when a section is closed by another section\'s end marker', () => {
    const framed = splitSections([`${M} BEGIN meta 1.0`, 'hostname=h', `${M} END os 1.1`, `${M} DONE`].join('\n'), N)
    expect(framed.errors).toEqual([{section: 'meta', message: 'the end marker of section "os" arrived inside it: its output is suspect'}])
  })

  it('reads a replaced executable as its path, and says it was replaced', () => {
    const errors: ProbeError[] = []
    const lines = [
      `${M} STAT`,
      '812 (nginx) S 1 812 812 0 -1 4194560 0 0 0 0 5 3 0 0 20 0 1 0 100 1000 200 18446744073709551615',
      `${M} LINKS`,
      'lrwxrwxrwx 1 root root 0 Nov 22 21:00 812/exe -> /usr/sbin/nginx (deleted)',
      'lrwxrwxrwx 1 root root 0 Nov 22 21:00 812/cwd -> /',
    ]
    const [p] = parseProcesses(lines, {section: 'processes', nonce: N, errors}, {hostname: 'h', clockTicks: 100, pageSize: 4096, tools: []})
    expect(p?.exe).toBe('/usr/sbin/nginx')
    expect(errors).toEqual([{section: 'processes', message: 'process 812 (nginx) runs a deleted executable: /usr/sbin/nginx was replaced since it started'}])
  })
})
