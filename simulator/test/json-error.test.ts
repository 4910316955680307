// Locating JSON syntax errors for scenario files.

import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonErrorOffset, lineColumn } from "../src/cli/json-error.js";

test("valid JSON has no error offset; invalid JSON points at the first bad character", () => {
  for (const ok of ['{"a":[1,2.5e3,-0,true,false,null,"x\\n\\u00e9"]}', " [] ", '"s"']) assert.equal(jsonErrorOffset(ok), undefined, ok);
  assert.equal(jsonErrorOffset('{"a": [,]}'), 7);
  assert.equal(jsonErrorOffset('{"a": 1,}'), 8);
  assert.equal(jsonErrorOffset("{'a': 1}"), 1);
  assert.equal(jsonErrorOffset('{"a": tru}'), 6);
  assert.equal(jsonErrorOffset('{"a": 01}'), 7);
  assert.equal(jsonErrorOffset("[1] x"), 4);
  assert.equal(jsonErrorOffset('["abc'), 5);
  for (const bad of ['{"a": [,]}', "{'a': 1}", "[1] x", '["abc', "", "-", '"\\x"']) {
    assert.throws(() => JSON.parse(bad));
    assert.notEqual(jsonErrorOffset(bad), undefined, bad);
  }
});

test("offsets become lines and columns", () => {
  assert.equal(lineColumn("ab\ncd\nef", 4), "line 2, column 2");
  assert.equal(lineColumn("x", 0), "line 1, column 1");
});
