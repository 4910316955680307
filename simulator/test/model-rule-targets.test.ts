// add_rule path_beneath on a regular file accepts only the rights that make sense for a
// file (execute, write_file, read_file, truncate, ioctl_dev); any other right is EINVAL.
// A scenario path is a regular file when it is listed in `files` or opened, and no other
// scenario path lies beneath it.

import { test } from "node:test";
import assert from "node:assert/strict";
import type { FsAccess, Step } from "../src/scenario.js";
import { ALL_FS_ACCESS, FS_ACCESS_ABI } from "../src/model/abi.js";
import { resultOf, run, stepEvent } from "./sim-helpers.js";

const FILE_RIGHTS: FsAccess[] = ["execute", "write_file", "read_file", "truncate", "ioctl_dev"];
const ABI = 7;
const available = ALL_FS_ACCESS.filter((a) => FS_ACCESS_ABI[a] <= ABI);
const handleAll: Step = { op: "create_ruleset", thread: "main", as: "rs", handledFs: available };
const rule = (path: string, access: FsAccess[]): Step => ({ op: "add_rule", thread: "main", ruleset: "rs", type: "path_beneath", path, access });

test("a directory-only right on a listed regular file is EINVAL", () => {
  const t = run([handleAll, rule("/etc/shadow", ["read_dir"]), rule("/etc/shadow", ["read_file", "read_dir"]), rule("/etc/shadow", ["read_file"])], { abi: ABI, files: ["/etc/shadow"] });
  assert.equal(resultOf(t, 1), "EINVAL");
  assert.match(stepEvent(t, 1).note ?? "", /regular file/);
  assert.equal(resultOf(t, 2), "EINVAL", "one directory-only right is enough");
  assert.equal(resultOf(t, 3), "ok");
});

test("on a file, exactly the file rights are accepted", () => {
  for (const access of available) {
    const t = run([handleAll, rule("/etc/shadow", [access])], { abi: ABI, files: ["/etc/shadow"] });
    assert.equal(resultOf(t, 1), FILE_RIGHTS.includes(access) ? "ok" : "EINVAL", access);
  }
});

test("directories accept every right: the parent of a file, unlisted paths, a listed path with a path beneath it", () => {
  const t = run([
    handleAll,
    rule("/etc", ["read_dir", "make_reg"]),
    rule("/var/lib", ["remove_file"]),
    rule("/srv/app", ["read_dir"]),
  ], { abi: ABI, files: ["/etc/shadow", "/srv/app", "/srv/app/index.html"] });
  assert.equal(resultOf(t, 1), "ok");
  assert.equal(resultOf(t, 2), "ok");
  assert.equal(resultOf(t, 3), "ok", "/srv/app holds index.html, so it is a directory");
});

test("an opened path is a regular file too", () => {
  const t = run([handleAll, rule("/data/db", ["make_dir"]), { op: "open", thread: "main", path: "/data/db", access: "read" }], { abi: ABI });
  assert.equal(resultOf(t, 1), "EINVAL");
});

test("the file check comes after ENOMSG and the handled-rights check", () => {
  const t = run([
    { op: "create_ruleset", thread: "main", as: "rs", handledFs: ["read_file"] },
    rule("/etc/shadow", []),
    rule("/etc/shadow", ["read_dir"]),
  ], { abi: ABI, files: ["/etc/shadow"] });
  assert.equal(resultOf(t, 1), "ENOMSG");
  assert.equal(resultOf(t, 2), "EINVAL");
  assert.match(stepEvent(t, 2).note ?? "", /not handled/);
});
