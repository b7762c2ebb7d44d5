import {DEFAULT_PROBE_PARAMS} from './probe/script.js'

/** How a probe is run and bounded, the same for SSH, --local and every host of a batch. */
export interface CollectOptions {
  sudo: boolean
  /** `--sample 30s`: seconds of utilisation sampling (0: one reading). */
  sampleSeconds: number
  sampleIntervalSeconds?: number
  /** The whole probe, on top of the sampling time. */
  probeTimeoutMs: number
  /** All probe output together; past it the probe is cut off and what arrived is kept. */
  maxBytes: number
  /** `--size-budget`: seconds du may spend sizing data paths on the host. */
  sizeBudgetSeconds: number
}

export const DEFAULT_COLLECT_OPTIONS: CollectOptions = {
  sudo: false,
  sampleSeconds: 0,
  probeTimeoutMs: 120_000,
  maxBytes: 64 * 1024 * 1024,
  sizeBudgetSeconds: DEFAULT_PROBE_PARAMS.sizeBudgetSeconds,
}
