import {join} from 'node:path'

/**
 * `~` and `~/path` as the user's home: the SSH layer takes identity files as paths, and Ansible,
 * ssh and a CSV's author all mean the home directory by a leading `~`. `~user/` is left as written.
 */
export function expandHome(path: string, homeDir: string): string {
  if (path === '~') return homeDir
  return path.startsWith('~/') ? join(homeDir, path.slice(2)) : path
}
