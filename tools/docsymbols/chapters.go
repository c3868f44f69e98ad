// The shape of the chapter READMEs, and the chapter tables of the
// top-level READMEs. A chapter README (the English README and README.zh
// of a folder chapters/NN-name) opens with its title, shows how to run its demo in a
// fenced block (`dockerlab chapter N`), and has a table mapping the
// book's (or a note's) sections to the code. README.md and README.zh.md
// list every chapter folder, and a row says "planned" exactly when the
// folder does not exist yet.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

var (
	chapterDirRE  = regexp.MustCompile(`^\d\d-`)
	tableSepRE    = regexp.MustCompile(`^\|(\s*:?-{3,}:?\s*\|)+\s*$`)
	codeCellRE    = regexp.MustCompile("`(?:(?:v0_1|v1_2|backend|internal)[/.]|[^`]*\\.go`)")
	readmeRowRE   = regexp.MustCompile("`(chapters/\\d\\d-[^/`]+)/?`")
	plannedWordRE = regexp.MustCompile(`(?i)\bplanned\b|计划中`)
)

func chapterDirs(root string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(root, "chapters"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() && chapterDirRE.MatchString(e.Name()) {
			dirs = append(dirs, "chapters/"+e.Name())
		}
	}
	sort.Strings(dirs)
	return dirs, nil
}

// checkChapterREADME checks one chapter README's title, run commands and
// section table.
func checkChapterREADME(file, text string) []Problem {
	var probs []Problem
	lines := strings.Split(text, "\n")
	first := ""
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			first = l
			break
		}
	}
	if !strings.HasPrefix(first, "# ") {
		probs = append(probs, Problem{file, 1, "a chapter README opens with its title, `# Chapter N — … (书中标题)` (`# 第 N 章 …` in README.zh.md)"})
	}
	fenced, run := false, false
	table := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "```") {
			fenced = !fenced
			continue
		}
		if fenced && strings.Contains(l, "dockerlab chapter") {
			run = true
		}
		if !fenced && tableSepRE.MatchString(t) && i > 0 && strings.HasPrefix(strings.TrimSpace(lines[i-1]), "|") {
			for j := i + 1; j < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[j]), "|"); j++ {
				if codeCellRE.MatchString(lines[j]) {
					table = true
				}
			}
		}
	}
	if !run {
		probs = append(probs, Problem{file, 1, "no run commands: add a ```sh block with `dockerlab chapter N` (fake machine) and `sudo dockerlab --backend linux chapter N` (real kernel)"})
	}
	if !table {
		probs = append(probs, Problem{file, 1, "no section table: add a table `| § | Step | Where |` mapping the book's sections to the code (`v1_2/pkg.Symbol` in backticks)"})
	}
	return probs
}

// checkChapters checks every chapter README and the chapter tables of the
// top-level READMEs.
func checkChapters(root string) ([]Problem, error) {
	dirs, err := chapterDirs(root)
	if err != nil {
		return nil, err
	}
	var probs []Problem
	for _, d := range dirs {
		for _, name := range []string{"README.md", "README.zh.md"} {
			f := d + "/" + name
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
			if os.IsNotExist(err) {
				probs = append(probs, Problem{d, 0, fmt.Sprintf("the chapter has no %s: every chapter has a README in English and in 中文", name)})
				continue
			}
			if err != nil {
				return nil, err
			}
			probs = append(probs, checkChapterREADME(f, string(data))...)
		}
	}
	for _, readme := range []string{"README.md", "README.zh.md"} {
		data, err := os.ReadFile(filepath.Join(root, readme))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		probs = append(probs, checkChapterTable(root, readme, string(data), dirs)...)
	}
	return probs, nil
}

func checkChapterTable(root, readme, text string, dirs []string) []Problem {
	var probs []Problem
	listed := map[string]bool{}
	for i, l := range strings.Split(text, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "|") {
			continue
		}
		m := readmeRowRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		dir := m[1]
		listed[dir] = true
		_, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir)))
		exists := err == nil
		planned := plannedWordRE.MatchString(l)
		switch {
		case exists && planned:
			probs = append(probs, Problem{readme, i + 1, fmt.Sprintf("%s/ exists but its row says planned: give its demo command (`dockerlab chapter N`) instead", dir)})
		case !exists && !planned:
			probs = append(probs, Problem{readme, i + 1, fmt.Sprintf("%s/ does not exist: mark the row planned (计划中 in README.zh.md), or fix the folder name", dir)})
		}
	}
	for _, d := range dirs {
		if !listed[d] {
			probs = append(probs, Problem{readme, 0, fmt.Sprintf("the chapter map has no row for %s/: add one", d)})
		}
	}
	return probs
}
