/**
 * The boot steps that carry the host's own settings over: its sysctls and its network address.
 */
import type {HostFacts, NetworkFacts} from '../../types/facts.js'
import {DHCPCD, SYSCTL} from './components.js'
import type {LinuxkitFile, LinuxkitImage, NetworkMode} from './types.js'

export const HOST_SYSCTL_FILE = 'etc/sysctl.d/90-hoist-host.conf'
export const STATIC_DHCPCD_FILE = 'etc/hoist/dhcpcd.conf'
export const STATIC_RESOLV_FILE = 'etc/hoist/resolv.conf'
/** LinuxKit has no udev renaming: the first NIC of the substrate is eth0, whatever the host called it. */
const SUBSTRATE_INTERFACE = 'eth0'

export interface BootStep {
  onboot: LinuxkitImage
  files: LinuxkitFile[]
}

export interface NetworkStep extends BootStep {
  /** The resolv.conf the services bind: a file that exists at boot whatever the network said. */
  resolvConf: string
}

/**
 * LinuxKit's stock sysctl step always runs: its own defaults (kptr_restrict, dmesg_restrict,
 * unprivileged_bpf_disabled, …) harden the substrate and are not the host's to drop. The settings
 * the host set itself (facts.sysctl: /etc/sysctl.conf and /etc/sysctl.d, comments left out) go in a
 * file read after LinuxKit's, so the host's value wins where both set one.
 */
export function sysctlStep(facts: HostFacts): BootStep {
  const step: BootStep = {onboot: {name: 'sysctl', image: SYSCTL}, files: []}
  // LinuxKit's sysctl tool splits a line at '=' and wants exactly two parts.
  const settings = facts.sysctl.filter((s) => s.key !== '' && !s.value.includes('='))
  if (settings.length === 0) return step
  const lines = ['# Hoist: the sysctls the original host set itself (its /etc/sysctl.conf and /etc/sysctl.d).']
  for (const s of settings) lines.push(`# from ${s.source}`, `${s.key} = ${s.value}`)
  step.files.push({path: HOST_SYSCTL_FILE, contents: `${lines.join('\n')}\n`, mode: '0644'})
  step.onboot['binds.add'] = [`/${HOST_SYSCTL_FILE}:/${HOST_SYSCTL_FILE}`]
  return step
}

/** `ip -o addr` marks a leased address `dynamic`; HostFacts may carry it as this flag. */
type ObservedAddress = NetworkFacts['addresses'][number] & {dynamic?: boolean}

/** The host's fixed IPv4 address: global scope (not loopback, not link-local) and not a DHCP lease. */
export function staticAddress(network: NetworkFacts): ObservedAddress | undefined {
  return (network.addresses as ObservedAddress[]).find(
    (a) => a.family === 'inet' && !/^(127\.|169\.254\.)/.test(a.cidr) && a.dynamic !== true,
  )
}

/**
 * dhcpcd either way, from the pinned image: with its stock configuration it takes a DHCP lease;
 * with `static` lines it configures the host's own address and asks no server (dhcpcd.conf(5)).
 */
export function networkStep(facts: HostFacts, mode: NetworkMode): NetworkStep {
  const command = ['/sbin/dhcpcd', '--nobackground', '-f', '/dhcpcd.conf', '-1']
  const address = mode === 'dhcp' ? undefined : staticAddress(facts.network)
  if (!address || (mode === 'auto' && !facts.network.defaultGateway)) {
    // dhcpcd writes the servers the lease names to /etc/resolv.conf.
    return {onboot: {name: 'dhcpcd', image: DHCPCD, command}, files: [], resolvConf: '/etc/resolv.conf'}
  }
  return {
    onboot: {name: 'dhcpcd', image: DHCPCD, command, 'binds.add': [`/${STATIC_DHCPCD_FILE}:/dhcpcd.conf`]},
    files: [
      {path: STATIC_DHCPCD_FILE, contents: staticConfig(facts, address), mode: '0644'},
      {path: STATIC_RESOLV_FILE, contents: resolvConf(facts), mode: '0644'},
    ],
    resolvConf: `/${STATIC_RESOLV_FILE}`,
  }
}

/** A loopback resolver was a daemon on the original (dnsmasq, systemd-resolved) that is not lifted. */
function reachableNameservers(network: NetworkFacts): string[] {
  return network.nameservers.filter((n) => !/^(127\.|::1$)/.test(n))
}

function resolvConf(facts: HostFacts): string {
  const servers = reachableNameservers(facts.network)
  const lines = [`# Hoist: the name servers ${facts.host.hostname} used (facts.network).`, ...servers.map((n) => `nameserver ${n}`)]
  if (servers.length === 0 && facts.network.nameservers.length > 0) {
    lines.push(`# It resolved names through ${facts.network.nameservers.join(', ')}, a local resolver not lifted: add a nameserver line.`)
  }
  return `${lines.join('\n')}\n`
}

function staticConfig(facts: HostFacts, address: ObservedAddress): string {
  const {defaultGateway} = facts.network
  const lines = [
    `# Hoist: the fixed address ${facts.host.hostname} had on ${address.interface} (facts.network), not a DHCP lease.`,
    '# The substrate takes the original\'s place on the network: power the original off first.',
    `allowinterfaces ${SUBSTRATE_INTERFACE}`,
    `interface ${SUBSTRATE_INTERFACE}`,
    `static ip_address=${address.cidr}`,
  ]
  if (defaultGateway) lines.push(`static routers=${defaultGateway}`)
  // Name servers are in the services' own resolv.conf (etc/hoist/resolv.conf), not left to dhcpcd.
  lines.push('noipv6rs')
  return `${lines.join('\n')}\n`
}
