import {posix} from 'node:path'
import {envWord} from './host-path.js'

/**
 * Files that are a secret as a whole: private keys and keystores. Redacting lines of them would
 * leave a broken file, and copying them would bake a key into an image layer, so they are not copied
 * at all; the report names them so the plan can mount them at run time.
 */

// id_rsa, id_ed25519_sk, … but not their .pub halves.
const KEY_NAMES = /^id_(rsa|dsa|ecdsa|ed25519)(_sk)?$|^id_ecdsa_sk$/
const KEY_EXTENSIONS = /\.(key|jks|jceks|p12|pfx|keystore|bcfks|ppk|kdb)$/i
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----|^PuTTY-User-Key-File-/m

/** Decided from the name alone, before a byte is read. */
export function isSecretFileName(path: string): boolean {
  const base = posix.basename(path)
  return KEY_NAMES.test(base) || KEY_EXTENSIONS.test(base)
}

/** A PEM or OpenSSH private key anywhere in the file (a bundle of certificate plus key counts). */
export function holdsPrivateKey(content: Buffer): boolean {
  return PRIVATE_KEY_BLOCK.test(content.toString('latin1'))
}

/**
 * An environment-style name from the file's folder and name: /etc/nginx/tls/server.key →
 * TLS_SERVER_KEY, /root/.ssh/id_rsa → SSH_ID_RSA. `taken` makes it unique within one fetch.
 */
export function secretFileName(path: string, taken: ReadonlySet<string>): string {
  const folder = envWord(posix.basename(posix.dirname(path)))
  const file = envWord(posix.basename(path))
  let name = [folder, file].filter(Boolean).join('_') || 'SECRET_FILE'
  if (/^[0-9]/.test(name)) name = `F_${name}`
  if (!taken.has(name)) return name
  for (let n = 2; ; n++) if (!taken.has(`${name}_${n}`)) return `${name}_${n}`
}
