import type { ScalingPoint } from '../workloads/common.js';

const PANEL_W = 420;
const PANEL_H = 280;
const MARGIN = { left: 64, right: 16, top: 36, bottom: 44 };
const COLORS: Record<string, string> = { berth: '#d9480f', raw: '#1c7ed6' };

function color(contender: string): string {
  return contender === 'berth' ? COLORS.berth! : COLORS.raw!;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

/**
 * Throughput against pool size (log2 axis), one panel per backend and query, berth's curve against the raw
 * driver's; the dashed line on latency-bound panels is ideal linear scaling from pool 1 (N × throughput(1)).
 */
export function renderScalingSvg(points: readonly ScalingPoint[]): string {
  const panels = [...new Set(points.map((p) => `${p.backend}|${p.query}`))];
  const cols = 2;
  const rows = Math.max(1, Math.ceil(panels.length / cols));
  const width = cols * PANEL_W;
  const height = rows * PANEL_H + 30;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
  );
  out.push(`<rect width="100%" height="100%" fill="#fff"/>`);
  out.push(
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="600">B6 pool scaling: throughput (ops/s) vs pool size, 64 callers</text>`,
  );
  if (panels.length === 0) out.push(`<text x="20" y="60">no B6 data in this run</text>`);
  panels.forEach((key, index) => {
    const [backend, query] = key.split('|') as [string, string];
    const data = points.filter((p) => p.backend === backend && p.query === query);
    const ox = (index % cols) * PANEL_W;
    const oy = 30 + Math.floor(index / cols) * PANEL_H;
    const plotW = PANEL_W - MARGIN.left - MARGIN.right;
    const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
    const sizes = [...new Set(data.map((p) => p.poolSize))].sort((a, b) => a - b);
    const minL = Math.log2(sizes[0] ?? 1);
    const maxL = Math.log2(sizes[sizes.length - 1] ?? 2);
    const x = (n: number) => ox + MARGIN.left + ((Math.log2(n) - minL) / Math.max(1e-9, maxL - minL)) * plotW;
    const contenders = [...new Set(data.map((p) => p.contender))];
    const one = data.filter((p) => p.poolSize === sizes[0]);
    const ideal = query === 'latency-bound' ? Math.max(...one.map((p) => p.throughput)) : 0;
    const yMax = niceMax(
      Math.max(
        ...data.map((p) => p.throughput),
        query === 'latency-bound' ? Math.min(ideal * 16, ideal * (sizes.at(-1) ?? 1)) : 0,
      ),
    );
    const y = (v: number) => oy + MARGIN.top + plotH - (Math.min(v, yMax) / yMax) * plotH;
    out.push(
      `<text x="${ox + MARGIN.left + plotW / 2}" y="${oy + 20}" text-anchor="middle" font-size="12" font-weight="600">${escapeXml(`${backend}, ${query}`)}</text>`,
    );
    // Axes and grid.
    for (let k = 0; k <= 4; k++) {
      const v = (yMax * k) / 4;
      out.push(
        `<line x1="${ox + MARGIN.left}" x2="${ox + MARGIN.left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#e9ecef"/>`,
        `<text x="${ox + MARGIN.left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#495057">${Math.round(v)}</text>`,
      );
    }
    for (const n of sizes) {
      out.push(
        `<line x1="${x(n)}" x2="${x(n)}" y1="${oy + MARGIN.top}" y2="${oy + MARGIN.top + plotH}" stroke="#f1f3f5"/>`,
        `<text x="${x(n)}" y="${oy + MARGIN.top + plotH + 16}" text-anchor="middle" fill="#495057">${n}</text>`,
      );
    }
    out.push(
      `<text x="${ox + MARGIN.left + plotW / 2}" y="${oy + PANEL_H - 8}" text-anchor="middle" fill="#495057">pool size</text>`,
      `<rect x="${ox + MARGIN.left}" y="${oy + MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#adb5bd"/>`,
    );
    if (ideal > 0) {
      const pts = sizes.map((n) => `${x(n).toFixed(1)},${y(ideal * n).toFixed(1)}`).join(' ');
      out.push(`<polyline points="${pts}" fill="none" stroke="#868e96" stroke-dasharray="4 3"/>`);
    }
    contenders.forEach((c, ci) => {
      const series = data.filter((p) => p.contender === c).sort((a, b) => a.poolSize - b.poolSize);
      const pts = series.map((p) => `${x(p.poolSize).toFixed(1)},${y(p.throughput).toFixed(1)}`).join(' ');
      const dash = c === 'berth' ? '' : ' stroke-dasharray="6 2"';
      out.push(`<polyline points="${pts}" fill="none" stroke="${color(c)}" stroke-width="2"${dash}/>`);
      for (const p of series) {
        out.push(
          `<circle cx="${x(p.poolSize).toFixed(1)}" cy="${y(p.throughput).toFixed(1)}" r="3" fill="${color(c)}"><title>${escapeXml(`${c}, pool ${p.poolSize}: ${Math.round(p.throughput)} ops/s, median ${p.p50.toFixed(2)} ms`)}</title></circle>`,
        );
      }
      const ly = oy + MARGIN.top + 12 + ci * 14;
      out.push(
        `<line x1="${ox + MARGIN.left + 8}" x2="${ox + MARGIN.left + 28}" y1="${ly}" y2="${ly}" stroke="${color(c)}" stroke-width="2"${dash}/>`,
        `<text x="${ox + MARGIN.left + 32}" y="${ly + 4}">${escapeXml(c)}</text>`,
      );
    });
    if (ideal > 0) {
      const ly = oy + MARGIN.top + 12 + contenders.length * 14;
      out.push(
        `<line x1="${ox + MARGIN.left + 8}" x2="${ox + MARGIN.left + 28}" y1="${ly}" y2="${ly}" stroke="#868e96" stroke-dasharray="4 3"/>`,
        `<text x="${ox + MARGIN.left + 32}" y="${ly + 4}">N × throughput(1)</text>`,
      );
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
