// A two-panel SVG line chart (time and peak memory against input size, both axes
// logarithmic: sizes and times span four decades), written by hand so the benchmark needs
// no chart library.

const W = 780;
const H = 350;
const PAD = { left: 74, right: 24, top: 64, bottom: 50 };

function escape(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Powers of ten (and 2x, 5x between them when the range is short) covering [lo, hi]. */
function logTicks(lo, hi) {
  const ticks = [];
  const decades = Math.log10(hi) - Math.log10(lo);
  const steps = decades <= 2 ? [1, 2, 5] : [1];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

function label(v) {
  if (v >= 1000) return `${+(v / 1000).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

/** One panel: `series` = [{ label, color, dash?, points: [{ x, y }] }], both axes on a log scale. */
function panel({ title, yLabel, series, offsetY, xLabel }) {
  const drawn = series.filter((s) => s.points.length > 0);
  const xs = drawn.flatMap((s) => s.points.map((p) => p.x));
  const ys = drawn.flatMap((s) => s.points.map((p) => p.y)).filter((y) => y > 0);
  const xLo = 10 ** Math.floor(Math.log10(Math.min(...xs)));
  const xHi = 10 ** Math.ceil(Math.log10(Math.max(...xs)));
  const yLo = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yHi = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const span = (lo, hi) => Math.max(Math.log10(hi) - Math.log10(lo), 1e-9);
  const px = (x) => PAD.left + ((Math.log10(x) - Math.log10(xLo)) / span(xLo, xHi)) * plotW;
  const py = (y) => offsetY + PAD.top + plotH - ((Math.log10(Math.max(y, yLo)) - Math.log10(yLo)) / span(yLo, yHi)) * plotH;
  const out = [];
  out.push(`<text x="${W / 2}" y="${offsetY + 20}" text-anchor="middle" font-size="14" font-weight="bold">${escape(title)}</text>`);
  for (const y of logTicks(yLo, yHi)) {
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${(py(y) + 4).toFixed(1)}" text-anchor="end" font-size="11">${label(y)}</text>`);
  }
  for (const x of logTicks(xLo, xHi)) {
    out.push(`<line x1="${px(x).toFixed(1)}" x2="${px(x).toFixed(1)}" y1="${py(yLo)}" y2="${offsetY + PAD.top}" stroke="#eee"/>`);
    out.push(`<text x="${px(x).toFixed(1)}" y="${py(yLo) + 16}" text-anchor="middle" font-size="11">${label(x)}</text>`);
  }
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(yLo)}" y2="${py(yLo)}" stroke="#333"/>`);
  out.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${py(yLo)}" y2="${offsetY + PAD.top}" stroke="#333"/>`);
  out.push(`<text x="${W / 2}" y="${py(yLo) + 36}" text-anchor="middle" font-size="12">${escape(xLabel)}</text>`);
  const midY = offsetY + PAD.top + plotH / 2;
  out.push(`<text x="18" y="${midY}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${midY})">${escape(yLabel)}</text>`);
  drawn.forEach((s, i) => {
    const pts = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${pts}"/>`);
    for (const p of s.points) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${escape(`${s.label}: ${p.x} files -> ${+p.y.toPrecision(4)}`)}</title></circle>`);
    // Legend in two rows above the plot.
    const lx = PAD.left + (i % 2) * 340;
    const ly = offsetY + 38 + Math.floor(i / 2) * 14;
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`);
    out.push(`<text x="${lx + 24}" y="${ly}" font-size="11">${escape(s.label)}</text>`);
  });
  return out.join("\n");
}

/** The scaling chart: wall/CPU time and peak memory of the CLI and of the bare parse against files linted. */
export function scalingChart(scaling, subtitle) {
  const pts = (get) => scaling.filter((s) => get(s) !== undefined).map((s) => ({ x: s.files, y: get(s) }));
  const time = panel({
    title: `landlock-lint time vs input size (${subtitle})`,
    yLabel: "seconds (median, log scale)",
    xLabel: "files linted (log scale; about 200 lines each)",
    offsetY: 0,
    series: [
      { label: "lint, 1 thread: wall", color: "#1f77b4", points: pts((s) => s.wallMs.median / 1000) },
      { label: "lint, 1 thread: CPU", color: "#ff7f0e", points: pts((s) => s.cpuMs.median / 1000) },
      { label: "lint, --concurrency 2: wall", color: "#9467bd", dash: "6 3", points: pts((s) => (s.parallel ? s.parallel.wallMs / 1000 : undefined)) },
      { label: "bare parse (anchor): CPU", color: "#2ca02c", points: pts((s) => s.parseCpuMs.median / 1000) },
    ],
  });
  const memory = panel({
    title: "peak resident memory vs input size",
    yLabel: "MB (median, log scale)",
    xLabel: "files linted (log scale)",
    offsetY: H,
    series: [
      { label: "lint, 1 thread", color: "#1f77b4", points: pts((s) => s.maxRssKb.median / 1024) },
      { label: "lint, --concurrency 2", color: "#9467bd", dash: "6 3", points: pts((s) => (s.parallel ? s.parallel.maxRssKb / 1024 : undefined)) },
      { label: "bare parse (anchor)", color: "#2ca02c", points: pts((s) => s.parseMaxRssKb.median / 1024) },
    ],
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H}" viewBox="0 0 ${W} ${2 * H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${time}\n${memory}\n</svg>\n`;
}
