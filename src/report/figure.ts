/**
 * Figures: a number with its unit, basis, inputs and confidence. Values are rounded where they are
 * made, and later figures are computed from the rounded inputs, so anyone can redo a sum from
 * report.json and get the same answer.
 */
import type {Confidence, Figure} from '../types/report.js'

const ORDER: Confidence[] = ['none', 'low', 'medium', 'high']

export function figure(value: number | null, unit: string, basis: string, inputs: Figure['inputs'], confidence: Confidence): Figure {
  return {value: value === null ? null : round(value, digitsFor(unit)), unit, basis, inputs, confidence}
}

/** CPU and memory to the thousandth (a 32 MiB floor is 0.031 GiB), node shares to 4 places; money, days and percents to the hundredth. */
export function digitsFor(unit: string): number {
  return unit === 'nodes' ? 4 : unit === 'vCPU' || unit === 'GiB' ? 3 : 2
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}

/** The weakest of the confidences a figure was computed from. */
export function weakest(...levels: Confidence[]): Confidence {
  return levels.reduce((a, b) => (ORDER.indexOf(a) <= ORDER.indexOf(b) ? a : b), 'high' as Confidence)
}

/** Sum of figures that may be unmeasured: null when any part is. */
export function sum(figures: Figure[], unit: string, basis: string, names: string[]): Figure {
  const known = figures.every((f) => f.value !== null)
  const total = known ? figures.reduce((n, f) => n + (f.value ?? 0), 0) : null
  const inputs = Object.fromEntries(figures.map((f, i) => [names[i] ?? `part${i}`, f.value]))
  return figure(total, unit, basis, inputs, weakest(...figures.map((f) => f.confidence)))
}

/** a − b, null when either is unmeasured. */
export function minus(a: Figure, b: Figure, basis: string, names: [string, string]): Figure {
  const value = a.value === null || b.value === null ? null : a.value - b.value
  return figure(value, a.unit, basis, {[names[0]]: a.value, [names[1]]: b.value}, weakest(a.confidence, b.confidence))
}

export function percentOf(part: Figure, whole: Figure, basis: string, names: [string, string]): Figure {
  const value = part.value === null || whole.value === null || whole.value === 0 ? null : (part.value / whole.value) * 100
  return figure(value, '%', basis, {[names[0]]: part.value, [names[1]]: whole.value}, weakest(part.confidence, whole.confidence))
}

export function gib(bytes: number): number {
  return bytes / 2 ** 30
}
