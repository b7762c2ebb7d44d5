import {execute} from '@oclif/core'

/** The built CLI's entry (bin/run.js). Bare `hoist` in a terminal is the wizard (DESIGN.md); without one (scripts, pipes) it stays the help. */
export async function main(args: string[], options: {development?: boolean; dir: string}): Promise<void> {
  const wizard = args.length === 0 && process.stdin.isTTY && process.stdout.isTTY
  await execute({...options, args: wizard ? ['wizard'] : args})
}
