// Package doctor checks whether this machine can run dockerlab's linux
// backend, and says how to fix what is missing (`dockerlab doctor`).
//
// Docker 1.2.0 made the same kind of checks at daemon start (book ch.4
// §4.4 系统支持/权限 in NewDaemon — is it Linux, is it root, is the kernel
// new enough — and §4.7 网络环境 / ch.6 §6.5: iptables and ip_forward);
// dockerlab gathers them into one report instead of failing on the first.
//
// Every check is a plain function of an Env, so the tests can hand in a
// pretend machine.
package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Status is a check's verdict.
type Status string

const (
	OK   Status = "ok"
	Warn Status = "warn" // something is missing, but the linux backend still starts
	Fail Status = "FAIL" // the linux backend cannot work at all
)

// Check is one line of the report.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Found  string `json:"found"`
	Hint   string `json:"hint,omitempty"`
}

// Run runs every check in the order the report prints them.
func Run(e Env) []Check {
	return []Check{
		CheckOS(e),
		CheckRoot(e),
		CheckKernel(e),
		CheckNetNS(e),
		CheckCgroups(e),
		CheckCapabilities(e),
		CheckDevices(e),
		CheckProcSys(e),
		CheckLSM(e),
		CheckIPTables(e),
		CheckIPForward(e),
		CheckForwardPolicy(e),
		CheckBridgeVeth(e),
		CheckOverlay(e),
		CheckBusybox(e),
		CheckDockerCLI(e),
	}
}

// Failed says whether any check failed (the linux backend cannot run).
func Failed(checks []Check) bool {
	for _, c := range checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Write prints the report, one line per check and the hint under it:
//
//	[ok]   root          running as root (uid 0)
//	[warn] iptables      not found on PATH
//	       hint: apt-get install iptables
func Write(w io.Writer, checks []Check) {
	for _, c := range checks {
		tag := "[" + string(c.Status) + "]"
		fmt.Fprintf(w, "%-6s %-15s %s\n", tag, c.Name, c.Found)
		if c.Hint != "" && c.Status != OK {
			for _, l := range strings.Split(c.Hint, "\n") {
				fmt.Fprintf(w, "%6s hint: %s\n", "", l)
			}
		}
	}
}

// WriteJSON prints the checks as a JSON array.
func WriteJSON(w io.Writer, checks []Check) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(checks)
}
