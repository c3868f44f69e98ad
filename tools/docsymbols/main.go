// Command docsymbols keeps the docs from rotting: it reads every README,
// doc, chapter and walkthrough of the repository, finds the code they cite
// in backticks — `backend/fake.Kernel`, `v1_2/daemon/networkdriver/bridge.setupIPTables`,
// `backend.Host.Start` — and fails, listing each one, when the cited
// package directory does not declare that symbol. It also refuses citations
// by line number (`driver.go:123`, `#L123`), which go stale with the first
// edit above them; cite a symbol instead. `make check-docs` runs it.
//
// Usage: docsymbols [-root DIR]   (default: the current directory)
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()

	problems, checked, err := checkRepo(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docsymbols:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		fmt.Printf("docsymbols: %d problem(s) in %d citation(s) checked\n", len(problems), checked)
		os.Exit(1)
	}
	fmt.Printf("docsymbols: %d code citation(s) checked, all declared\n", checked)
}
