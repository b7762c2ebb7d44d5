/**
 * The part of LinuxKit's manifest (its moby config) Hoist writes. Field names are LinuxKit's,
 * including the dotted `binds.add`, which appends to an image's own binds instead of replacing them.
 * No `trust` section: LinuxKit ignores it since content trust was removed.
 */
export interface LinuxkitManifest {
  kernel: LinuxkitKernel
  /** Images whose contents make up the root filesystem: init, runc, containerd, CA certificates. */
  init: string[]
  /** Run to completion, in order, at boot. */
  onboot: LinuxkitImage[]
  /** Long-running containers, started once by containerd (never restarted by LinuxKit). */
  services: LinuxkitImage[]
  files: LinuxkitFile[]
}

export interface LinuxkitKernel {
  image: string
  cmdline: string
}

export interface LinuxkitImage {
  name: string
  image: string
  /** Replaces the image's entrypoint and command. */
  command?: string[]
  /** The full capability set (LinuxKit grants none by default); replaces what the image's label grants. */
  capabilities?: string[]
  /** Capabilities a non-root process keeps across exec: without them it holds none. */
  ambient?: string[]
  binds?: string[]
  'binds.add'?: string[]
  env?: string[]
  net?: string
  uid?: number | string
  gid?: number | string
  noNewPrivileges?: boolean
  resources?: LinuxkitResources
}

export interface LinuxkitResources {
  memory?: {limit: number}
  cpu?: {shares: number}
}

export interface LinuxkitFile {
  /** Relative to the root of the image, as LinuxKit writes it (no leading slash). */
  path: string
  directory?: boolean
  contents?: string
  mode?: string
}

export type NetworkMode = 'auto' | 'dhcp' | 'static'

export interface LinuxkitOptions {
  /**
   * auto: the host's own address when it had a fixed one (facts.network), else DHCP. The substrate
   * then answers where the original did: power the original off before booting it.
   */
  network?: NetworkMode
}
