import type {Instruction} from 'dockerfile-ast'
import {finalStage, finding, lineage, ofKeyword} from './support/stages.js'
import type {LintFinding, LintRule} from './types.js'

const ID = 'hoist/expose-observed'
const PORT = /^(\d{1,5})(?:\/([A-Za-z]+))?$/

type Parsed = {key: string} | {error: string}

/** `80` is 80/tcp; Docker reads the protocol case-insensitively. */
function parsePort(spec: string): Parsed {
  if (spec.includes('$')) return {error: `EXPOSE ${spec} uses a variable this check cannot resolve`}
  if (/^\d+-\d+(\/\w+)?$/.test(spec)) return {error: `EXPOSE ${spec} is a port range, which this check does not support`}
  const match = PORT.exec(spec)
  const port = Number(match?.[1])
  if (!match || port < 1 || port > 65535) return {error: `EXPOSE ${spec} is not a port number`}
  const protocol = (match[2] ?? 'tcp').toLowerCase()
  if (protocol !== 'tcp' && protocol !== 'udp') return {error: `EXPOSE ${spec}: only tcp and udp are observed on a host`}
  return {key: `${port}/${protocol}`}
}

function exposed(instructions: Instruction[], findings: LintFinding[]): Map<string, Instruction> {
  const ports = new Map<string, Instruction>()
  for (const expose of ofKeyword(instructions, 'EXPOSE')) {
    for (const arg of expose.getExpandedArguments()) {
      const parsed = parsePort(arg.getValue())
      if ('error' in parsed) findings.push(finding(ID, expose, parsed.error))
      else if (!ports.has(parsed.key)) ports.set(parsed.key, expose)
    }
  }
  return ports
}

export const exposeObserved: LintRule = {
  id: ID,
  title: 'EXPOSE names exactly the ports the application was seen listening on',
  check(dockerfile, context) {
    const stage = finalStage(dockerfile)
    if (!stage) return []
    const findings: LintFinding[] = []
    const ports = exposed(lineage(stage), findings)
    const expected = new Set(context.expectedPorts.map((p) => `${p.port}/${p.protocol}`))
    for (const key of expected) {
      if (!ports.has(key)) findings.push(finding(ID, stage.from, `${key} was observed listening on the host but is not exposed`))
    }
    for (const [key, expose] of ports) {
      if (!expected.has(key)) findings.push(finding(ID, expose, `${key} is exposed but was not observed listening on the host`))
    }
    return findings.sort((a, b) => a.line - b.line)
  },
}
