// The languages landlock/c, landlock/cpp, landlock/go and landlock/rust: the AST ESLint
// walks (shape, ranges, locations in UTF-16 columns, ERROR tolerance), bad input, and the
// directive comments of both families in each language, checked through ESLint's Linter.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Linter, type ESLint, type Rule } from "eslint";
import plugin, { languages, TreeSitterSourceCode, type SyntaxNode } from "../src/index.js";
import type { TreeSitterLanguage } from "../src/languages/index.js";

type LanguageName = keyof typeof languages;

function parseWith(language: TreeSitterLanguage, text: string, path = "/tmp/x") {
  return language.parse({ path, physicalPath: path, bom: false, body: text }, { languageOptions: {} });
}

function sourceCodeOf(name: LanguageName, text: string): TreeSitterSourceCode {
  const language = languages[name];
  const file = { path: "/tmp/x", physicalPath: "/tmp/x", bom: false, body: text };
  const parsed = language.parse(file, { languageOptions: {} });
  assert.ok(parsed.ok, "parse succeeds");
  return language.createSourceCode(file, parsed, { languageOptions: {} });
}

function* walk(node: SyntaxNode): Generator<SyntaxNode> {
  yield node;
  for (const child of node.children) yield* walk(child);
}

const SAMPLES: Record<LanguageName, { text: string; root: string; call: string }> = {
  c: {
    root: "translation_unit",
    call: "restrict_self(fd, 0)",
    text: `#include <stdio.h>
/* the sandbox */
int main(void)
{
    int fd = 3; // ruleset
    return restrict_self(fd, 0);
}
`,
  },
  cpp: {
    root: "translation_unit",
    call: "restrict_self(fd, 0)",
    text: `#include <thread>
// the sandbox
namespace sandbox {
int enter(int fd) { std::thread t([] {}); t.join(); return restrict_self(fd, 0); }
}
`,
  },
  go: {
    root: "source_file",
    call: "restrict_self(fd, 0)",
    text: `package main

// enter sandboxes the process.
func enter(fd int) error {
	return restrict_self(fd, 0)
}
`,
  },
  rust: {
    root: "source_file",
    call: "restrict_self(fd, 0)",
    text: `/// Sandboxes the process.
fn enter(fd: i32) -> i32 {
    unsafe { restrict_self(fd, 0) }
}
`,
  },
};

describe("the AST", () => {
  for (const [name, sample] of Object.entries(SAMPLES) as [LanguageName, (typeof SAMPLES)[LanguageName]][]) {
    it(`${name}: the root spans the file; every node's range, location and parent agree with the text`, () => {
      const sourceCode = sourceCodeOf(name, sample.text);
      const ast = sourceCode.ast;
      assert.equal(ast.type, sample.root);
      assert.deepEqual(ast.range, [0, sample.text.length]);
      assert.deepEqual(ast.loc.start, { line: 1, column: 0 });
      assert.deepEqual(ast.loc.end, sourceCode.getLocFromIndex(sample.text.length));
      let count = 0;
      for (const node of walk(ast)) {
        count++;
        assert.deepEqual(node.loc.start, sourceCode.getLocFromIndex(node.range[0]), `${node.type} start`);
        assert.deepEqual(node.loc.end, sourceCode.getLocFromIndex(node.range[1]), `${node.type} end`);
        let previousEnd = node.range[0];
        for (const child of node.children) {
          assert.equal(sourceCode.getParent(child), node);
          assert.ok(child.range[0] >= previousEnd && child.range[1] <= node.range[1], `${child.type} inside ${node.type}, in order`);
          previousEnd = child.range[1];
        }
      }
      assert.ok(count > 10, "named nodes are all there");
      const call = [...walk(ast)].find((n) => n.type === "call_expression" && sourceCode.getText(n) === sample.call);
      assert.ok(call, `a call_expression for ${sample.call}`);
      assert.deepEqual(sourceCode.getAncestors(call)[0], ast);
      // Field names are mirrored; the field's node is one of the children.
      const callee = call.fields?.function;
      assert.ok(callee && !Array.isArray(callee) && call.children.includes(callee));
      assert.equal(sourceCode.getText(callee as SyntaxNode), "restrict_self");
    });

    it(`${name}: comments are collected with their value`, () => {
      const sourceCode = sourceCodeOf(name, sample.text);
      assert.ok(sourceCode.comments.length >= 1);
      for (const comment of sourceCode.comments) {
        const raw = sourceCode.getText(comment);
        assert.ok(raw.includes(comment.value), `${JSON.stringify(raw)} holds its value`);
        assert.ok(!comment.value.startsWith("//") && !comment.value.startsWith("/*"));
      }
    });
  }

  it("columns count UTF-16 code units, as ESLint's do (accents and astral characters before a call)", () => {
    const text = 'int main(void) { const char *s = "é🔒"; return restrict_self(3, 0); }\n';
    const sourceCode = sourceCodeOf("c", text);
    const call = [...walk(sourceCode.ast)].find((n) => n.type === "call_expression")!;
    assert.equal(call.range[0], text.indexOf("restrict_self"));
    assert.equal(call.loc.start.column, text.indexOf("restrict_self"));
  });

  it("CRLF line endings: lines and columns match ESLint's view of the text", () => {
    const text = "int a;\r\nint main(void)\r\n{\r\n    return restrict_self(3, 0);\r\n}\r\n";
    const sourceCode = sourceCodeOf("c", text);
    const call = [...walk(sourceCode.ast)].find((n) => n.type === "call_expression")!;
    assert.deepEqual(call.loc.start, { line: 4, column: 11 });
    assert.deepEqual(call.loc.start, sourceCode.getLocFromIndex(call.range[0]));
  });

  it("ERROR nodes do not fail the parse: what parsed after them is still in the tree", () => {
    const text = `#define WRAP(x) x ))) (((
int broken(void) { WRAP( if } else { ; }
int sandbox(int fd) { return restrict_self(fd, 0); }
`;
    const parsed = parseWith(languages.c, text);
    assert.ok(parsed.ok);
    const nodes = [...walk(parsed.ast as SyntaxNode)];
    assert.ok(nodes.some((n) => n.type === "ERROR"), "the broken part is an ERROR node");
    assert.ok((parsed as unknown as { parseErrorCount: number }).parseErrorCount > 0);
    assert.ok(
      nodes.some((n) => n.type === "function_definition" && text.slice(n.range[0], n.range[1]).startsWith("int sandbox")),
      "the function after the broken one parsed",
    );
  });

  it("binary input fails the parse with a clear error at the NUL byte", () => {
    const parsed = parseWith(languages.c, "int a;\nELF\u0000\u0001\u0002");
    assert.equal(parsed.ok, false);
    const error = (parsed as { errors: { message: string; line: number; column: number }[] }).errors[0]!;
    assert.match(error.message, /not a C source file: it contains a NUL byte \(binary data\) at line 2, column 4/);
    assert.deepEqual([error.line, error.column], [2, 4]);
  });

  it("visitor keys cover every named node type of the grammar", () => {
    for (const [name, sample] of Object.entries(SAMPLES) as [LanguageName, (typeof SAMPLES)[LanguageName]][]) {
      const keys = languages[name].visitorKeys!;
      for (const node of walk(sourceCodeOf(name, sample.text).ast)) assert.deepEqual(keys[node.type], ["children"], `${name}: ${node.type}`);
    }
  });
});

// A stand-in for our rules that reports every call: it lets the directive machinery be
// tested in every language, whatever the analyzer's front-ends can read yet.
const reportCalls: Rule.RuleModule = {
  meta: { type: "problem", messages: { call: "call {{text}}" }, schema: [] },
  create(context) {
    return {
      call_expression(node: unknown) {
        context.report({ node: node as never, messageId: "call", data: { text: context.sourceCode.getText(node as never) } });
      },
    };
  },
};
const reportNothing: Rule.RuleModule = { meta: { type: "problem", schema: [] }, create: () => ({}) };
const standIn = {
  meta: { name: "stand-in" },
  languages,
  rules: { "single-thread-restrict": reportCalls, "nesting-limit": reportNothing },
} as unknown as ESLint.Plugin;

function lint(name: LanguageName, code: string, options: { unused?: boolean } = {}) {
  const linter = new Linter({ cwd: "/project" });
  const ext = { c: "c", cpp: "cpp", go: "go", rust: "rs" }[name];
  const config: Linter.Config[] = [
    {
      files: [`**/*.${ext}`],
      plugins: { landlock: standIn },
      language: `landlock/${name}`,
      rules: { "landlock/single-thread-restrict": "error", "landlock/nesting-limit": "error" },
      linterOptions: { reportUnusedDisableDirectives: options.unused ? "error" : "off" },
    },
  ];
  const filename = `/project/src/file.${ext}`;
  const messages = linter.verify(code, config, filename);
  // Present on Linter since ESLint 8, missing from its type declarations.
  const suppressed = (linter as unknown as { getSuppressedMessages(): Linter.SuppressedLintMessage[] }).getSuppressedMessages();
  return { messages, suppressed, fixed: () => linter.verifyAndFix(code, config, filename).output };
}

/** A small program in each language with one call per line, `CALLS` marking where the calls go. */
const PROGRAMS: Record<LanguageName, (body: string) => string> = {
  c: (body) => `int main(void)\n{\n${body}    return 0;\n}\n`,
  cpp: (body) => `int main()\n{\n${body}    return 0;\n}\n`,
  go: (body) => `package main\n\nfunc main() {\n${body}}\n`,
  rust: (body) => `fn main() {\n${body}}\n`,
};
const STATEMENT: Record<LanguageName, (call: string) => string> = {
  c: (call) => `    ${call};`,
  cpp: (call) => `    ${call};`,
  go: (call) => `\t${call}`,
  rust: (call) => `    ${call};`,
};

describe("directive comments", () => {
  for (const name of Object.keys(PROGRAMS) as LanguageName[]) {
    const program = (lines: string[]) => PROGRAMS[name](lines.map((l) => (l.startsWith("//") || l.startsWith("/*") ? `    ${l}` : STATEMENT[name](l))).join("\n") + "\n");
    const calls = (code: string) => lint(name, code).messages.filter((m) => m.ruleId !== null).map((m) => m.message);

    it(`${name}: without comments every call is reported`, () => {
      assert.deepEqual(calls(program(["first()", "second()"])), ["call first()", "call second()"]);
    });

    it(`${name}: eslint-disable-next-line / -line naming landlock/<rule>`, () => {
      assert.deepEqual(calls(program(["// eslint-disable-next-line landlock/single-thread-restrict", "first()", "second()"])), ["call second()"]);
      const sameLine = program(["first()", "second()"]).replace(/second\(\);?/, (m) => `${m} /* eslint-disable-line landlock/single-thread-restrict */`);
      assert.deepEqual(calls(sameLine), ["call first()"]);
    });

    it(`${name}: landlock-lint-disable-next-line <rule> -- reason, with or without landlock/`, () => {
      const bare = lint(name, program(["// landlock-lint-disable-next-line single-thread-restrict -- workers are not started yet", "first()", "second()"]));
      assert.deepEqual(bare.messages.map((m) => m.message), ["call second()"]);
      assert.equal(bare.suppressed.length, 1);
      assert.deepEqual(bare.suppressed[0]!.suppressions, [{ kind: "directive", justification: "workers are not started yet" }]);
      assert.deepEqual(calls(program(["/* landlock-lint-disable-next-line landlock/single-thread-restrict */", "first()", "second()"])), ["call second()"]);
    });

    it(`${name}: a bare landlock-lint-disable-line covers every rule on its line`, () => {
      const code = program(["first()", "second()"]).replace(/first\(\);?/, (m) => `${m} // landlock-lint-disable-line`);
      assert.deepEqual(calls(code), ["call second()"]);
    });

    it(`${name}: landlock-lint-disable / -enable blocks, and a bare eslint-disable`, () => {
      const block = program(["/* landlock-lint-disable single-thread-restrict */", "first()", "/* landlock-lint-enable single-thread-restrict */", "second()"]);
      assert.deepEqual(calls(block), ["call second()"]);
      assert.deepEqual(calls(program(["/* eslint-disable */", "first()", "second()"])), []);
    });

    it(`${name}: unknown rule names in our comments are reported, not ignored`, () => {
      const result = lint(name, program(["// landlock-lint-disable-next-line single-thread-restrik", "first()"]));
      assert.deepEqual(
        result.messages.map((m) => [m.ruleId, m.message]),
        [
          [null, 'unknown rule "single-thread-restrik" in landlock-lint-disable-next-line'],
          ["landlock/single-thread-restrict", "call first()"],
        ],
      );
    });

    it(`${name}: --report-unused-disable-directives sees both families, and its fix removes the comment`, () => {
      const code = program(["// landlock-lint-disable-next-line nesting-limit -- never loops", "first()", "// eslint-disable-next-line landlock/nesting-limit", "second()"]);
      const result = lint(name, code, { unused: true });
      const unused = result.messages.filter((m) => m.ruleId === null).map((m) => m.message);
      assert.deepEqual(unused, [
        "Unused eslint-disable directive (no problems were reported from 'landlock/nesting-limit').",
        "Unused eslint-disable directive (no problems were reported from 'landlock/nesting-limit').",
      ]);
      const fixed = result.fixed();
      assert.doesNotMatch(fixed, /disable/);
      assert.match(fixed, /first\(\)[\s\S]*second\(\)/);
    });

    it(`${name}: an unused rule in a list of bare names is removed alone, the used one stays`, () => {
      const code = program(["// landlock-lint-disable-next-line nesting-limit, single-thread-restrict -- reviewed", "first()"]);
      const result = lint(name, code, { unused: true });
      assert.deepEqual(result.messages.map((m) => m.message), ["Unused eslint-disable directive (no problems were reported from 'landlock/nesting-limit')."]);
      const fixed = result.fixed();
      assert.match(fixed, /landlock-lint-disable-next-line\s+,?\s*single-thread-restrict -- reviewed/);
      assert.doesNotMatch(fixed, /nesting-limit/);
      assert.deepEqual(calls(fixed), [], "the call stays silenced after the fix");
    });

    it(`${name}: inline rule configuration (/* eslint landlock/<rule>: "off" */)`, () => {
      assert.deepEqual(calls(program(['/* eslint landlock/single-thread-restrict: "off" */', "first()"])), []);
    });
  }
});

describe("selectors", () => {
  it("child selectors work through the visitor keys (call_expression > identifier)", () => {
    const seen: string[] = [];
    const probe = {
      meta: { name: "probe" },
      languages,
      rules: {
        callee: {
          meta: { type: "problem", schema: [] },
          create: (context: Rule.RuleContext) => ({ "call_expression > identifier"(node: unknown) { seen.push(context.sourceCode.getText(node as never)); } }),
        },
      },
    } as unknown as ESLint.Plugin;
    new Linter({ cwd: "/p" }).verify("int main(void) { a(1); b(c(2)); }\n", [{ files: ["**/*.c"], plugins: { probe }, language: "probe/c", rules: { "probe/callee": "error" } }], "/p/x.c");
    assert.deepEqual(seen, ["a", "b", "c"]);
  });
});

describe("the plugin object", () => {
  it("exposes the four languages under the names the presets use", () => {
    assert.deepEqual(Object.keys(plugin.languages).sort(), ["c", "cpp", "go", "rust"]);
    for (const [name, language] of Object.entries(plugin.languages)) {
      assert.equal(language.grammar, name);
      assert.equal(language.fileType, "text");
      assert.equal(language.lineStart, 1);
      assert.equal(language.columnStart, 0);
      assert.equal(language.nodeTypeKey, "type");
    }
  });
});
