// The CodeMirror 6 editor: language modes switchable at run time and the analyzer's
// findings as lint diagnostics (underlines and gutter markers).
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { cpp } from "@codemirror/lang-cpp";
import { go } from "@codemirror/lang-go";
import { javascript } from "@codemirror/lang-javascript";
import { rust } from "@codemirror/lang-rust";
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Compartment, EditorState } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";

const MODES = {
  c: () => cpp(),
  cpp: () => cpp(),
  go: () => go(),
  rust: () => rust(),
  js: () => javascript(),
  ts: () => javascript({ typescript: true }),
};

export function createEditor(parent, { text, language, onChange }) {
  const mode = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(defaultHighlightStyle),
        lintGutter(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        mode.of(MODES[language]()),
        EditorView.contentAttributes.of({ "aria-label": "Source code", "aria-describedby": "status" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
    },
    setLanguage(language) {
      view.dispatch({ effects: mode.reconfigure(MODES[language]()) });
    },
    /** Underlines `findings` (offsets are UTF-16 code units, as in CodeMirror). */
    showFindings(findings) {
      const length = view.state.doc.length;
      const diagnostics = findings.map((f) => {
        const from = Math.min(f.range.start.offset, length);
        const to = Math.max(from, Math.min(f.range.end.offset, length));
        return { from, to, severity: f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "info", source: f.ruleId, message: f.message };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    select(offset) {
      view.dispatch({ selection: { anchor: offset }, scrollIntoView: true });
      view.focus();
    },
  };
}
