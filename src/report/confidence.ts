/**
 * How far the measured figures of a host can be trusted, from what was measured: how many
 * utilisation samples, over how long, and whether the host kept history (sysstat). A few seconds
 * of samples say little about a month-end batch; weeks of sysstat say a lot. Low confidence is
 * printed beside every figure it touches, never hidden.
 */
import type {HostFacts} from '../types/facts.js'
import type {Coverage, Platform} from '../types/report.js'
import {round} from './figure.js'

/** Thresholds of the levels; history counts for more because it spans the host's real cycles. */
const COVERAGE = {
  highHistoryDays: 7,
  highSampleSeconds: 24 * 3600,
  mediumHistoryDays: 1,
  mediumSampleSeconds: 10 * 60,
}

export function coverage(facts: HostFacts): Coverage {
  const u = facts.utilisation
  const sampleSeconds = span(u.samples.map((s) => s.at))
  const historyDays = span(u.history.map((h) => h.at)) / 86400
  const samples = u.samples.length
  const historyPoints = u.history.length
  const confidence =
    historyDays >= COVERAGE.highHistoryDays || sampleSeconds >= COVERAGE.highSampleSeconds ? 'high'
    : historyDays >= COVERAGE.mediumHistoryDays || sampleSeconds >= COVERAGE.mediumSampleSeconds ? 'medium'
    // Two samples make a CPU rate; one gives memory only.
    : samples >= 2 || historyPoints > 0 ? 'low'
    : 'none'
  const measured = samples === 0 ? 'no utilisation sample' : `${samples} sample(s) over ${Math.round(sampleSeconds)} s`
  const history = historyPoints === 0 ? 'no history' : `${historyPoints} history point(s) over ${historyDays.toFixed(1)} day(s)${u.historySource ? ` from ${u.historySource}` : ''}`
  const basis = `${measured}, ${history}: ${LEVELS[confidence]}`
  return {samples, sampleSeconds: Math.round(sampleSeconds), historyPoints, historyDays: round(historyDays, 2), ...(u.historySource ? {historySource: u.historySource} : {}), confidence, basis}
}

const LEVELS: Record<Coverage['confidence'], string> = {
  high: `at least ${COVERAGE.highHistoryDays} days of history or a day of samples`,
  medium: `at least a day of history or ${COVERAGE.mediumSampleSeconds / 60} minutes of samples`,
  low: 'a short sample only: peaks outside it are not seen',
  none: 'nothing measured over time: memory from one process listing, CPU not measured',
}

/** Whether a CPU rate was measured: it takes two samples (see plan/resources.ts). */
export function cpuMeasured(facts: HostFacts): boolean {
  return facts.utilisation.samples.length >= 2
}

/** The probe's virtualisation value: 'none' is bare metal (said only on evidence), hypervisor names are VMs. */
export function platform(virtualization: string): Platform {
  if (virtualization === 'none') return 'bare-metal'
  if (virtualization === 'unknown' || virtualization === '') return 'unknown'
  if (CONTAINERS.has(virtualization)) return 'container'
  return 'vm'
}

// systemd-detect-virt's container names, and the probe's own 'container'.
const CONTAINERS = new Set(['container', 'docker', 'podman', 'lxc', 'lxc-libvirt', 'systemd-nspawn', 'openvz', 'rkt', 'wsl', 'proot', 'pouch'])

function span(stamps: string[]): number {
  const times = stamps.map((s) => Date.parse(s)).filter((t) => Number.isFinite(t))
  return times.length < 2 ? 0 : (Math.max(...times) - Math.min(...times)) / 1000
}
