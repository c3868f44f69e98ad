//go:build !unix

// Signal names for kill, kill -l and trap (shelltrap.go). Where the
// syscall package lacks the unix signals (Windows), the simulated machine
// uses Linux's numbers, as the fake kernel does (backend/fake
// signum_windows.go).
package userland

import "syscall"

// signals lists the signals applets know by name.
var signals = []struct {
	name string
	sig  syscall.Signal
}{
	{"HUP", 1}, {"INT", 2}, {"QUIT", 3}, {"ILL", 4}, {"TRAP", 5}, {"ABRT", 6},
	{"BUS", 7}, {"FPE", 8}, {"KILL", 9}, {"USR1", 10}, {"SEGV", 11}, {"USR2", 12},
	{"PIPE", 13}, {"ALRM", 14}, {"TERM", 15}, {"CHLD", 17}, {"CONT", 18},
	{"STOP", 19}, {"TSTP", 20}, {"TTIN", 21}, {"TTOU", 22}, {"URG", 23}, {"WINCH", 28},
}
