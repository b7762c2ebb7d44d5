import {readFile} from 'node:fs/promises'
import os from 'node:os'
import {ansibleConnection} from './ansible-connection.js'
import {parseAnsibleIni} from './ansible-ini.js'
import {resolveAnsibleHosts} from './ansible-vars.js'
import {parseAnsibleYaml} from './ansible-yaml.js'
import {parseCsvInventory} from './csv.js'
import {detectFormat} from './detect.js'
import {expandHome} from './home.js'
import {applyLimit} from './limit.js'
import {parseSshConfigInventory} from './ssh-config.js'
import {checkHostName, inventoryError, type InventoryFormat, type InventoryHost, type LoadInventoryOptions} from './types.js'

export type {InventoryFormat, InventoryHost, LoadInventoryOptions} from './types.js'

/**
 * The hosts of an inventory file (CSV, Ansible INI or YAML, ssh_config), after --limit, in file
 * order. The format comes from the extension and the content unless given. Ansible hosts' connection
 * variables are worked out only for the hosts --limit keeps, so a host Hoist cannot read (a vault
 * or Jinja ansible_host) can be left out rather than fail the whole run. A leading `~` in identity
 * files is expanded.
 */
export async function loadInventory(file: string, options: LoadInventoryOptions = {}): Promise<InventoryHost[]> {
  const homeDir = options.homeDir ?? os.homedir()
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw inventoryError(file, missing ? 'no such inventory file' : `cannot read the inventory: ${(error as Error).message}`, 'Check the path given to --inventory.')
  }
  if (/^\s*\$ANSIBLE_VAULT;/.test(text)) {
    throw inventoryError(file, 'the inventory is encrypted with ansible-vault', `Decrypt a copy for Hoist: ansible-vault view ${file} > plain-inventory, and pass that file.`)
  }
  const format = options.format ?? detectFormat(file, text)
  const finish = (hosts: InventoryHost[]): InventoryHost[] =>
    hosts.map((host) => {
      checkHostName(host.name, host.source)
      return host.identityFile === undefined ? host : {...host, identityFile: expandHome(host.identityFile, homeDir)}
    })
  if (format === 'ansible-ini' || format === 'ansible-yaml') {
    const hosts = resolveAnsibleHosts(format === 'ansible-ini' ? parseAnsibleIni(text, file) : parseAnsibleYaml(text, file))
    requireHosts(hosts.length, format, file)
    return finish(applyLimit(hosts, options.limit, file).map(ansibleConnection))
  }
  const hosts = format === 'csv' ? parseCsvInventory(text, file) : parseSshConfigInventory(text, file, homeDir)
  requireHosts(hosts.length, format, file)
  return finish(applyLimit(hosts, options.limit, file))
}

function requireHosts(count: number, format: InventoryFormat, file: string): void {
  if (count > 0) return
  const suggestion = format === 'ssh-config' ? 'Only Host names without wildcards become hosts: add a Host entry per machine.' : 'Add hosts to the file; if it was read as the wrong format, name it .csv, .ini or .yml.'
  throw inventoryError(file, `the inventory (read as ${format}) lists no hosts`, suggestion)
}
