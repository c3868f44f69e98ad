// `dockerlab version`: which dockerlab, which Go, which commit.
package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is dockerlab's own version; a release build sets it with
// -ldflags "-X github.com/dockerlab/dockerlab/internal/cli.Version=…".
var Version = "0.1.0-dev"

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print dockerlab's version, the Go it was built with and its git commit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
}

// versionString: "dockerlab version 0.1.0-dev (reproduces Docker 0.1.0 and
// 1.2.0), go1.26.8 linux/amd64, git commit 1cc6619a2b3c". The commit is
// what `go build` stamped from the work tree (absent under `go test` and
// `go run`), with "-dirty" when there were uncommitted changes.
func versionString() string {
	s := fmt.Sprintf("dockerlab version %s (reproduces Docker 0.1.0 and 1.2.0), %s %s/%s",
		Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if rev, dirty := vcsRevision(); rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if dirty {
			rev += "-dirty"
		}
		s += ", git commit " + rev
	}
	return s
}

func vcsRevision() (rev string, dirty bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			dirty = kv.Value == "true"
		}
	}
	return rev, dirty
}
