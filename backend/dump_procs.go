// DumpProcs: the backend's process table as a ps-like listing (docs/design.md
// "The backend"; book ch.13 dockerinit启动, ch.14 §14.3 namespace). It shows,
// per process, the things a container is made of: which network namespace
// it runs in, its hostname (UTS), its cgroup and its root filesystem.
package backend

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
)

// DumpProcs prints the processes h started, one row each, sorted by pid:
//
//	PID   NETNS     HOSTNAME  CGROUP          STATE    ROOTFS      COMMAND
//	1001  pid:1001  box1      dockerlab/3f2a  running  /tmp/rootfs sh -c echo hi
//
// Empty fields print as "-" so the columns stay aligned for awk and eyes.
func DumpProcs(h Host) (string, error) {
	procs, err := h.Procs()
	if err != nil {
		return "", err
	}
	sort.Slice(procs, func(i, j int) bool { return procs[i].Pid < procs[j].Pid })
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "PID\tNETNS\tHOSTNAME\tCGROUP\tSTATE\tROOTFS\tCOMMAND")
	for _, p := range procs {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n",
			p.Pid, p.NetNS, dash(p.Hostname), dash(p.Cgroup), dash(p.State), dash(p.Rootfs), dash(strings.Join(p.Args, " ")))
	}
	if err := w.Flush(); err != nil {
		return "", err
	}
	return b.String(), nil
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
