// The playground page: editor, settings, findings as you type, explanations, the
// simulated timeline of a finding, the TSYNC explorer; all state in the URL hash.
import { analyzeText, explainFinding } from "@landlock-lint/analyzer";
import { loadGrammars } from "@landlock-lint/analyzer/treesitter";
import { exploreTsync, listVariants, renderHtml } from "@landlock-lint/simulator";
import { createEditor } from "./editor.js";
import { decodeState, encodeState } from "./url-state.js";

const FILE_NAMES = { c: "main.c", cpp: "main.cpp", go: "main.go", rust: "main.rs", js: "main.js", ts: "main.ts" };
const LINT_DELAY_MS = 120;
const $ = (id) => document.getElementById(id);

const STARTER = `#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#include <unistd.h>

void *worker(void *arg);

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);

    struct landlock_ruleset_attr attr = { .handled_access_fs = LANDLOCK_ACCESS_FS_READ_FILE };
    int fd = syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (fd < 0)
        return 1;
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (syscall(SYS_landlock_restrict_self, fd, 0))
        return 1;
    return 0;
}
`;

let state = location.hash.length > 1 ? decodeState(location.hash) : { ...decodeState(""), code: STARTER };
let findings = [];
let selected = -1;
let estreeLoaded = false;
let lintTimer;

function settings() {
  return { targetAbi: state.targetAbi, errata: state.errata, assumeMultithreaded: state.assumeMultithreaded };
}

/** The tree-sitter grammar each playground language parses with (JS/TS use the estree bundle). */
const GRAMMAR_OF = { c: "c", cpp: "cpp", go: "go", rust: "rust" };
const grammarsLoaded = new Set();

/** Fetches the parser of `language` the first time it is shown: only the language on screen costs a download. */
async function ensureParser(language) {
  if ((language === "js" || language === "ts") && !estreeLoaded) {
    setStatus("Loading the JavaScript/TypeScript parser…");
    await import(new URL("./estree.js", import.meta.url).href);
    estreeLoaded = true;
  }
  const grammar = GRAMMAR_OF[language];
  if (grammar && !grammarsLoaded.has(grammar)) {
    setStatus(`Loading the ${language} parser…`);
    await loadGrammars([grammar]);
    grammarsLoaded.add(grammar);
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

function saveState() {
  const hash = `#${encodeState(state)}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
}

async function lint() {
  await ensureParser(state.language);
  const started = performance.now();
  const report = analyzeText(state.code, `/playground/${FILE_NAMES[state.language]}`, settings());
  const ms = performance.now() - started;
  findings = report.findings;
  editor.showFindings(findings);
  renderFindings();
  const problems = (report.errors ?? []).map((e) => e.message);
  setStatus(`${findings.length} finding${findings.length === 1 ? "" : "s"} in ${ms.toFixed(0)} ms${problems.length ? ` · ${problems.join("; ")}` : ""}`);
  // Read by the browser test and bench/site.
  document.body.dataset.lastLintMs = ms.toFixed(1);
  if (findings.length && !document.body.dataset.firstFindingMs) document.body.dataset.firstFindingMs = performance.now().toFixed(0);
  document.body.dataset.lintCount = String((Number(document.body.dataset.lintCount) || 0) + 1);
}

function scheduleLint() {
  clearTimeout(lintTimer);
  lintTimer = setTimeout(() => lint().catch(showError), LINT_DELAY_MS);
}

function showError(error) {
  setStatus(`Error: ${error instanceof Error ? error.message : String(error)}`);
}

function renderFindings() {
  const list = $("findings");
  list.replaceChildren();
  if (findings.length === 0) {
    const li = document.createElement("li");
    li.className = "none";
    li.textContent = "No findings.";
    list.append(li);
  }
  findings.forEach((finding, index) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = `finding ${finding.severity}`;
    button.setAttribute("aria-pressed", String(index === selected));
    button.dataset.rule = finding.ruleId;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = `${finding.range.start.line}:${finding.range.start.column + 1} ${finding.severity}`;
    const rule = document.createElement("code");
    rule.textContent = finding.ruleId;
    const message = document.createElement("span");
    message.className = "message";
    message.textContent = finding.message;
    button.append(where, " ", rule, message);
    button.addEventListener("click", () => selectFinding(index));
    li.append(button);
    list.append(li);
  });
  if (selected >= findings.length) selected = -1;
  if (selected < 0) $("explanation").hidden = true;
}

function selectFinding(index) {
  selected = index;
  const finding = findings[index];
  renderFindings();
  const explanation = explainFinding(finding, { abi: Math.max(state.targetAbi, 1), errata: state.errata });
  $("explanation").hidden = false;
  $("explanation-title").textContent = `Explanation: ${finding.ruleId}`;
  $("explanation-message").textContent = explanation.error ? `${finding.message} (${explanation.error})` : finding.message;
  $("explanation-summary").replaceChildren(
    ...explanation.summary.map((sentence) => {
      const li = document.createElement("li");
      li.textContent = sentence;
      return li;
    }),
  );
  $("explanation-text").textContent = explanation.text;
  $("simulate").disabled = !explanation.trace;
  $("simulate").onclick = () => showTimeline(explanation.trace);
  $("rule-link").href = `rules/${finding.ruleId.replace("landlock/", "")}.html`;
  $("timeline-section").hidden = true;
  editor.select(finding.range.start.offset);
}

function showTimeline(trace) {
  const frame = $("timeline");
  frame.srcdoc = renderHtml(trace);
  $("timeline-section").hidden = false;
  frame.addEventListener("load", () => fitFrame(frame), { once: true });
  frame.scrollIntoView({ block: "nearest" });
}

function fitFrame(frame) {
  const doc = frame.contentDocument;
  if (doc) frame.style.height = `${Math.min(doc.documentElement.scrollHeight + 8, 1600)}px`;
}

async function loadExamples() {
  const response = await fetch(new URL("./examples.json", import.meta.url));
  const examples = await response.json();
  const select = $("example");
  for (const example of examples) {
    const option = document.createElement("option");
    option.value = example.id;
    option.textContent = example.title;
    select.append(option);
  }
  select.addEventListener("change", () => {
    const example = examples.find((e) => e.id === select.value);
    if (!example) return;
    state.language = example.language;
    $("language").value = example.language;
    editor.setLanguage(example.language);
    editor.setText(example.code);
  });
}

function bindSettings() {
  $("language").value = state.language;
  $("target-abi").value = String(state.targetAbi);
  $("assume-mt").checked = state.assumeMultithreaded;
  for (const box of document.querySelectorAll(".erratum")) box.checked = state.errata.includes(Number(box.value));
  $("language").addEventListener("change", () => {
    state.language = $("language").value;
    editor.setLanguage(state.language);
    saveState();
    scheduleLint();
  });
  $("target-abi").addEventListener("change", () => {
    const abi = Number($("target-abi").value);
    if (Number.isInteger(abi) && abi >= 1 && abi <= 11) state.targetAbi = abi;
    saveState();
    scheduleLint();
  });
  $("assume-mt").addEventListener("change", () => {
    state.assumeMultithreaded = $("assume-mt").checked;
    saveState();
    scheduleLint();
  });
  for (const box of document.querySelectorAll(".erratum"))
    box.addEventListener("change", () => {
      state.errata = [...document.querySelectorAll(".erratum")].filter((b) => b.checked).map((b) => Number(b.value));
      saveState();
      scheduleLint();
    });
  window.addEventListener("hashchange", () => {
    const next = decodeState(location.hash);
    if (next.code === state.code && next.language === state.language) return;
    state = next;
    bindValues();
    editor.setLanguage(state.language);
    editor.setText(state.code);
  });
}

function bindValues() {
  $("language").value = state.language;
  $("target-abi").value = String(state.targetAbi);
  $("assume-mt").checked = state.assumeMultithreaded;
}

function bindExplorer() {
  const variants = listVariants();
  const select = $("variant");
  for (const v of variants) {
    const option = document.createElement("option");
    option.value = v.name;
    option.textContent = `${v.name} (${v.kind})`;
    select.append(option);
  }
  const describe = () => {
    const v = variants.find((x) => x.name === select.value);
    if (!v) return;
    const exposure = Object.entries(v.exposedBy).map(([k, value]) => `${k}=${value}`).join(", ");
    $("explorer-variant-info").textContent = `${v.description.replace(/\.?$/, ".")}${exposure ? ` Shows with: ${exposure}.` : ""}`;
  };
  const applyExposure = () => {
    const v = variants.find((x) => x.name === select.value);
    if (!v) return;
    const e = v.exposedBy;
    if (typeof e.threads === "number") $("ex-threads").value = String(e.threads);
    if (typeof e.interrupts === "number") $("ex-interrupts").value = String(e.interrupts);
    $("ex-spawn").checked = Boolean(e.spawn);
    $("ex-exit").checked = Boolean(e.exit);
    $("ex-enomem").checked = Boolean(e.enomem);
    $("ex-concurrent").checked = Boolean(e.concurrent);
  };
  select.addEventListener("change", () => {
    describe();
    applyExposure();
  });
  describe();
  $("explorer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    $("explorer-result").textContent = "Exploring…";
    // Let the status paint before the (synchronous) exploration.
    setTimeout(runExplorer, 20);
  });
}

function runExplorer() {
  const frame = $("explorer-timeline");
  try {
    const result = exploreTsync({
      variant: $("variant").value,
      threads: Number($("ex-threads").value),
      interrupts: Number($("ex-interrupts").value),
      spawn: $("ex-spawn").checked,
      exit: $("ex-exit").checked,
      enomem: $("ex-enomem").checked,
      concurrent: $("ex-concurrent").checked,
      maxStates: Number($("ex-max-states").value),
      timeoutMs: 15_000,
    });
    const head = `${result.states.toLocaleString("en")} states explored, ${result.transitions.toLocaleString("en")} transitions, ${result.elapsedMs.toFixed(0)} ms`;
    if (result.status === "violation" && result.violation) {
      $("explorer-result").textContent = `${head}. Violation of ${result.violation.invariant}: ${result.violation.message} (${result.violation.steps} steps${result.violation.minimal ? ", minimal" : ""}).`;
      frame.srcdoc = renderHtml(result.violation.document);
      frame.hidden = false;
      frame.addEventListener("load", () => fitFrame(frame), { once: true });
    } else {
      frame.hidden = true;
      $("explorer-result").textContent =
        result.status === "budget" ? `${head}. Stopped by the ${result.budget?.reason} budget before the whole space was seen: no violation so far.` : `${head}. Every interleaving keeps every invariant.`;
    }
  } catch (error) {
    frame.hidden = true;
    $("explorer-result").textContent = `Error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const editor = createEditor($("editor"), {
  text: state.code,
  language: state.language,
  onChange(text) {
    state.code = text;
    saveState();
    scheduleLint();
  },
});
bindSettings();
bindExplorer();
saveState();
loadExamples().catch(showError);
lint()
  .then(() => {
    document.body.dataset.ready = "true";
  })
  .catch(showError);
