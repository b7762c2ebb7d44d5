/** Every failure a user can meet, with a stable code and what to do next. */
export type ErrorCode =
  | 'TARGET_INVALID'
  | 'SSH_UNREACHABLE'
  | 'SSH_REFUSED'
  | 'SSH_TIMEOUT'
  | 'SSH_AUTH_FAILED'
  | 'SSH_HOSTKEY_UNKNOWN'
  | 'SSH_HOSTKEY_CHANGED'
  | 'SSH_HOSTKEY_REVOKED'
  | 'SSH_CONFIG_INVALID'
  | 'SSH_FAILED'
  | 'PROBE_FAILED'
  | 'PROBE_TIMEOUT'
  | 'FETCH_FAILED'
  | 'SNAPSHOT_INVALID'
  | 'FACTS_INVALID'
  | 'WORKSPACE_INVALID'
  | 'INPUT_MISSING'
  | 'RULE_INVALID'
  | 'PLAN_INVALID'
  | 'CONFIG_INVALID'
  | 'INVENTORY_INVALID'
  | 'ENGINE_MISSING'
  | 'TEMPLATE_INVALID'
  | 'GENERATE_FAILED'

/** The key an SSH_HOSTKEY_UNKNOWN error is about, as data: the wizard shows it and asks whether to trust it. */
export interface HostKeyDetails {
  /** The hop, as the message names it (e.g. root@web01). */
  who: string
  keyType: string
  /** SHA256:… */
  fingerprint: string
}

export class HoistError extends Error {
  readonly code: ErrorCode
  readonly suggestion: string
  readonly host?: string
  /** Set on SSH_HOSTKEY_UNKNOWN for a key that was presented (not when known_hosts could not be read). */
  readonly hostKey?: HostKeyDetails

  constructor(code: ErrorCode, message: string, suggestion: string, options: {host?: string; cause?: unknown; hostKey?: HostKeyDetails} = {}) {
    super(printable(message), {cause: options.cause})
    this.name = 'HoistError'
    this.code = code
    this.suggestion = printable(suggestion)
    this.host = options.host === undefined ? undefined : printable(options.host)
    if (options.hostKey) {
      const {who, keyType, fingerprint} = options.hostKey
      this.hostKey = {who: printable(who), keyType: printable(keyType), fingerprint: printable(fingerprint)}
    }
  }

  toJSON(): {code: ErrorCode; message: string; suggestion: string; host?: string} {
    return {code: this.code, message: this.message, suggestion: this.suggestion, host: this.host}
  }
}

export function isHoistError(error: unknown): error is HoistError {
  return error instanceof HoistError
}

/**
 * Messages often quote what a host said (stderr, a banner, a hostname): control characters and
 * escape sequences are shown as \xNN so a hostile host cannot drive the operator's terminal or
 * plant them in index.json.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
