// threads shows which OS threads of a Go program a Landlock restriction reaches. It
// pins N goroutines to their own OS threads (runtime.LockOSThread) before restricting,
// restricts from the pinned main goroutine with a ruleset that handles read_file and
// grants nothing (so reading any file is denied), then lets every pinned thread try to
// open the file named on the command line. How the restriction is made depends on the
// build: enforce_syscall.go (syscall.Syscall, the calling thread only) or
// enforce_allthreads.go (syscall.AllThreadsSyscall, every thread, built with
// -tags allthreads and CGO_ENABLED=0). Standard library only.
//
// Output, one line each: "abi N errata M", "mechanism NAME",
// "thread main tid=T open=RESULT", "thread workerI tid=T open=RESULT".
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

const (
	sysLandlockCreateRuleset = 444
	sysLandlockRestrictSelf  = 446
	createRulesetVersion     = 1 << 0
	createRulesetErrata      = 1 << 1
	accessFSReadFile         = 1 << 2
	prSetNoNewPrivs          = 38
)

type rulesetAttr struct {
	handledAccessFS uint64
}

func errnoName(err error) string {
	errno, ok := err.(syscall.Errno)
	if !ok {
		return err.Error()
	}
	switch errno {
	case syscall.EACCES:
		return "EACCES"
	case syscall.EPERM:
		return "EPERM"
	case syscall.EINVAL:
		return "EINVAL"
	case syscall.ENOSYS:
		return "ENOSYS"
	case syscall.EOPNOTSUPP:
		return "EOPNOTSUPP"
	case syscall.ENOENT:
		return "ENOENT"
	}
	return fmt.Sprintf("errno%d", int(errno))
}

func tryRead(path string) string {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return errnoName(err)
	}
	syscall.Close(fd)
	return "ok"
}

func fail(what string, err error) {
	fmt.Printf("error %s %s\n", what, errnoName(err))
	os.Exit(2)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: threads FILE WORKERS")
		os.Exit(2)
	}
	path := os.Args[1]
	workers, err := strconv.Atoi(os.Args[2])
	if err != nil || workers < 1 {
		fmt.Fprintln(os.Stderr, "WORKERS must be a positive number")
		os.Exit(2)
	}
	abi, _, e := syscall.Syscall(sysLandlockCreateRuleset, 0, 0, createRulesetVersion)
	if e != 0 {
		fmt.Printf("abi -1 errno %s\n", errnoName(e))
		return
	}
	errata, _, e := syscall.Syscall(sysLandlockCreateRuleset, 0, 0, createRulesetErrata)
	if e != 0 {
		errata = 0
	}
	fmt.Printf("abi %d errata %d\nmechanism %s\n", abi, errata, mechanism)

	// The main goroutine stays on this OS thread: the thread that restricts is the one that reads.
	runtime.LockOSThread()
	ready := make(chan struct{})
	restricted := make(chan struct{})
	results := make(chan string)
	for i := 0; i < workers; i++ {
		go func(i int) {
			runtime.LockOSThread()
			ready <- struct{}{}
			<-restricted
			results <- fmt.Sprintf("thread worker%d tid=%d open=%s", i, syscall.Gettid(), tryRead(path))
		}(i)
	}
	// Barrier: every worker runs on its own pinned thread before the restriction.
	for i := 0; i < workers; i++ {
		<-ready
	}
	attr := rulesetAttr{handledAccessFS: accessFSReadFile}
	ruleset, _, e := syscall.Syscall(sysLandlockCreateRuleset, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if e != 0 {
		fail("create_ruleset", e)
	}
	if err := enforce(ruleset); err != nil {
		fail("restrict_self", err)
	}
	fmt.Printf("thread main tid=%d open=%s\n", syscall.Gettid(), tryRead(path))
	close(restricted)
	for i := 0; i < workers; i++ {
		fmt.Println(<-results)
	}
}
