//go:build !windows

// Package archivetest is the table of hostile tar archives every tar
// extraction in dockerlab is tested against (import, load, a graph
// layer, v0.1's Untar, the shared extractor itself), and the watchman
// that proves nothing outside the destination was written, changed,
// linked or deleted.
//
// Each case runs in a fresh sandbox: a temporary directory holding the
// caller's destination and, next to it, a sentinel directory ("outside")
// with a file, a directory and a file inside that. The archives aim at
// the sentinel in every way a tar can: symlinks to it (absolute, relative
// with more ".." than the path is deep, to "/" followed by its absolute
// path) and then files, directories, whiteouts, hard links, fifos and
// device nodes through them; ".." and absolute member names; hard links
// to it by name. After the extraction, everything under the sandbox but
// the destination must be exactly as before (type, mode, owner, size,
// times, content, link count, symlink target), and no file in the
// destination may share an inode with a sentinel file.
//
// Not upstream: Docker 1.3.2's pkg/archive breakout tests (commit
// ea361c0476, the CVE-2014-6407 fix) tried a similar list; this table and
// its checks are dockerlab's own.
package archivetest

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Entry is one tar member. Type is a tar.Type* flag (TypeReg when zero).
type Entry struct {
	Name, Link, Body string
	Type             byte
	Mode             int64
	Major, Minor     int64
}

// Case is one hostile archive. Check, when set, marks an archive that
// must unpack without error and looks at the result in the layer it was
// unpacked into.
type Case struct {
	Name    string
	Entries []Entry
	// Refused: the extraction must fail (".." member names, as Docker
	// 1.3.2 refused them). Other cases may fail or succeed; either way
	// nothing may leave the destination.
	Refused bool
	Check   func(t *testing.T, layer string)
}

// Sandbox is a case's temporary world.
type Sandbox struct {
	Base    string // holds the caller's destination and Outside
	Outside string // the sentinel directory next to the destination
}

// Victim is the sentinel's file the archives try to overwrite, delete
// and hard-link; Dir is its directory.
const (
	Victim = "victim"
	Dir    = "dir"
)

// newSandbox makes Base and the sentinel.
func newSandbox(t *testing.T) *Sandbox {
	base := t.TempDir()
	out := filepath.Join(base, "outside")
	require.NoError(t, os.MkdirAll(filepath.Join(out, Dir), 0755))
	require.NoError(t, os.WriteFile(filepath.Join(out, Victim), []byte("host data\n"), 0644))
	require.NoError(t, os.WriteFile(filepath.Join(out, Dir, "keep"), []byte("keep\n"), 0644))
	return &Sandbox{Base: base, Outside: out}
}

// up is more ".." than any destination is deep: from anywhere it reaches
// "/" (where ".." stays "/"), so up+Outside names the sentinel.
var up = strings.Repeat("../", 40)

// Cases is the table, aimed at sb's sentinel.
func Cases(sb *Sandbox) []Case {
	abs := sb.Outside                        // /tmp/…/outside
	rel := up + strings.TrimPrefix(abs, "/") // ../../…/tmp/…/outside
	noSlash := strings.TrimPrefix(abs, "/")  // tmp/…/outside
	sym := func(name, target string) Entry { return Entry{Name: name, Type: tar.TypeSymlink, Link: target} }
	file := func(name, body string) Entry { return Entry{Name: name, Body: body} }
	hard := func(name, target string) Entry { return Entry{Name: name, Type: tar.TypeLink, Link: target} }
	dir := func(name string) Entry { return Entry{Name: name, Type: tar.TypeDir, Mode: 0777} }
	return []Case{
		{Name: "symlink-abs-then-file", Entries: []Entry{sym("s", abs), file("s/evil", "pwned")},
			Check: func(t *testing.T, layer string) {
				// As in a chroot: "/" is the destination's top.
				b, err := os.ReadFile(filepath.Join(layer, noSlash, "evil"))
				require.NoError(t, err, "the file lands where the symlink leads inside the destination")
				assert.Equal(t, "pwned", string(b))
			}},
		{Name: "symlink-rel-then-file", Entries: []Entry{sym("s", rel), file("s/evil", "pwned")}},
		{Name: "symlink-then-overwrite", Entries: []Entry{sym("s", abs), file("s/"+Victim, "pwned")}},
		{Name: "symlink-then-whiteout", Entries: []Entry{sym("s", abs), file("s/.wh."+Victim, "")}},
		{Name: "symlink-then-whiteout-dir", Entries: []Entry{sym("s", rel), file("s/.wh."+Dir, "")}},
		{Name: "whiteout-of-symlink", Entries: []Entry{sym("s", abs+"/"+Victim), sym("d", abs), file(".wh.s", ""), file(".wh.d", "")}},
		{Name: "symlink-then-mkdir", Entries: []Entry{sym("s", abs), dir("s/newdir/"), file("s/newdir/f", "pwned"), dir("s/" + Dir + "/")}},
		{Name: "symlink-chain-then-file", Entries: []Entry{sym("a", "b"), sym("b", abs), file("a/evil", "pwned")}},
		{Name: "symlink-to-root-then-file", Entries: []Entry{sym("r", "/"), file("r/"+noSlash+"/evil", "pwned")}},
		{Name: "symlink-to-root-then-hardlink", Entries: []Entry{sym("r", "/"), hard("h", "r/"+noSlash+"/"+Victim)}},
		{Name: "symlink-to-file-then-hardlink", Entries: []Entry{sym("v", abs+"/"+Victim), hard("h", "v")}},
		{Name: "hardlink-absolute-target", Entries: []Entry{hard("h", abs+"/"+Victim)}},
		{Name: "hardlink-dotdot-target", Entries: []Entry{hard("h", rel+"/"+Victim)}, Refused: true},
		{Name: "dotdot-name", Entries: []Entry{file(rel+"/evil", "pwned")}, Refused: true},
		{Name: "dotdot-inside-name", Entries: []Entry{dir("a/"), file("a/"+rel+"/evil", "pwned")}, Refused: true},
		{Name: "whiteout-of-dotdot", Entries: []Entry{dir("a/"), file("a/.wh...", "")}},
		{Name: "whiteout-of-parent", Entries: []Entry{file(".wh...", "")}},
		{Name: "whiteout-of-dot", Entries: []Entry{file("keep", "k"), file(".wh..", "")}},
		{Name: "absolute-name", Entries: []Entry{file(abs+"/evil", "pwned"), file(abs+"/"+Victim, "pwned")}},
		{Name: "dir-then-symlink-over-it", Entries: []Entry{dir("d/"), file("d/f", "x"), sym("d", abs), file("d/evil", "pwned")}},
		{Name: "dir-mtime-through-late-symlink", Entries: []Entry{dir("d/"), sym("d", rel+"/"+Dir)}},
		{Name: "fifo-through-symlink", Entries: []Entry{sym("s", abs), {Name: "s/fifo", Type: tar.TypeFifo, Mode: 0644}}},
		{Name: "device-nodes", Entries: []Entry{
			{Name: "dev/mem", Type: tar.TypeChar, Mode: 0666, Major: 1, Minor: 1},
			sym("s", abs),
			{Name: "s/null", Type: tar.TypeChar, Mode: 0666, Major: 1, Minor: 3},
			{Name: "s/sda", Type: tar.TypeBlock, Mode: 0666, Major: 8, Minor: 0},
		}},
		{Name: "symlink-loop", Entries: []Entry{sym("a", "b"), sym("b", "a"), file("a/x", "x")}},
		{Name: "file-dir-file", Entries: []Entry{file("x", "1"), dir("x/"), file("x/y", "inner"), file("x", "2")},
			Check: func(t *testing.T, layer string) {
				b, err := os.ReadFile(filepath.Join(layer, "x"))
				require.NoError(t, err, "the last entry for x is a file")
				assert.Equal(t, "2", string(b))
			}},
		{Name: "symlink-replaced-by-file", Entries: []Entry{sym(Victim, abs+"/"+Victim), file(Victim, "mine")},
			Check: func(t *testing.T, layer string) {
				fi, err := os.Lstat(filepath.Join(layer, Victim))
				require.NoError(t, err)
				assert.True(t, fi.Mode().IsRegular(), "the file replaces the symlink instead of writing through it")
			}},
	}
}

// Tar builds the archive of entries.
func Tar(t testing.TB, entries []Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{Name: e.Name, Linkname: e.Link, Typeflag: e.Type, Mode: e.Mode,
			Devmajor: e.Major, Devminor: e.Minor, Format: tar.FormatPAX}
		if hdr.Typeflag == 0 {
			hdr.Typeflag = tar.TypeReg
		}
		if hdr.Mode == 0 {
			hdr.Mode = 0644
		}
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(e.Body))
		}
		require.NoError(t, tw.WriteHeader(hdr))
		if hdr.Typeflag == tar.TypeReg {
			_, err := tw.Write([]byte(e.Body))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	return buf.Bytes()
}

// Setup prepares one case's destination in sb.Base. It returns the
// directory the extraction may change (the destination, or a whole graph
// root) and the extraction itself, which returns the directory holding
// the unpacked files (for Case.Check; "" skips the check) and its error.
type Setup func(t *testing.T, sb *Sandbox) (inside string, extract func(archive []byte) (layer string, err error))

// Run runs every case, each in a fresh sandbox made ready by setup.
func Run(t *testing.T, setup Setup) {
	for _, c := range Cases(&Sandbox{Outside: "/OUTSIDE"}) { // names only
		t.Run(c.Name, func(t *testing.T) {
			sb := newSandbox(t)
			c := findCase(Cases(sb), c.Name)
			inside, extract := setup(t, sb)
			before := sb.snapshot(t, inside)
			layer, err := extract(Tar(t, c.Entries))
			if err != nil {
				t.Logf("refused: %v", err)
			}
			assert.Equal(t, before, sb.snapshot(t, inside), "something outside %s was written, changed or deleted", inside)
			assert.DirExists(t, inside, "the destination itself must survive")
			sb.noSharedInodes(t, inside)
			if c.Refused {
				assert.Error(t, err, "an archive member outside the destination must be refused")
			}
			if c.Check != nil {
				require.NoError(t, err, "a legitimate archive")
				if layer != "" {
					c.Check(t, layer)
				}
			}
		})
	}
}

func findCase(cs []Case, name string) Case {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	panic("archivetest: no case " + name)
}

func relOrEmpty(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil || strings.HasPrefix(r, "..") {
		return "\x00" // not under base: excludes nothing
	}
	return r
}

func within(p, dir string) bool {
	return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator))
}

// isAncestor: p is a directory above dir (its mtime changes whenever
// something is made in dir, which is allowed).
func isAncestor(p, dir string) bool {
	return p != dir && (p == "." || strings.HasPrefix(dir, p+string(filepath.Separator)))
}

// snapshot describes everything under Base except the subtree skip.
func (sb *Sandbox) snapshot(t *testing.T, skip string) map[string]string {
	t.Helper()
	skipRel := relOrEmpty(sb.Base, skip)
	out := map[string]string{}
	err := filepath.WalkDir(sb.Base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == sb.Base && os.IsNotExist(err) {
				return nil // deleted whole: the empty snapshot differs from any other
			}
			return err
		}
		rel, _ := filepath.Rel(sb.Base, p)
		if within(rel, skipRel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		desc := fmt.Sprintf("%v size=%d mtime=%d", fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			desc += fmt.Sprintf(" uid=%d gid=%d ino=%d nlink=%d", st.Uid, st.Gid, st.Ino, st.Nlink)
		}
		if isAncestor(rel, skipRel) {
			// It holds the destination, whose entries may change (and
			// with them its times); that it stays is checked by Run.
			out[rel] = fi.Mode().String()
			return nil
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			desc += " -> " + target
		case fi.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" sha256=%x", sha256.Sum256(b))
		}
		out[rel] = desc
		return nil
	})
	require.NoError(t, err)
	return out
}

// noSharedInodes fails when a file under inside is a hard link to a
// sentinel file (a container would then read or change the host's file).
func (sb *Sandbox) noSharedInodes(t *testing.T, inside string) {
	t.Helper()
	host := map[uint64]string{}
	filepath.WalkDir(sb.Outside, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			if fi, err := os.Lstat(p); err == nil {
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					host[st.Ino] = p
				}
			}
		}
		return nil
	})
	var shared []string
	filepath.WalkDir(inside, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			if fi, err := os.Lstat(p); err == nil {
				if st, ok := fi.Sys().(*syscall.Stat_t); ok {
					if h, ok := host[st.Ino]; ok && sameDevice(p, h) {
						shared = append(shared, p+" = "+h)
					}
				}
			}
		}
		return nil
	})
	sort.Strings(shared)
	assert.Empty(t, shared, "files inside the destination that are the sentinel's own inodes")
}

func sameDevice(a, b string) bool {
	fa, errA := os.Lstat(a)
	fb, errB := os.Lstat(b)
	if errA != nil || errB != nil {
		return false
	}
	sa, okA := fa.Sys().(*syscall.Stat_t)
	sb, okB := fb.Sys().(*syscall.Stat_t)
	return okA && okB && sa.Dev == sb.Dev
}

// Nobody is the ordinary user AsOrdinaryUser runs the tests as.
const Nobody = 65534

// AsOrdinaryUser runs, as root, this test binary again as the user
// nobody with -test.run pattern, and fails if those tests fail: the
// hostile table must hold for an extraction without root too (no chown,
// no device nodes, read-only directories that must stay writable while
// they fill). Without root it skips: the table has just run as this user.
func AsOrdinaryUser(t *testing.T, pattern string) {
	if os.Geteuid() != 0 {
		t.Skipf("running as uid %d already: the hostile archives ran as an ordinary user", os.Geteuid())
	}
	// The binary may sit in a directory only root can enter (go test's
	// work dir): copy it where nobody can run it.
	dir, err := os.MkdirTemp("", "archivetest-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	require.NoError(t, os.Chmod(dir, 0755))
	self, err := os.Executable()
	require.NoError(t, err)
	data, err := os.ReadFile(self)
	require.NoError(t, err)
	bin := filepath.Join(dir, filepath.Base(self))
	require.NoError(t, os.WriteFile(bin, data, 0755))
	tmp := filepath.Join(dir, "tmp")
	require.NoError(t, os.Mkdir(tmp, 0700))
	require.NoError(t, os.Chown(tmp, Nobody, Nobody))
	cmd := exec.Command(bin, "-test.run", pattern, "-test.v", "-test.count=1")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "HOME="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: Nobody, Gid: Nobody, Groups: []uint32{}}}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the hostile archives as uid %d:\n%s", Nobody, out)
	assert.Contains(t, string(out), "--- PASS", "the tests ran as uid %d:\n%s", Nobody, out)
	t.Logf("as uid %d: %d cases passed", Nobody, strings.Count(string(out), "    --- PASS"))
}
