/**
 * End of regular (and LTS, where the distribution has one) security support, per release.
 * Sources: the distributions' own release pages. A release missing here is "unknown", not "fine".
 */
const END_OF_LIFE: Record<string, Record<string, string>> = {
  debian: {'8': '2020-06-30', '9': '2022-06-30', '10': '2024-06-30', '11': '2026-08-31', '12': '2028-06-30', '13': '2030-06-30'},
  ubuntu: {'14.04': '2019-04-30', '16.04': '2021-04-30', '18.04': '2023-05-31', '20.04': '2025-05-31', '22.04': '2027-06-01', '24.04': '2029-05-31'},
  centos: {'6': '2020-11-30', '7': '2024-06-30', '8': '2021-12-31'},
  rhel: {'6': '2020-11-30', '7': '2024-06-30', '8': '2029-05-31', '9': '2032-05-31'},
  rocky: {'8': '2029-05-31', '9': '2032-05-31'},
  almalinux: {'8': '2029-03-01', '9': '2032-05-31'},
  ol: {'7': '2024-12-31', '8': '2029-07-31', '9': '2032-06-30'},
  sles: {'12': '2024-10-31', '15': '2031-07-31'},
  alpine: {'3.14': '2023-05-01', '3.15': '2023-11-01', '3.16': '2024-05-23', '3.17': '2024-11-22', '3.18': '2025-05-09', '3.19': '2025-11-01', '3.20': '2026-04-01', '3.21': '2026-11-01', '3.22': '2027-05-01'},
}

/** The release's end-of-life date, when the table knows it. */
export function endOfLife(id: string, versionId: string): string | undefined {
  const releases = END_OF_LIFE[id]
  if (!releases) return undefined
  const major = versionId.split('.')[0] ?? versionId
  const minor = versionId.split('.').slice(0, 2).join('.')
  return releases[versionId] ?? releases[minor] ?? releases[major]
}
