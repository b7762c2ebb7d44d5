// A reviewable digest of a captured facts.json: who listens where, as what, started how;
// plus the cron entries. Printed by capture.ts; also runnable on a fixture:
//   npx tsx test/e2e/hosts/stacks/summary.ts test/fixtures/hosts/debian12-stacks/facts.json
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import type {HostFacts, ProcessFact} from '../../../../src/types/facts.js'

const cell = (s: string) => s.replaceAll('|', '\\|')

export function summarise(facts: HostFacts): string {
  const byPid = new Map(facts.processes.map((p) => [p.pid, p]))
  const rows: string[] = []
  const seen = new Set<string>()
  const tcp = facts.listeners.filter((l) => l.protocol.startsWith('tcp')).sort((a, b) => a.port - b.port || a.address.localeCompare(b.address))
  for (const l of tcp) {
    const p = l.pid === undefined ? undefined : byPid.get(l.pid)
    // One row per port and owner: the v4 and v6 sockets of one daemon say the same thing.
    const key = `${l.port} ${p?.pid ?? '?'}`
    if (seen.has(key)) continue
    seen.add(key)
    const addresses = tcp.filter((x) => x.port === l.port && x.pid === l.pid).map((x) => x.address).join(' ')
    rows.push(`| ${l.port} | ${addresses} | ${p ? row(p, facts) : '? | ? | ? | ?'} |`)
  }
  const cron = facts.cron.map((c) => `- ${c.source}: \`${c.schedule}\` as ${c.user ?? '(owner)'}: \`${cell(c.command)}\``)
  return [
    `hostname ${facts.host.hostname}, ${facts.os.prettyName}, ${facts.processes.length} processes, ${facts.listeners.length} listeners, ` +
      `${facts.packages.length} packages, ${facts.units.length} units, collected ${facts.collectedAt}`,
    '',
    '| port | address | comm | user | workers | argv[0..2] |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'cron:',
    ...cron,
  ].join('\n')
}

function row(p: ProcessFact, facts: HostFacts): string {
  // Pre-fork servers: the listener's owner and its same-named children, with their users.
  const children = facts.processes.filter((c) => c.ppid === p.pid && c.comm === p.comm)
  const users = [...new Set(children.map((c) => c.user ?? String(c.uid)))].join(',')
  const workers = children.length > 0 ? `${children.length} as ${users}` : '-'
  const argv = p.argv.slice(0, 3).map((a) => cell(a)).join(' ')
  return `${p.comm} | ${p.user ?? p.uid ?? '?'} | ${workers} | \`${argv}\``
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of process.argv.slice(2)) {
    console.log(`## ${file}\n`)
    console.log(summarise(JSON.parse(readFileSync(file, 'utf8')) as HostFacts))
    console.log()
  }
}
