// threads shows which threads of a Rust program a Landlock restriction reaches. It starts
// N std::thread workers and waits on a barrier until every one of them is running, then
// restricts with a ruleset that handles read_file and grants nothing (so reading any file
// is denied), and lets every thread try to open the file named on the command line.
// Standard library only, with the system calls declared through `extern "C"` (no crates).
//
// Modes (first argument):
//   single     main restricts itself with landlock_restrict_self(fd, 0) (syscall 446)
//              after the workers started: only the calling thread is restricted;
//   perthread  every thread restricts itself with the same ruleset (which also scopes
//              signals), so each ends in a domain of its own; then worker0 sends
//              SIGUSR1 (ignored) to worker1 with tgkill;
//   tsync      main passes LANDLOCK_RESTRICT_SELF_TSYNC (1 << 3), which kernels below
//              Landlock ABI 8 reject with EINVAL.
//
// Output, one line each: "abi N errata M", "mode NAME", "create RESULT",
// "restrict THREAD RESULT", "thread NAME tid=T open=RESULT", "tgkill worker0->worker1 RESULT".

use std::ffi::c_void;
use std::sync::mpsc;
use std::sync::{Arc, Barrier, Mutex};
use std::thread;

extern "C" {
    fn syscall(number: i64, ...) -> i64;
    fn prctl(option: i32, ...) -> i32;
    fn signal(signum: i32, handler: usize) -> usize;
    fn getpid() -> i32;
}

const SYS_LANDLOCK_CREATE_RULESET: i64 = 444;
const SYS_LANDLOCK_RESTRICT_SELF: i64 = 446;
#[cfg(target_arch = "x86_64")]
const SYS_GETTID: i64 = 186;
#[cfg(target_arch = "x86_64")]
const SYS_TGKILL: i64 = 234;
#[cfg(target_arch = "aarch64")]
const SYS_GETTID: i64 = 178;
#[cfg(target_arch = "aarch64")]
const SYS_TGKILL: i64 = 131;

const LANDLOCK_CREATE_RULESET_VERSION: u32 = 1 << 0;
const LANDLOCK_CREATE_RULESET_ERRATA: u32 = 1 << 1;
const LANDLOCK_ACCESS_FS_READ_FILE: u64 = 1 << 2;
const LANDLOCK_SCOPE_SIGNAL: u64 = 1 << 1;
const LANDLOCK_RESTRICT_SELF_TSYNC: u32 = 1 << 3;
const PR_SET_NO_NEW_PRIVS: i32 = 38;
const SIGUSR1: i32 = 10;
const SIG_IGN: usize = 1;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

fn errno_name(code: Option<i32>) -> String {
    match code {
        Some(1) => "EPERM".into(),
        Some(2) => "ENOENT".into(),
        Some(13) => "EACCES".into(),
        Some(22) => "EINVAL".into(),
        Some(38) => "ENOSYS".into(),
        Some(95) => "EOPNOTSUPP".into(),
        Some(n) => format!("errno{n}"),
        None => "unknown".into(),
    }
}

fn last_error() -> String {
    errno_name(std::io::Error::last_os_error().raw_os_error())
}

fn gettid() -> i64 {
    unsafe { syscall(SYS_GETTID) }
}

fn try_read(path: &str) -> String {
    match std::fs::File::open(path) {
        Ok(_) => "ok".into(),
        Err(e) => errno_name(e.raw_os_error()),
    }
}

/// prctl(PR_SET_NO_NEW_PRIVS) then landlock_restrict_self on the calling thread.
fn restrict(fd: i64, flags: u32) -> String {
    if unsafe { prctl(PR_SET_NO_NEW_PRIVS, 1u64, 0u64, 0u64, 0u64) } != 0 {
        return format!("prctl-{}", last_error());
    }
    if unsafe { syscall(SYS_LANDLOCK_RESTRICT_SELF, fd as i32, flags) } != 0 {
        return last_error();
    }
    "ok".into()
}

struct Report {
    name: String,
    tid: i64,
    open: String,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: threads single|perthread|tsync FILE WORKERS");
        std::process::exit(2);
    }
    let mode = args[1].clone();
    let file = args[2].clone();
    let workers: usize = args[3].parse().expect("WORKERS must be a number");

    let abi = unsafe { syscall(SYS_LANDLOCK_CREATE_RULESET, std::ptr::null::<c_void>(), 0usize, LANDLOCK_CREATE_RULESET_VERSION) };
    if abi < 0 {
        println!("abi -1 errno {}", last_error());
        return;
    }
    let errata = unsafe { syscall(SYS_LANDLOCK_CREATE_RULESET, std::ptr::null::<c_void>(), 0usize, LANDLOCK_CREATE_RULESET_ERRATA) };
    println!("abi {abi} errata {}", errata.max(0));
    println!("mode {mode}");

    let attr = RulesetAttr {
        handled_access_fs: LANDLOCK_ACCESS_FS_READ_FILE,
        handled_access_net: 0,
        scoped: if mode == "perthread" && abi >= 6 { LANDLOCK_SCOPE_SIGNAL } else { 0 },
    };
    let fd = unsafe { syscall(SYS_LANDLOCK_CREATE_RULESET, &attr as *const RulesetAttr, std::mem::size_of::<RulesetAttr>(), 0u32) };
    if fd < 0 {
        println!("create {}", last_error());
        return;
    }
    println!("create ok scoped={}", attr.scoped);
    unsafe { signal(SIGUSR1, SIG_IGN) };

    let started = Arc::new(Barrier::new(workers + 1));
    let restricted = Arc::new(Barrier::new(workers + 1));
    let opened = Arc::new(Barrier::new(workers + 1));
    // Nobody exits before the signal test is over (tgkill to an exited thread is ESRCH).
    let signalled = Arc::new(Barrier::new(workers + 1));
    let tids = Arc::new(Mutex::new(vec![0i64; workers]));
    let (tx, rx) = mpsc::channel::<Report>();
    let mut handles = Vec::new();
    for i in 0..workers {
        let (started, restricted, opened, signalled, tids, tx, file, mode) =
            (started.clone(), restricted.clone(), opened.clone(), signalled.clone(), tids.clone(), tx.clone(), file.clone(), mode.clone());
        handles.push(thread::spawn(move || {
            let tid = gettid();
            tids.lock().unwrap()[i] = tid;
            started.wait();
            if mode == "perthread" {
                println!("restrict worker{i} {}", restrict(fd, 0));
            }
            restricted.wait();
            let open = try_read(&file);
            opened.wait();
            if mode == "perthread" && i == 0 && workers > 1 {
                let target = tids.lock().unwrap()[1];
                let rc = unsafe { syscall(SYS_TGKILL, getpid() as i64, target, SIGUSR1 as i64) };
                println!("tgkill worker0->worker1 {}", if rc == 0 { "ok".to_string() } else { last_error() });
            }
            signalled.wait();
            tx.send(Report { name: format!("worker{i}"), tid, open }).unwrap();
        }));
    }
    drop(tx);

    // Every worker is running (and waiting here) before anything is restricted.
    started.wait();
    let flags = if mode == "tsync" { LANDLOCK_RESTRICT_SELF_TSYNC } else { 0 };
    println!("restrict main {}", restrict(fd, flags));
    restricted.wait();
    let main_open = try_read(&file);
    opened.wait();
    signalled.wait();
    let mut reports: Vec<Report> = rx.iter().collect();
    for h in handles {
        h.join().expect("worker panicked");
    }
    reports.sort_by(|a, b| a.name.cmp(&b.name));
    println!("thread main tid={} open={main_open}", gettid());
    for r in reports {
        println!("thread {} tid={} open={}", r.name, r.tid, r.open);
    }
}
