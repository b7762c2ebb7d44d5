import {Listr, type DefaultRenderer, type ListrTaskWrapper, type SimpleRenderer} from 'listr2'
import {formatError} from '../base-command.js'
import type {BatchEvent} from './runner.js'

/** How a batch shows its progress: a live per-host view on a terminal, one line per event otherwise. */
export interface Progress {
  event(e: BatchEvent): void
  /** Resolves once the view has drawn its last frame. */
  finish(): Promise<void>
}

export function lineProgress(write: (line: string) => void): Progress {
  return {event: (e) => write(eventLine(e)), finish: async () => {}}
}

export function eventLine(e: BatchEvent): string {
  switch (e.type) {
    case 'start':
      return e.attempt === 1 ? `${e.name}: scanning` : `${e.name}: attempt ${e.attempt}`
    case 'retry':
      return `${e.name}: ${e.error.code}, retrying in ${(e.delayMs / 1000).toFixed(0)} s`
    case 'done':
      return `${e.name}: ✓ scanned in ${(e.ms / 1000).toFixed(1)} s`
    case 'failed':
      return `${e.name}: ✗ ${formatError(e.error).replace(/\n/g, '\n    ')}`
    case 'skipped':
      return `${e.name}: skipped, ${e.reason}`
  }
}

type Task = ListrTaskWrapper<unknown, typeof DefaultRenderer, typeof SimpleRenderer>

interface HostView {
  task?: Task
  title: string
  output?: string
  end?: {ok: true; skip?: string} | {ok: false; message: string}
  settle?: () => void
}

/**
 * The live view (listr2): one line per host, its state and time. listr2 only draws here; the
 * batch runner decides what runs when, so a host's line waits for that host's events.
 */
export function liveProgress(names: string[]): Progress {
  const views = new Map<string, HostView>(names.map((n) => [n, {title: `${n}: waiting`}]))
  const apply = (view: HostView) => {
    if (!view.task) return
    view.task.title = view.title
    if (view.output) view.task.output = view.output
    if (view.end?.ok && view.end.skip) view.task.skip(view.end.skip)
  }
  const list = new Listr(
    names.map((name) => ({
      title: `${name}: waiting`,
      task: (_ctx, task) =>
        new Promise<void>((resolve, reject) => {
          const view = views.get(name)!
          view.task = task
          view.settle = () => (view.end?.ok === false ? reject(new Error(view.end.message)) : resolve())
          apply(view)
          if (view.end) view.settle()
        }),
    })),
    {concurrent: true, exitOnError: false, renderer: 'default', fallbackRenderer: 'simple', rendererOptions: {collapseErrors: false}},
  )
  const running = list.run().catch(() => {})
  return {
    event(e) {
      const view = views.get(e.name)
      if (!view) return
      if (e.type === 'start') view.title = e.attempt === 1 ? `${e.name}: scanning` : `${e.name}: scanning (attempt ${e.attempt})`
      if (e.type === 'retry') view.output = `${e.error.code}, retrying in ${(e.delayMs / 1000).toFixed(0)} s`
      if (e.type === 'done') view.title = `${e.name}: scanned in ${(e.ms / 1000).toFixed(1)} s`
      if (e.type === 'skipped') view.end = {ok: true, skip: `${e.name}: skipped, ${e.reason}`}
      if (e.type === 'done') view.end = {ok: true}
      if (e.type === 'failed') {
        view.title = `${e.name}: failed after ${(e.ms / 1000).toFixed(1)} s`
        view.end = {ok: false, message: `${e.error.code}: ${e.error.message} → ${e.error.suggestion}`}
      }
      apply(view)
      if (view.end) view.settle?.()
    },
    finish: () => running.then(() => undefined),
  }
}
