// Package chapter06 is the demo of book ch.6 Docker Daemon网络: the
// machine's network before and after the init_networkdriver job (docker0,
// its address, ip_forward, the nat and filter rules, the DOCKER chain),
// and a second run that finds everything in place and adds nothing.
//
// Reproduces upstream daemon/networkdriver/bridge/driver.go InitDriver at
// v1.2.0 through v1_2/daemon/networkdriver/bridge.InitDriver; see
// README.md (English) and README.zh.md.
package chapter06

import (
	"context"
	"fmt"
	"io"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/chapters/chapterutil"
	"github.com/dockerlab/dockerlab/v1_2/daemon/networkdriver/bridge"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Run runs the demo on h, printing to out.
func Run(ctx context.Context, h backend.Host, out io.Writer) error {
	before, err := chapterutil.Take(h.Root())
	if err != nil {
		return err
	}
	bridge.SetHost(h) // what NewDaemon does first
	defer bridge.SetHost(nil)

	fmt.Fprintf(out, "## ch.6 init_networkdriver on the %s backend\n", h.Name())
	if err := dump(out, "before", h.Root()); err != nil {
		return err
	}
	var dumps []string
	for run := 1; run <= 2; run++ {
		eng := engine.New()
		eng.Stdout, eng.Stderr = out, out
		if err := eng.Register("init_networkdriver", bridge.InitDriver); err != nil {
			return err
		}
		// The env NewDaemon builds from the default flags (§6.4).
		job := eng.Job("init_networkdriver")
		job.SetenvBool("EnableIptables", true)
		job.SetenvBool("InterContainerCommunication", true)
		job.SetenvBool("EnableIpForward", true)
		job.Setenv("BridgeIface", "")
		job.Setenv("BridgeIP", "")
		job.Setenv("DefaultBindingIP", "0.0.0.0")
		fmt.Fprintf(out, "## run %d: job init_networkdriver (EnableIptables=true InterContainerCommunication=true EnableIpForward=true)\n", run)
		if err := job.Run(); err != nil {
			return err
		}
		if err := dump(out, fmt.Sprintf("after run %d", run), h.Root()); err != nil {
			return err
		}
		d, err := backend.Dump(h.Root())
		if err != nil {
			return err
		}
		dumps = append(dumps, d)
	}
	if dumps[0] == dumps[1] {
		fmt.Fprintln(out, "## run 2 changed nothing: each rule is probed (-C) before it is inserted (-I)")
	} else {
		fmt.Fprintln(out, "## run 2 changed the machine (see the two dumps above)")
	}
	fmt.Fprintln(out, "## a daemon leaves all this in place when it stops, as upstream did; the demo removes it:")
	return before.Restore(h.Root(), out)
}

func dump(out io.Writer, title string, n backend.Net) error {
	addrs, err := backend.DumpAddrs(n)
	if err != nil {
		return err
	}
	fwd, err := backend.DumpIPForward(n)
	if err != nil {
		return err
	}
	tables, err := backend.DumpIPTables(n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "## %s\n%s%s%s", title, addrs, fwd, tables)
	return nil
}
