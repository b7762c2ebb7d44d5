/**
 * How figures read in report.html and report.md: the value exactly as report.json holds it (only
 * grouped), with its unit, so a reader can find any printed figure in the JSON and its inputs.
 */
import type {Figure} from '../types/report.js'
import {digitsFor} from './figure.js'

export function formatNumber(value: number, digits: number, minimum = 0): string {
  return value.toLocaleString('en-US', {maximumFractionDigits: digits, minimumFractionDigits: minimum})
}

export function formatFigure(f: Figure): string {
  if (f.value === null) return 'not measured'
  const money = /^([A-Z]{3})\/(month|year|hour)$/.exec(f.unit)
  if (money) return `${money[1]} ${formatNumber(f.value, 2, 2)} / ${money[2]}`
  const n = formatNumber(f.value, digitsFor(f.unit))
  if (f.unit === '%') return `${n}%`
  if (f.unit === 'days' || f.unit === 'nodes') return `${n} ${f.value === 1 ? f.unit.slice(0, -1) : f.unit}`
  return `${n} ${f.unit}`
}

/** Is it a Figure? (report.json's figures all have these four keys.) */
export function isFigure(value: unknown): value is Figure {
  return typeof value === 'object' && value !== null && 'value' in value && 'unit' in value && 'basis' in value && 'inputs' in value
}
