/**
 * Consolidation: the services' requests bin-packed onto target nodes, first-fit decreasing over
 * CPU and memory together. Items are taken largest first by their dominant share (the larger of
 * their CPU and memory fraction of a node), each placed on the first node with room for both, a new
 * node opened when none has. The substrate's own reserve is taken off each node's capacity first.
 */
import type {NodeSize, PackedNode} from '../types/report.js'
import {round} from './figure.js'

export interface PackItem {
  host: string
  service: string
  cpu: number
  memoryGiB: number
}

export function allocatable(node: NodeSize): {cpu: number; memoryGiB: number} {
  return {cpu: Math.max(0, node.vcpu - node.reservedVcpu), memoryGiB: Math.max(0, node.memoryGiB - node.reservedMemoryGiB)}
}

/** The larger of an item's CPU and memory fractions of a node's allocatable capacity. */
export function dominantShare(item: {cpu: number; memoryGiB: number}, node: NodeSize): number {
  const room = allocatable(node)
  return Math.max(room.cpu > 0 ? item.cpu / room.cpu : Infinity, room.memoryGiB > 0 ? item.memoryGiB / room.memoryGiB : Infinity)
}

export function pack(items: PackItem[], node: NodeSize): PackedNode[] {
  const room = allocatable(node)
  const order = [...items].sort((a, b) => dominantShare(b, node) - dominantShare(a, node) || a.host.localeCompare(b.host) || a.service.localeCompare(b.service))
  const nodes: PackedNode[] = []
  // A tiny tolerance, so requests that fill a node exactly are not refused over a rounding error.
  const fits = (n: PackedNode, item: PackItem) => n.units === 1 && n.cpu + item.cpu <= room.cpu + 1e-9 && n.memoryGiB + item.memoryGiB <= room.memoryGiB + 1e-9
  for (const item of order) {
    const share = dominantShare(item, node)
    // Larger than a node: it gets nodes of its own, as many as its dominant share needs.
    if (share > 1) {
      nodes.push(placed(nodes.length, Math.ceil(share), item))
      continue
    }
    const target = nodes.find((n) => fits(n, item))
    if (target) {
      target.items.push({...item})
      target.cpu = round(target.cpu + item.cpu, 3)
      target.memoryGiB = round(target.memoryGiB + item.memoryGiB, 3)
    } else {
      nodes.push(placed(nodes.length, 1, item))
    }
  }
  return nodes
}

/** Whole nodes the packing takes (an oversized service counts its units). */
export function nodeCount(nodes: PackedNode[]): number {
  return nodes.reduce((n, node) => n + node.units, 0)
}

function placed(index: number, units: number, item: PackItem): PackedNode {
  return {index: index + 1, units, items: [{...item}], cpu: item.cpu, memoryGiB: item.memoryGiB}
}
