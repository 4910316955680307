// A two-panel SVG line chart (time and peak memory against input size, log-scaled x axis),
// written by hand so the benchmark needs no chart library.

const W = 760;
const H = 300;
const PAD = { left: 70, right: 20, top: 34, bottom: 46 };

function escape(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** One panel: `series` = [{ label, color, points: [{ x, y }] }], x on a log scale. */
function panel({ title, yLabel, series, offsetY, xLabel }) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const xMin = Math.log10(Math.min(...xs));
  const xMax = Math.max(xMin + 1, Math.log10(Math.max(...xs)));
  const yMax = niceMax(Math.max(...ys));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const px = (x) => PAD.left + ((Math.log10(x) - xMin) / (xMax - xMin)) * plotW;
  const py = (y) => offsetY + PAD.top + plotH - (y / yMax) * plotH;
  const out = [];
  out.push(`<text x="${W / 2}" y="${offsetY + 20}" text-anchor="middle" font-size="14" font-weight="bold">${escape(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const y = (yMax * i) / 4;
    out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    out.push(`<text x="${PAD.left - 6}" y="${py(y) + 4}" text-anchor="end" font-size="11">${escape(+y.toPrecision(3))}</text>`);
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${py(0)}" y2="${py(0) + 4}" stroke="#333"/>`);
    out.push(`<text x="${px(x)}" y="${py(0) + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${py(0)}" y2="${py(0)}" stroke="#333"/>`);
  out.push(`<line x1="${PAD.left}" x2="${PAD.left}" y1="${py(0)}" y2="${py(yMax)}" stroke="#333"/>`);
  out.push(`<text x="${W / 2}" y="${py(0) + 34}" text-anchor="middle" font-size="12">${escape(xLabel)}</text>`);
  out.push(`<text x="16" y="${offsetY + PAD.top + plotH / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 16 ${offsetY + PAD.top + plotH / 2})">${escape(yLabel)}</text>`);
  series.forEach((s, i) => {
    const pts = s.points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`);
    for (const p of s.points) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"><title>${escape(`${s.label}: ${p.x} -> ${+p.y.toPrecision(4)}`)}</title></circle>`);
    const lx = PAD.left + 10 + i * 230;
    out.push(`<rect x="${lx}" y="${offsetY + PAD.top + 4}" width="12" height="3" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 16}" y="${offsetY + PAD.top + 9}" font-size="11">${escape(s.label)}</text>`);
  });
  return out.join("\n");
}

/** The scaling chart: wall/CPU time and peak memory of the CLI against files linted. */
export function scalingChart(scaling, subtitle) {
  const files = (key, f) => scaling.map((s) => ({ x: s.files, y: f(s[key]) }));
  const time = panel({
    title: `landlock-lint time vs input size (${subtitle})`,
    yLabel: "seconds (median)",
    xLabel: "files (log scale)",
    offsetY: 0,
    series: [
      { label: "lint, wall", color: "#1f77b4", points: files("wallMs", (v) => v.median / 1000) },
      { label: "lint, CPU", color: "#ff7f0e", points: files("cpuMs", (v) => v.median / 1000) },
      { label: "bare parse, CPU (anchor)", color: "#2ca02c", points: files("parseCpuMs", (v) => v.median / 1000) },
    ],
  });
  const memory = panel({
    title: "peak resident memory vs input size",
    yLabel: "MB (median)",
    xLabel: "files (log scale)",
    offsetY: H,
    series: [
      { label: "lint", color: "#1f77b4", points: files("maxRssKb", (v) => v.median / 1024) },
      { label: "bare parse (anchor)", color: "#2ca02c", points: files("parseMaxRssKb", (v) => v.median / 1024) },
    ],
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${2 * H}" viewBox="0 0 ${W} ${2 * H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${time}\n${memory}\n</svg>\n`;
}
