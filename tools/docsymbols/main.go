// Command docsymbols keeps the docs from rotting; `make check-docs` runs
// it, and so does `make test`. It fails, listing each problem as
// FILE:LINE: what is wrong and what to write, when:
//
//   - a README, doc, chapter or walkthrough cites code in backticks —
//     `backend/fake.Kernel`, `v1_2/daemon/networkdriver/bridge.setupIPTables`,
//     `backend.Host.Start` — that the package does not declare, or cites a
//     line number (`driver.go:123`, `#L123`), which goes stale with the
//     first edit above it (repo.go, scan.go, symbols.go);
//   - any file cites a .md file that is not in the repository (mdrefs.go);
//   - a chapter README lacks its title, its run commands or its section
//     table, or the chapter tables of README.md and README.zh.md disagree
//     with chapters/ (chapters.go);
//   - a header of v0_1/ or v1_2/ breaks the grammar of docs/design.md "File
//     headers", or names an upstream path that does not exist at its tag
//     (headers.go, upstream.go);
//   - docs/upstream-map.md is not what the headers generate, or an upstream
//     file is neither reproduced nor given a reason (upstreammap.go).
//
// Usage:
//
//	docsymbols [-root DIR]                       check (default: the current directory)
//	docsymbols [-root DIR] -write-upstream-map   regenerate docs/upstream-map.md, then check
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

func main() {
	root := flag.String("root", ".", "repository root")
	write := flag.Bool("write-upstream-map", false, "regenerate "+mapPath+" from the headers before checking")
	flag.Parse()

	if *write {
		if err := writeMap(*root); err != nil {
			fmt.Fprintln(os.Stderr, "docsymbols:", err)
			os.Exit(2)
		}
	}
	problems, checked, err := checkAll(*root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "docsymbols:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 {
		fmt.Printf("docsymbols: %d problem(s); %d code citation(s) checked\n", len(problems), checked)
		os.Exit(1)
	}
	fmt.Printf("docsymbols: %d code citation(s) declared; .md citations, chapter READMEs, headers and %s all in order\n", checked, mapPath)
}

// loadTrees reads the upstream file lists that exist.
func loadTrees(root string) (map[string]*Tree, error) {
	trees := map[string]*Tree{}
	for _, r := range releases {
		t, ok, err := loadTree(root, r.Version)
		if err != nil {
			return nil, err
		}
		if ok {
			trees[r.Version] = t
		}
	}
	return trees, nil
}

// checkAll runs every check and returns the problems in file order.
func checkAll(root string) ([]Problem, int, error) {
	problems, checked, err := checkRepo(root)
	if err != nil {
		return nil, 0, err
	}
	trees, err := loadTrees(root)
	if err != nil {
		return nil, 0, err
	}
	md, err := checkMDRefs(root, trees)
	if err != nil {
		return nil, 0, err
	}
	ch, err := checkChapters(root)
	if err != nil {
		return nil, 0, err
	}
	hs, hp, err := checkHeaders(root, trees)
	if err != nil {
		return nil, 0, err
	}
	text, mp, err := upstreamMap(root, trees, hs)
	if err != nil {
		return nil, 0, err
	}
	problems = append(problems, md...)
	problems = append(problems, ch...)
	problems = append(problems, hp...)
	problems = append(problems, mp...)
	problems = append(problems, checkMapFresh(root, text)...)
	sort.SliceStable(problems, func(i, j int) bool {
		if problems[i].File != problems[j].File {
			return problems[i].File < problems[j].File
		}
		return problems[i].Line < problems[j].Line
	})
	return problems, checked, nil
}

// writeMap regenerates docs/upstream-map.md from the headers as they are.
func writeMap(root string) error {
	trees, err := loadTrees(root)
	if err != nil {
		return err
	}
	hs, _, err := checkHeaders(root, trees)
	if err != nil {
		return err
	}
	text, _, err := upstreamMap(root, trees, hs)
	if err != nil || text == nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, mapPath), text, 0o644)
}
