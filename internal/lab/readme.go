package lab

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/dockerlab/dockerlab/lab"
)

// The generated parts of the chapter READMEs and of docs/teaching.md:
//
//	<!-- lab:exercises -->          the table of the chapter's exercises,
//	…                               then for each one what `dockerlab lab
//	<!-- /lab:exercises -->         check ID` prints when it passes (on
//	                                the fake kernel, as a normal user)
//
// docs/teaching.md has one table of every exercise, between
// <!-- lab:exercises all --> and <!-- /lab:exercises -->.
// `go test ./internal/lab -run TestDocs -update` rewrites them all.

const (
	tableBegin = "<!-- lab:exercises -->"
	tableAll   = "<!-- lab:exercises all -->"
	tableEnd   = "<!-- /lab:exercises -->"
)

// ExpectedOutput is what `lab check ID` prints when the exercise passes on
// the fake kernel: vet ok, every test Passed, the _Linux ones skipped.
func (l *Lab) ExpectedOutput(e *Entry) string {
	vet, _ := l.dirsOf(e.ID)
	er := &ExerciseReport{ID: e.ID, Chapter: e.Chapter.ID, Title: e.Title.En, TitleZh: e.Title.Zh, Book: e.Book,
		Backend: string(e.Backend), entry: e, vetRun: true, vetOK: true, vetPkg: vet, Status: StatusPassed}
	passed := 0
	for _, tf := range l.testsOf(e.ID) {
		if tf.Linux {
			er.Tests = append(er.Tests, TestReport{Name: tf.Name, Result: "skip", Reason: linuxOnlyReason})
		} else {
			er.Tests = append(er.Tests, TestReport{Name: tf.Name, Result: "pass"})
			passed++
		}
	}
	for _, w := range e.Walkthroughs {
		er.Tests = append(er.Tests, TestReport{Name: "TestWalkthroughs/" + strings.TrimSuffix(w, ".txtar"), Result: "pass"})
		passed++
	}
	if passed == 0 {
		er.Status, er.Message = StatusSkipped, "a linux-only exercise: "+linuxOnlyReason
	}
	var b bytes.Buffer
	l.renderOne(&b, er, false)
	return b.String()
}

// checkBlock is the fenced block a README holds for an exercise.
func (l *Lab) checkBlock(e *Entry, output string) string {
	return "<!-- lab:check " + e.ID + " -->\n```text\n$ dockerlab lab check " + e.ID + "\n" + output + "```\n"
}

// exerciseTable is the Markdown table of some exercises.
func (l *Lab) exerciseTable(entries []*Entry, withChapter bool) string {
	var b strings.Builder
	if withChapter {
		b.WriteString("| Ch. | Exercise / 练习 | 《Docker源码分析》 | ★ | Backend | Code |\n|---|---|---|---|---|---|\n")
	} else {
		b.WriteString("| Exercise / 练习 | 《Docker源码分析》 | ★ | Backend | Code |\n|---|---|---|---|---|\n")
	}
	for _, e := range entries {
		var code []string
		seen := map[string]bool{}
		for _, s := range l.Index.ByID[e.ID] {
			c := "`" + s.Dir() + "." + s.Func + "`"
			if s.Kind == RegionSite {
				c += " (part)"
			}
			if !seen[c] {
				seen[c] = true
				code = append(code, c)
			}
		}
		if withChapter {
			fmt.Fprintf(&b, "| %s ", e.Chapter.ID)
		}
		fmt.Fprintf(&b, "| `%s` %s / %s | %s | %s | %s | %s |\n",
			e.ID, e.Title.Zh, e.Title.En, e.Book, strings.Repeat("★", e.Difficulty), e.Backend, strings.Join(code, ", "))
	}
	return b.String()
}

// chapterEntries are a chapter's exercises.
func (l *Lab) chapterEntries(ch *lab.Chapter) []*Entry {
	var out []*Entry
	for _, e := range l.Reg.Entries {
		if e.Chapter == ch {
			out = append(out, e)
		}
	}
	return out
}

// UpdateReadme rewrites the generated part of a chapter README (its
// content given): between the markers, the table of the chapter's
// exercises and, for each, what `lab check` prints when it passes
// (outputs, by ID).
func (l *Lab) UpdateReadme(name, content string, ch *lab.Chapter, outputs map[string]string) (string, error) {
	entries := l.chapterEntries(ch)
	var b strings.Builder
	b.WriteString(l.exerciseTable(entries, false))
	b.WriteString("\nWhen an exercise passes, `dockerlab lab check ID` prints this (fake kernel, normal user) /\n")
	b.WriteString("练习通过时 `dockerlab lab check ID` 的输出（fake 内核、普通用户）：\n")
	for _, e := range entries {
		b.WriteString("\n" + l.checkBlock(e, outputs[e.ID]))
	}
	return replaceTable(name, content, tableBegin, b.String())
}

// replaceTable puts table between begin and the end marker.
func replaceTable(name, content, begin, table string) (string, error) {
	i := strings.Index(content, begin)
	if i < 0 {
		return "", fmt.Errorf("%s has no %s … %s section: add those two lines where the exercise table goes", name, begin, tableEnd)
	}
	j := strings.Index(content[i:], tableEnd)
	if j < 0 {
		return "", fmt.Errorf("%s: %s without %s", name, begin, tableEnd)
	}
	return content[:i] + begin + "\n" + table + content[i+j:], nil
}

// DocFile is one generated document and what it should hold.
type DocFile struct {
	Path      string // slash path from the root
	Have      string
	Want      string
	Generated bool // whether Want could be computed
	Err       error
}

// Docs computes the generated parts of every chapter README (both
// languages) and docs/teaching.md (both languages), with the expected
// outputs given (nil: the static ExpectedOutput).
func (l *Lab) Docs(outputs map[string]string) []DocFile {
	if outputs == nil {
		outputs = map[string]string{}
		for _, e := range l.Reg.Entries {
			outputs[e.ID] = l.ExpectedOutput(e)
		}
	}
	var docs []DocFile
	add := func(p string, want func(have string) (string, error)) {
		d := DocFile{Path: p}
		data, err := os.ReadFile(l.Tree.Abs(p))
		if err == nil {
			d.Have = string(data)
			d.Want, err = want(d.Have)
		}
		d.Err = err
		docs = append(docs, d)
	}
	for _, ch := range l.Reg.Chapters {
		for _, name := range []string{"README.md", "README.zh.md"} {
			p := path.Join(ch.Dir, name)
			add(p, func(have string) (string, error) { return l.UpdateReadme(p, have, ch, outputs) })
		}
	}
	for _, p := range []string{"docs/teaching.md", "docs/teaching.zh.md"} {
		add(p, func(have string) (string, error) {
			return replaceTable(p, have, tableAll, l.exerciseTable(l.Reg.Entries, true))
		})
	}
	return docs
}
