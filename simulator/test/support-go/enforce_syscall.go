//go:build !allthreads

package main

import "syscall"

const mechanism = "syscall"

// enforce sets no_new_privs and restricts the calling OS thread only.
func enforce(ruleset uintptr) error {
	if _, _, e := syscall.Syscall(syscall.SYS_PRCTL, prSetNoNewPrivs, 1, 0); e != 0 {
		return e
	}
	if _, _, e := syscall.Syscall(sysLandlockRestrictSelf, ruleset, 0, 0); e != 0 {
		return e
	}
	return nil
}
