import {Document} from 'yaml'
import type {Artifacts, GeneratedService} from '../../types/artifacts.js'
import type {HostFacts} from '../../types/facts.js'
import type {Plan} from '../../types/plan.js'
import {capabilitiesFor, isRootUser, memoryLimitMiB} from '../runtime.js'
import {INIT, KERNEL, LINUXKIT_SOURCE, OPENNTPD} from './components.js'
import {dataDisks, diskDirectories, diskSteps, DISK_ROOT, prepareStep, runningServices, SECRETS_LABEL, SECRETS_ROOT, type DataDisk} from './disks.js'
import {networkStep, STATIC_DHCPCD_FILE, sysctlStep} from './onboot.js'
import {SUPERVISOR, SUPERVISOR_BIND, SUPERVISOR_FILE, supervisedCommand, supervisorFile} from './supervise.js'
import type {LinuxkitImage, LinuxkitManifest, LinuxkitOptions} from './types.js'

const TIME_DAEMONS = /^(chronyd|ntpd|openntpd|systemd-timesyn)/

/**
 * Artifacts (+ the host's facts) → a minimal LinuxKit substrate: kernel and init pinned, the
 * host's sysctls and address, one disk per data path, one service per application image.
 * No getty and no sshd: the substrate is changed by rebuilding it, not by logging in.
 * The plan's decisions reach here through the artifacts; `_plan` keeps one signature for all renderers.
 */
export function renderLinuxkit(artifacts: Artifacts, _plan: Plan, facts: HostFacts, options: LinuxkitOptions = {}): LinuxkitManifest {
  const sysctl = sysctlStep(facts)
  const network = networkStep(facts, options.network ?? 'auto')
  const disks = dataDisks(artifacts)
  const prepare = prepareStep(artifacts, disks)
  const applications = runningServices(artifacts).map((s) => applicationService(s, disks, network.resolvConf))
  // Keep time only where the original did: one root daemon fewer otherwise.
  const ntpd: LinuxkitImage[] = facts.processes.some((p) => TIME_DAEMONS.test(p.comm)) ? [{name: 'ntpd', image: OPENNTPD}] : []
  return {
    kernel: {...KERNEL},
    init: [...INIT],
    onboot: [sysctl.onboot, network.onboot, ...diskSteps(disks), ...(prepare ? [prepare] : [])],
    services: [...ntpd, ...applications],
    files: [...sysctl.files, ...network.files, ...(applications.length > 0 ? [supervisorFile()] : []), ...diskDirectories(disks)],
  }
}

function applicationService(service: GeneratedService, disks: DataDisk[], resolvConf: string): LinuxkitImage {
  const caps = capabilitiesFor(service)
  const root = isRootUser(service)
  const binds = [`${resolvConf}:/etc/resolv.conf:ro`, SUPERVISOR_BIND]
  for (const d of disks.filter((x) => x.data?.services.includes(service.name))) binds.push(`${d.mountPoint}:${d.data!.path}`)
  if (service.secrets.length > 0) binds.push(`${SECRETS_ROOT}/${service.name}:/run/secrets:ro`)
  const env = Object.entries(service.environment).map(([k, v]) => `${k}=${v}`)
  return {
    name: service.name,
    image: service.image,
    command: supervisedCommand(service),
    uid: service.user.uid ?? service.user.name,
    gid: service.user.gid ?? service.user.uid ?? service.user.name,
    // Always a list, even empty: without one LinuxKit grants what the image's org.mobyproject.config label says.
    capabilities: caps,
    // A non-root process loses its capabilities at exec unless they are ambient.
    ...(!root && caps.length > 0 ? {ambient: caps} : {}),
    noNewPrivileges: true,
    binds,
    ...(env.length > 0 ? {env} : {}),
    resources: {
      memory: {limit: memoryLimitMiB(service) * 1024 * 1024},
      // What a Kubernetes request does to the scheduler, shares do to the kernel: 1 CPU = 1024.
      cpu: {shares: Math.max(2, Math.round(service.resources.cpu * 1024))},
    },
  }
}

/** linuxkit.yml text: a header saying how restarts, disks and secrets work, then the manifest. */
export function serialiseLinuxkit(manifest: LinuxkitManifest, artifacts: Artifacts): string {
  const doc = new Document(manifest, {version: '1.1', aliasDuplicateObjects: false})
  doc.commentBefore = linuxkitHeader(manifest, artifacts)
  return doc.toString({lineWidth: 0})
}

function linuxkitHeader(manifest: LinuxkitManifest, artifacts: Artifacts): string {
  const lines = [
    ` Hoist: minimal LinuxKit substrate for host ${artifacts.host}. Components pinned to ${LINUXKIT_SOURCE}.`,
    ' The application images named under services must be built first (their Dockerfiles are in services/).',
    ` Restarts: LinuxKit starts a service once and never restarts it (linuxkit/linuxkit#4121). Each application`,
    ` service runs under ${SUPERVISOR} (/${SUPERVISOR_FILE}, bound into it): it restarts the program when it exits`,
    ' (backoff 1 s doubling to 60 s) and, when the service has a health check, after that many failed checks.',
  ]
  const disks = dataDisks(artifacts)
  if (disks.length > 0) {
    lines.push(
      ` Disks: attach ${disks.length} blank disk(s) besides the boot disk, in this order. At first boot each is formatted`,
      ' (ext4) and labelled; later boots find them partitioned and leave them be. Mounted under ' + DISK_ROOT + ':',
    )
    for (const d of disks) {
      const what = d.data ? `${d.data.path} of ${d.data.services.join(', ')}${d.data.sizeBytes === undefined ? '' : ` (${size(d.data.sizeBytes)} on the host)`}` : 'secrets'
      lines.push(`   ${d.label} → ${d.mountPoint}: ${what}`)
    }
  }
  if (disks.some((d) => d.label === SECRETS_LABEL)) {
    lines.push(
      ` Secrets: write each value to ${SECRETS_ROOT}/<service>/<NAME> on disk ${SECRETS_LABEL} (mode 0400, owner the`,
      ' service\'s uid) before the services start; it is bound at /run/secrets. No value is in an image or in this file.',
    )
  }
  const dhcpcd = manifest.onboot.find((s) => s.name === 'dhcpcd')
  lines.push(dhcpcd?.['binds.add'] ? ` Network: the original's fixed address (${STATIC_DHCPCD_FILE}); power the original off first.` : ' Network: DHCP.')
  const batch = artifacts.services.filter((s) => s.schedule !== undefined)
  for (const s of batch) lines.push(` Not run here: ${s.name} is cron-driven (${s.schedule}) and LinuxKit has no scheduler.`)
  for (const s of artifacts.skipped) lines.push(` Not generated: ${s.service} (${s.reason})`)
  return lines.join('\n')
}

function size(bytes: number): string {
  return bytes < 1048576 ? `${Math.ceil(bytes / 1024)} KiB` : `${Math.ceil(bytes / 1048576)} MiB`
}
