import type { ScenarioSummary } from './http-rounds.js';
import type { MachineInfo } from './machine.js';
import type { AppKind } from './scenarios.js';

const COLORS: Readonly<Record<AppKind, string>> = {
  none: '#9e9e9e',
  ours: '#1f77b4',
  jose: '#2ca02c',
  passport: '#ff7f0e',
  auth0: '#9467bd',
  minimal: '#bcbd22',
};
const LABEL_WIDTH = 440;
const BAR_WIDTH = 440;
const ROW = 22;
const TOP = 56;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A horizontal bar chart of req/s relative to the no-auth app, one bar per scenario, with the target lines. */
export function ratioChart(http: readonly ScenarioSummary[], machine: MachineInfo, when: string): string {
  const largest = Math.max(1.1, ...http.map((s) => (Number.isFinite(s.ratioToNoAuth) ? s.ratioToNoAuth : 0)));
  const scale = BAR_WIDTH / (Math.ceil(largest * 10) / 10);
  const x = (ratio: number): number => LABEL_WIDTH + ratio * scale;
  const height = TOP + http.length * ROW + 30;
  const width = LABEL_WIDTH + BAR_WIDTH + 80;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">GET /me req/s relative to Nest + Express with no auth (paired windows, median of rounds)</text>`,
    `<text x="10" y="38" fill="#555">${escapeXml(`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node} — ${when}`)}</text>`,
  ];
  http.forEach((s, row) => {
    const y = TOP + row * ROW;
    const valid = s.valid && Number.isFinite(s.ratioToNoAuth);
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 15}" text-anchor="end">${escapeXml(s.scenario.label)}</text>`);
    if (valid) {
      parts.push(`<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${(s.ratioToNoAuth * scale).toFixed(1)}" height="${ROW - 6}" fill="${COLORS[s.scenario.app]}"/>`);
      parts.push(`<text x="${(x(s.ratioToNoAuth) + 4).toFixed(1)}" y="${y + 15}">${s.ratioToNoAuth.toFixed(2)}×</text>`);
    } else {
      parts.push(`<text x="${LABEL_WIDTH + 4}" y="${y + 15}" fill="#c62828">invalid (errors or non-2xx)</text>`);
    }
  });
  const bottom = TOP + http.length * ROW;
  for (const [ratio, label, dash] of [[1, '1.0', ''], [0.95, '0.95', '4 3'], [0.63, '0.63', '4 3']] as const) {
    parts.push(`<line x1="${x(ratio).toFixed(1)}" y1="${TOP - 4}" x2="${x(ratio).toFixed(1)}" y2="${bottom}" stroke="#333" stroke-width="1"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(`<text x="${x(ratio).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#333">${label}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
