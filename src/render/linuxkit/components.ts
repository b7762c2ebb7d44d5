/**
 * LinuxKit component images, pinned to exactly the tags of LinuxKit's own examples at commit
 * 3bf33c3a11fc (2026-03-27; ../shared/linuxkit/example-linuxkit.yml and
 * example-docker-persistent.yml). The examples give tags only, no digests, so none are invented
 * here. Move them together, to the tags of a newer LinuxKit example, on purpose.
 */
export const LINUXKIT_SOURCE = 'linuxkit/linuxkit@3bf33c3a11fc (examples, 2026-03-27)'

export const KERNEL = {
  image: 'linuxkit/kernel:6.12.59',
  // Every console the examples name: the one the hypervisor or cloud wires up gets the boot log.
  cmdline: 'console=tty0 console=ttyS0 console=ttyAMA0',
} as const

export const INIT = [
  'linuxkit/init:b5506cc74a6812dc40982cacfd2f4328f8a4b12a',
  'linuxkit/runc:9442aa234715e751a16144f1d4ae3fd1a00fd492',
  'linuxkit/containerd:ba19f64efd3331a8fd0a33e00eabd14f6ee1780e',
  'linuxkit/ca-certificates:256f1950df59f2f209e9f0b81374177409eb11de',
] as const

export const SYSCTL = 'linuxkit/sysctl:43ac1d39da329c3567fcb9689e5ca99de6d169b6'
export const DHCPCD = 'linuxkit/dhcpcd:b87e9ececac55a65eaa592f4dd8b4e0c3009afdb'
export const FORMAT = 'linuxkit/format:4f779c0b0d0ba145b7f03211b5cbf59fbbe12e54'
export const MOUNT = 'linuxkit/mount:bd1c3bb45e48e68e47a9456d1669f7119f855184'
export const OPENNTPD = 'linuxkit/openntpd:2508f1d040441457a0b3e75744878afdf61bc473'

/** Every LinuxKit image a manifest of Hoist's may name: the substrate's own components. */
export const SUBSTRATE_IMAGES: readonly string[] = [KERNEL.image, ...INIT, SYSCTL, DHCPCD, FORMAT, MOUNT, OPENNTPD]
