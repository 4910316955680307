//go:build allthreads

package main

import "syscall"

const mechanism = "all_threads_syscall"

// enforce runs prctl and landlock_restrict_self on every OS thread of the Go runtime
// (the runtime signals each thread to make the call; it refuses when cgo is enabled).
func enforce(ruleset uintptr) error {
	if _, _, e := syscall.AllThreadsSyscall(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0); e != 0 {
		return e
	}
	if _, _, e := syscall.AllThreadsSyscall(sysLandlockRestrictSelf, ruleset, 0, 0); e != 0 {
		return e
	}
	return nil
}
