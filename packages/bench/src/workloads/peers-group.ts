import type { Database } from '@berth/core';
import type { Contender, FigureSpec } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { FigureRecord } from '../harness/types.js';
import { openPeer, PEER_NAMES } from '../peers/open-peer.js';
import type { Peer } from '../peers/peer.js';

/** Opens every peer on a pool of `max`; one that cannot be opened is reported, not fatal. */
export async function openPeers(max: number): Promise<{ peers: Peer[]; failed: Map<string, string> }> {
  const peers: Peer[] = [];
  const failed = new Map<string, string>();
  for (const name of PEER_NAMES) {
    try {
      peers.push(await openPeer(name, max));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      failed.set(name, message);
      log(`  peer ${name} unavailable: ${message}`);
    }
  }
  return { peers, failed };
}

/** berth against each peer (the goal: ahead of every one), and each peer against the raw driver. */
export function peerFigures(id: string, peers: readonly Peer[], raw: string): FigureSpec[] {
  return peers.flatMap((p): FigureSpec[] => [
    { id, candidate: 'berth', baseline: p.name, metric: 'throughput', target: { op: '>=', value: 1 } },
    { id, candidate: p.name, baseline: raw, metric: 'throughput' },
  ]);
}

/** Records for peers that could not be opened: their figures fail with the reason. */
export function unavailable(
  id: string,
  backend: string,
  workload: string,
  failed: Map<string, string>,
): FigureRecord[] {
  return [...failed].map(([name, reason]) => ({
    id,
    backend,
    workload,
    candidate: 'berth',
    baseline: name,
    metric: 'throughput',
    ratio: Number.NaN,
    spread: Number.NaN,
    rounds: [],
    target: '>= 1.00',
    pass: null,
    // Not measured: reported with its target, judged neither way.
    verdict: 'info',
    noisy: false,
    band: Number.NaN,
    selfRatio: Number.NaN,
    candidateValue: Number.NaN,
    baselineValue: Number.NaN,
    unit: 'ops/s',
    note: `${name} not run: ${reason}`,
  }));
}

export type { Contender, Database };
