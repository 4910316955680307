// The "What the simulator shows" sections of docs/rules/*.md are real simulator output.
// A marker names the built-in scenario; the block after it is regenerated from the model,
// and a test fails when a page no longer matches what the simulator prints.

import { BUILTIN_SCENARIOS } from "../builtins/index.js";
import { runScenario } from "../runner.js";
import { renderText } from "../render/text.js";

const MARKER = /<!-- simulator-output: ([a-z0-9-]+) -->\n(?:```text\n[\s\S]*?\n```\n<!-- \/simulator-output -->\n)?/g;

/** The text block shown for a built-in scenario in the rule pages. */
export function ruleDocBlock(name: string): string {
  const scenario = BUILTIN_SCENARIOS[name];
  if (!scenario) throw new Error(`docs name an unknown built-in scenario: ${name}`);
  const text = renderText(runScenario(scenario), { width: 100 }).trimEnd();
  return "```text\n$ landlock-sim run " + name + "\n" + text + "\n```\n";
}

/** Replaces every simulator-output block of a markdown page with fresh output. */
export function fillRuleDoc(markdown: string): string {
  return markdown.replace(MARKER, (_m, name: string) => `<!-- simulator-output: ${name} -->\n${ruleDocBlock(name)}<!-- /simulator-output -->\n`);
}
