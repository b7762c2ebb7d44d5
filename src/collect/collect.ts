import {HoistError} from '../errors.js'
import type {HostFacts, HostIdentity} from '../types/facts.js'
import {findNonce} from './probe/framing.js'
import {parseProbeOutput, ProbeParser} from './probe/parse.js'
import type {CollectOptions} from './options.js'
import {buildProbe, samplingParams, type Probe} from './probe/script.js'
import type {Transport} from './transport/transport.js'

export interface Collected {
  facts: HostFacts
  probe: Probe
  command: string
  stderr: string
}

/** The command that runs the probe, read from standard input: nothing is written on the host. */
export function probeCommand(sudo: boolean): string {
  return sudo ? 'sudo -n -- sh -s' : 'sh -s'
}

/** Runs the probe once over the transport (one exec, one round trip) and parses what came back. */
export async function collect(transport: Transport, identity: Omit<HostIdentity, 'hostname'>, options: CollectOptions): Promise<Collected> {
  const timeoutMs = options.probeTimeoutMs + options.sampleSeconds * 1000
  // The host-side watchdog fires just after Hoist gives up, so the probe never outlives the scan.
  const probe = buildProbe({...samplingParams(options.sampleSeconds, options.sampleIntervalSeconds), deadlineSeconds: timeoutMs / 1000 + 2, sizeBudgetSeconds: options.sizeBudgetSeconds})
  const command = probeCommand(options.sudo)
  const collectedAt = new Date().toISOString()
  // Sections are parsed while the probe runs: by the time it ends, most of the parse is done.
  const parser = new ProbeParser(probe.nonce)
  const result = await transport.exec(command, {
    stdin: probe.script,
    timeoutMs,
    maxBytes: options.maxBytes,
    onStdout: (chunk) => parser.push(chunk),
  })
  if (findNonce(result.stdout.subarray(0, 4096).toString('utf8')) !== probe.nonce) {
    if (result.timedOut) {
      throw new HoistError('PROBE_TIMEOUT', `${transport.label}: the probe printed nothing within ${Math.round(result.durationMs / 1000)} s`, 'Check that the host is responsive (load, hung NFS mounts), or raise --probe-timeout.', {host: transport.label})
    }
    throw probeFailure(transport.label, options.sudo, result.exitCode, result.stderr)
  }
  const facts = parser.finish({sha256: probe.sha256, durationMs: result.durationMs, complete: !result.timedOut && !result.truncated, collectedAt}, identity)
  if (result.timedOut) facts.probeErrors.push({section: 'probe', message: `cut off after ${Math.round(result.durationMs / 1000)} s (probe timeout): later sections are missing`})
  if (result.truncated) facts.probeErrors.push({section: 'probe', message: `cut off at ${options.maxBytes} bytes of output: later sections are missing`})
  return {facts, probe, command, stderr: result.stderr}
}

/** Parses the saved output of `hoist probe-script` run by hand on an air-gapped host. */
export function ingestSnapshot(output: string, identity: Omit<HostIdentity, 'hostname'>, source: string): HostFacts {
  const nonce = findNonce(output)
  if (!nonce) {
    throw new HoistError('SNAPSHOT_INVALID', `${source} is not the output of a Hoist probe (no probe marker at its start)`, 'Run `hoist probe-script > probe.sh` here, then `sh probe.sh > output.txt` on the host, and pass that output file to --from.')
  }
  return parseProbeOutput({output, nonce, sha256: '', durationMs: 0, complete: true, collectedAt: ''}, identity)
}

function probeFailure(host: string, sudo: boolean, exitCode: number | null, stderr: string): HoistError {
  const said = stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)
  if (sudo && /sudo/.test(stderr)) {
    return new HoistError('PROBE_FAILED', `${host}: sudo refused to run the probe without a password${said ? `: ${said}` : ''}`, 'Hoist never types a sudo password. Allow passwordless sudo for the scan user, or scan without --sudo (some facts of other users will then be unreadable).', {host})
  }
  return new HoistError('PROBE_FAILED', `${host}: the probe did not run (exit ${exitCode ?? 'none'})${said ? `: ${said}` : ''}`, 'The scan user needs a POSIX sh on the host; check its login shell and try `ssh HOST sh -c true`.', {host})
}
