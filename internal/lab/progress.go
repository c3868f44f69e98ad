package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/renameio"
)

// StudentManifest is .lab/manifest.json of a student tree: which exercises
// it was made for, by which tool, and the SHA-256 of every file a grade
// depends on (tests, testdata, walkthroughs), so that `lab check` notices
// an edited test.
type StudentManifest struct {
	Tool      string            `json:"tool"`
	Exercises []string          `json:"exercises"`
	SHA256    map[string]string `json:"sha256"`
}

const (
	labDir       = ".lab"
	manifestFile = ".lab/manifest.json"
	progressFile = ".lab/progress.json"
)

func (t *Tree) loadStudentManifest() error {
	data, err := os.ReadFile(t.Abs(manifestFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var m StudentManifest
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("%s: %v (restore it from your teacher's copy of the exercises)", manifestFile, err)
	}
	t.Student = &m
	return nil
}

// Scope is the set of exercises this tree is for: a student tree's
// selection, or nil (every exercise) in a full clone.
func (t *Tree) Scope() map[string]bool {
	if t.Student == nil {
		return nil
	}
	m := map[string]bool{}
	for _, id := range t.Student.Exercises {
		m[id] = true
	}
	return m
}

// isGradedFile: the files whose hashes a student manifest keeps.
func isGradedFile(rel string) bool {
	if strings.HasSuffix(rel, "_test.go") || strings.HasPrefix(rel, "walkthroughs/") {
		return true
	}
	return strings.Contains("/"+rel, "/testdata/")
}

func fileSHA256(p string) (string, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// ModifiedTests compares the graded files with the student manifest and
// lists those changed or removed ("path (changed)", "path (removed)").
func (t *Tree) ModifiedTests() []string {
	if t.Student == nil {
		return nil
	}
	var out []string
	for p, want := range t.Student.SHA256 {
		got, err := fileSHA256(t.Abs(p))
		switch {
		case err != nil:
			out = append(out, p+" (removed)")
		case got != want:
			out = append(out, p+" (changed)")
		}
	}
	sort.Strings(out)
	return out
}

// Progress is .lab/progress.json: a cache of what `lab check` found and
// how many hints were shown. It is never the truth (the code and the
// tests are); `lab check --all` rebuilds it. It is gitignored.
type Progress struct {
	Exercises map[string]*ProgressEntry `json:"exercises"`
}

// ProgressEntry is one exercise's record.
type ProgressEntry struct {
	Status    string    `json:"status,omitempty"` // passed, failed, not started
	Checked   time.Time `json:"checked,omitzero"`
	EverPass  bool      `json:"ever_passed,omitempty"`
	HintsSeen int       `json:"hints_seen,omitempty"`
}

// LoadProgress reads the progress file; a missing or unreadable one is
// an empty record (it is only a cache).
func (t *Tree) LoadProgress() *Progress {
	p := &Progress{Exercises: map[string]*ProgressEntry{}}
	if data, err := os.ReadFile(t.Abs(progressFile)); err == nil {
		json.Unmarshal(data, p)
		if p.Exercises == nil {
			p.Exercises = map[string]*ProgressEntry{}
		}
	}
	return p
}

// Entry returns (creating) the record of id.
func (p *Progress) Entry(id string) *ProgressEntry {
	e := p.Exercises[id]
	if e == nil {
		e = &ProgressEntry{}
		p.Exercises[id] = e
	}
	return e
}

// SaveProgress writes the progress file atomically.
func (t *Tree) SaveProgress(p *Progress) error {
	data, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(t.Abs(progressFile), append(data, '\n'), 0o644)
}

// writeFileAtomic writes through a temporary file and a rename
// (go-internal's renameio), so a crash never leaves half a file.
func writeFileAtomic(p string, data []byte, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	if err := renameio.WriteFile(p, data); err != nil {
		return err
	}
	return os.Chmod(p, mode)
}
