import type {Dockerfile} from 'dockerfile-ast'

/** What the plan knows about the service, for the rules that check a Dockerfile against the host. */
export interface LintContext {
  expectedPorts: {port: number; protocol: 'tcp' | 'udp'}[]
  /** The user the process ran as on the host: 'root' or a name. */
  originalUser: string
  healthcheckExpected: boolean
  hasDockerignore: boolean
}

export interface LintFinding {
  /** Stable id: `hoist/<rule>` or `dockerfile-utils/<code>`. */
  rule: string
  /** 1-based. */
  line: number
  message: string
}

export interface LintRule {
  id: string
  title: string
  check(dockerfile: Dockerfile, context: LintContext): LintFinding[]
}
