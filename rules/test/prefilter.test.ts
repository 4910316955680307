// The prefilter: files that may hold a finding pass, ordinary code does not. (That no
// fixture finding is lost to it is the parity test's job.)

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mayHoldFindings } from "../src/analysis/prefilter.js";

describe("prefilter", () => {
  const passes: [string, string][] = [
    ["a Landlock call", "if (landlock_restrict_self(fd, 0)) err(1, NULL);"],
    ["a raw syscall number", "syscall(446, fd, 0);"],
    ["a hex syscall number", "syscall(0x1be, fd, 0);"],
    ["libpsx", "psx_syscall3(SYS_landlock_restrict_self, fd, 0, 0);"],
    ["Go's AllThreadsSyscall", "syscall.AllThreadsSyscall(nr, fd, 0, 0)"],
    ["a signal to another process", "kill(getppid(), SIGUSR1);"],
    ["Go's Kill", "syscall.Kill(pid, syscall.SIGTERM)"],
    ["a SIGIO owner", "fcntl(sock, F_SETOWN, pid);"],
    ["a socket connect", "if (connect(sock, (struct sockaddr *)&addr, len) < 0)"],
    ["a Go dial", 'net.Dial("unix", "@metrics")'],
    ["a privilege drop", "if (setresuid(uid, uid, uid) != 0)"],
    ["Rust's setuid binding", "nix::unistd::setuid(uid)?;"],
  ];
  for (const [what, text] of passes) it(`passes ${what}`, () => assert.equal(mayHoldFindings(text), true));

  const ordinary: [string, string][] = [
    ["words that merely contain short keywords", "int compute_skill(struct component *c) { return c->complete ? praise(c) : 0; }"],
    ["Rust clones and commands", "let v = items.clone(); let out = Command::new(\"ls\").output()?;"],
    ["thread pools (findings never sit on spawns)", "pthread_create(&tid, NULL, worker, NULL); std::thread t(run); go serve()"],
    ["execution of other programs", "execvp(argv[0], argv); posix_spawn(&pid, path, NULL, NULL, argv, envp);"],
    ["numbers that contain 446", "int port = 14460; double x = 0.4461;"],
  ];
  for (const [what, text] of ordinary) it(`skips ${what}`, () => assert.equal(mayHoldFindings(text), false));

  it("passes configured wrapper and spawner names (last name part, whole words)", () => {
    const names = ["Sandbox::enter_jail", "spawn_workers"];
    assert.equal(mayHoldFindings("if (enter_jail() != 0) return 1;", names), true);
    assert.equal(mayHoldFindings("spawn_workers(4);", names), true);
    assert.equal(mayHoldFindings("reenter_jailbreak();", names), false);
  });
});
