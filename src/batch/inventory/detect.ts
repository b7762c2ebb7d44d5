import {basename, extname} from 'node:path'
import type {InventoryFormat} from './types.js'

const SECTION_RE = /^\[[^\]\s]+\]\s*(?:[#;].*)?$/
const SSH_KEYWORD_RE = /^(?:host|match)(?:\s*=\s*|\s+)\S/i
const YAML_START_RE = /^(?:---|\{|[^\s#:[\]]+:\s*(?:#.*)?$)/

/**
 * The format of an inventory file: by extension when it says (.csv, .ini, .yml/.yaml/.json), else
 * by content: `[group]` headers are Ansible INI, `Host`/`Match` lines ssh_config, a first line of
 * `name:` YAML, a header row with a host column CSV, and bare host lines Ansible INI (as Ansible
 * reads a plain list of hosts).
 */
export function detectFormat(file: string, text: string): InventoryFormat {
  const extension = extname(file).toLowerCase()
  if (extension === '.csv') return 'csv'
  if (extension === '.ini') return 'ansible-ini'
  if (extension === '.yml' || extension === '.yaml' || extension === '.json') return 'ansible-yaml'
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith(';'))
  if (lines.some((line) => SECTION_RE.test(line))) return 'ansible-ini'
  if (lines.some((line) => SSH_KEYWORD_RE.test(line)) || /^(?:ssh_)?config$/.test(basename(file))) return 'ssh-config'
  const first = lines[0] ?? ''
  if (YAML_START_RE.test(first)) return 'ansible-yaml'
  const cells = first.split(/[,;\t]/).map((cell) => cell.trim().replace(/^"|"$/g, '').toLowerCase())
  if (cells.length > 1 && cells.includes('host')) return 'csv'
  if (first.toLowerCase() === 'host') return 'csv'
  return 'ansible-ini'
}
