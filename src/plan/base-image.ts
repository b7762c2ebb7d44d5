/**
 * Base images by policy. same-os: the host's own distribution and release (lift-and-shift, the
 * host's package versions). official: the runtime's maintained upstream image. Tags are pinned;
 * end-of-life releases are kept, and flagged, never silently upgraded.
 */
const SAME_OS: Record<string, (version: string) => string> = {
  debian: (v) => `debian:${v.split('.')[0]}`,
  ubuntu: (v) => `ubuntu:${v}`,
  centos: (v) => `centos:${v.split('.')[0]}`,
  rocky: (v) => `rockylinux:${v.split('.')[0]}`,
  almalinux: (v) => `almalinux:${v.split('.')[0]}`,
  rhel: (v) => `registry.access.redhat.com/ubi${v.split('.')[0]}/ubi:${v}`,
  ol: (v) => `oraclelinux:${v.split('.')[0]}`,
  fedora: (v) => `fedora:${v}`,
  alpine: (v) => `alpine:${v.split('.').slice(0, 2).join('.')}`,
  opensuse: (v) => `opensuse/leap:${v}`,
  'opensuse-leap': (v) => `opensuse/leap:${v}`,
  sles: (v) => `registry.suse.com/suse/sle15:${v}`,
  amzn: (v) => `amazonlinux:${v}`,
}

export function sameOsImage(id: string, versionId: string): string | undefined {
  const make = SAME_OS[id]
  return make && versionId ? make(versionId) : undefined
}
