// A best-effort status that is never read is a weaker problem than an ignored error:
// the error is handled, only partial enforcement goes unnoticed. It is reported as a
// warning that says why; an ignored error stays an error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeText } from "../src/index.js";

const sandbox = (tail: string) => `
use landlock::{Access, AccessFs, Ruleset, RulesetAttr, RulesetCreatedAttr, ABI};

fn sandbox() -> Result<(), Box<dyn std::error::Error>> {
    let abi = ABI::V2;
    Ruleset::default()
        .handle_access(AccessFs::from_all(abi))?
        .create()?
        ${tail}
    Ok(())
}

fn main() {
    sandbox().unwrap();
}
`;

test("a dropped best-effort status is a warning; an ignored error is an error", () => {
  const statusDropped = analyzeText(sandbox(".restrict_self()?;"), "/virtual/status.rs").findings.filter(
    (f) => f.ruleId === "landlock/unchecked-restrict-result",
  );
  assert.equal(statusDropped.length, 1);
  assert.equal(statusDropped[0]!.severity, "warning");
  assert.match(statusDropped[0]!.message, /status/);

  const ignored = analyzeText(sandbox(".restrict_self().ok();"), "/virtual/ok.rs").findings.filter(
    (f) => f.ruleId === "landlock/unchecked-restrict-result",
  );
  assert.equal(ignored.length, 1);
  assert.equal(ignored[0]!.severity, "error");
});
