import type { Database } from '@berth/core';
import type { Contender, FigureSpec } from '../harness/group.js';
import { log } from '../harness/log.js';
import type { FigureRecord } from '../harness/types.js';
import { openMysqlPeer, openPeer, PEER_NAMES, MYSQL_PEER_NAMES, type PeerName } from '../peers/open-peer.js';
import type { Peer, SetBasedPeer } from '../peers/peer.js';

/** Opens every peer on a pool of `max`; one that cannot be opened is reported, not fatal. */
export function openPeers(max: number): Promise<{ peers: Peer[]; failed: Map<string, string> }> {
  return openEach(PEER_NAMES, (name) => openPeer(name, max));
}

/** Opens every B9 peer on MySQL/MariaDB on a pool of `max`, as `openPeers`. */
export function openMysqlPeers(max: number): Promise<{ peers: SetBasedPeer[]; failed: Map<string, string> }> {
  return openEach(MYSQL_PEER_NAMES, (name) => openMysqlPeer(name, max));
}

async function openEach<P>(
  names: readonly PeerName[],
  open: (name: PeerName) => Promise<P>,
): Promise<{ peers: P[]; failed: Map<string, string> }> {
  const peers: P[] = [];
  const failed = new Map<string, string>();
  for (const name of names) {
    try {
      peers.push(await open(name));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      failed.set(name, message);
      log(`  peer ${name} unavailable: ${message}`);
    }
  }
  return { peers, failed };
}

/** berth against each peer (the goal: ahead of every one), and each peer against the raw driver. */
export function peerFigures(
  id: string,
  peers: readonly { readonly name: string }[],
  raw: string,
): FigureSpec[] {
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
