// Static markup of the playground; src/playground/main.js brings it to life.
export function playgroundBody() {
  return `<h1 class="visually-hidden">landlock-lint playground</h1>
<div class="playground">
<section class="editor-pane" aria-labelledby="editor-heading">
  <h2 id="editor-heading">Code</h2>
  <div class="toolbar">
    <label>Example <select id="example"><option value="">(choose an example)</option></select></label>
    <label>Language <select id="language">
      <option value="c">C</option><option value="cpp">C++</option><option value="go">Go</option>
      <option value="rust">Rust</option><option value="js">JavaScript</option><option value="ts">TypeScript</option>
    </select></label>
  </div>
  <fieldset class="settings"><legend>Settings</legend>
    <label>Target ABI <input id="target-abi" type="number" min="1" max="11" value="6"></label>
    <span role="group" aria-label="Errata assumed on every kernel">Errata
      <label><input type="checkbox" class="erratum" value="1"> 1</label>
      <label><input type="checkbox" class="erratum" value="2"> 2</label>
      <label><input type="checkbox" class="erratum" value="3"> 3</label>
    </span>
    <label><input id="assume-mt" type="checkbox"> Assume multithreaded</label>
  </fieldset>
  <div id="editor" class="editor" aria-label="Source code"></div>
  <p id="status" class="status" role="status" aria-live="polite">Loading the analyzer…</p>
</section>
<section class="results-pane" aria-labelledby="findings-heading">
  <h2 id="findings-heading">Findings</h2>
  <ol id="findings" class="findings"></ol>
  <div id="explanation" class="explanation" hidden>
    <h3 id="explanation-title">Explanation</h3>
    <p id="explanation-message"></p>
    <ul id="explanation-summary"></ul>
    <details><summary>Lanes as text</summary><pre id="explanation-text"></pre></details>
    <p><button id="simulate" type="button">Simulate</button> <a id="rule-link" href="#">Rule page</a></p>
  </div>
  <section id="timeline-section" hidden aria-labelledby="timeline-heading">
    <h3 id="timeline-heading">Timeline</h3>
    <iframe id="timeline" title="Simulated timeline of the selected finding" sandbox="allow-same-origin"></iframe>
  </section>
</section>
</div>
<section class="explorer" aria-labelledby="explorer-heading">
  <h2 id="explorer-heading">TSYNC explorer</h2>
  <p>Checks every interleaving of the kernel's TSYNC protocol (or a naive variant of it) for the options below; a naive variant's flaw comes back as a counterexample timeline.</p>
  <form id="explorer-form" class="explorer-form">
    <label>Variant <select id="variant"></select></label>
    <label>Threads <input id="ex-threads" type="number" min="1" max="5" value="3"></label>
    <label>Interrupts <input id="ex-interrupts" type="number" min="0" max="3" value="0"></label>
    <label><input id="ex-spawn" type="checkbox"> Spawn</label>
    <label><input id="ex-exit" type="checkbox"> Exit</label>
    <label><input id="ex-enomem" type="checkbox"> ENOMEM</label>
    <label><input id="ex-concurrent" type="checkbox"> Concurrent TSYNC</label>
    <label>State budget <input id="ex-max-states" type="number" min="1000" step="1000" value="300000"></label>
    <button type="submit">Explore</button>
  </form>
  <p id="explorer-variant-info" class="hint"></p>
  <p id="explorer-result" role="status" aria-live="polite"></p>
  <iframe id="explorer-timeline" title="Counterexample timeline" sandbox="allow-same-origin" hidden></iframe>
</section>`;
}
