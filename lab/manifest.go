package lab

import "io/fs"

// Chapter is one chapter's exercise manifest. Each chapter package that
// has exercises declares one, in its lab.go, as `var Lab = lab.Chapter{…}`,
// and internal/lab lists those variables (docs/teaching.md, "Authors'
// guide"). Being Go, a manifest is type-checked by every build.
type Chapter struct {
	// ID is "ch06"; the prologue about Docker 0.1.0 is "ch00".
	ID string
	// Dir is the chapter's folder, slash-separated, from the repository
	// root: "chapters/06-daemon-network". Its README.md and README.zh.md
	// list the exercises and hold each one's expected output.
	Dir string
	// Title is the chapter's title, as `dockerlab lab list` prints it.
	Title Text
	// Files holds the chapter's hint files, embedded with
	//
	//	//go:embed lab/hints
	//	var labFiles embed.FS
	//
	// so that hints work offline and from any directory. A hint file is
	// lab/hints/ named after the exercise, one per language (for example
	// chapters/06-daemon-network/lab/hints/ch06.request-ip.zh.md).
	Files fs.FS
	// Exercises, in the order a student should do them.
	Exercises []Exercise
}

// Exercise describes one exercise. What it stubs is not listed here: the
// tool finds it from the //lab:exercise and //lab:begin markers in the
// code, and its tests from their names (TestCh06SetupIptables…).
type Exercise struct {
	// ID is "chNN.kebab-name". It never changes once published: progress
	// files, grade reports and hints are keyed by it.
	ID string
	// Book is the section of 《Docker源码分析》 the exercise is about, such
	// as "§6.4"; for the prologue, the upstream file ("v0.1.0 network.go").
	Book string
	// Notes cites the readers' notes where a section covers the code:
	// `000 "设置iptables规则"` (note number, section title). Optional.
	Notes string
	// Title in both languages.
	Title Text
	// Difficulty is 1 (a few lines), 2 (a function) or 3 (a function with
	// a subtle point).
	Difficulty int
	// Backend says where the exercise's tests can pass: Fake (pure logic or
	// the fake kernel), Both (the fake, and the real kernel with
	// `lab check --backend linux`), Linux (real kernel only; on the fake
	// every test of it skips, saying why).
	Backend Backend
	// Walkthroughs are walkthroughs/*.txtar scripts (file names) that `lab
	// check` also runs for this exercise. Optional; they are slower than
	// unit tests because they build the dockerlab binary.
	Walkthroughs []string
}

// Text is a string in 中文 and English.
type Text struct {
	Zh, En string
}

// Backend is where an exercise's tests run: "fake", "both" or "linux".
type Backend string

// The three backends an exercise can name.
const (
	Fake  Backend = "fake"
	Both  Backend = "both"
	Linux Backend = "linux"
)
