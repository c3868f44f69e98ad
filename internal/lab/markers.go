package lab

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// The markers, all Go directive comments (no space after //, so gofmt keeps
// them and godoc hides them):
//
//	in a function's doc comment:  lab:exercise ID    the whole body is the exercise
//	                              lab:stub STATEMENT the stub's statements (optional, repeatable)
//	inside a function body:       lab:begin ID       a region of whole statements…
//	                              lab:stub STATEMENT …its stub, on the lines right after begin
//	                              lab:end ID         …ends here
const markerPrefix = "//lab:"

// idPattern is the shape of an exercise ID: chNN.kebab-name.
var idPattern = regexp.MustCompile(`^ch[0-9][0-9]\.[a-z0-9]+(-[a-z0-9]+)*$`)

// SiteKind is what a marker stubs.
type SiteKind int

const (
	FuncSite   SiteKind = iota // a whole function body (//lab:exercise)
	RegionSite                 // the statements between //lab:begin and //lab:end
)

// Site is one place an exercise removes code: a function body or a region.
// Start and End are byte offsets into the file of the text a stub
// replaces: between the braces of a body, or the whole lines between a
// region's header (begin and its stub lines) and its end marker.
type Site struct {
	ID      string
	Kind    SiteKind
	File    string // slash path relative to the tree root
	Func    string // "IPAllocator.populate", "setupIPTables"
	Line    int    // line of the marker
	Ordinal int    // 0 for the first region of this ID in this function, 1 for the next…
	Start   int
	End     int
	// Stub holds the //lab:stub statements, verbatim; empty means the
	// default stub.
	Stub []string
	// AtEnd: nothing follows the site in the function body, so the stub
	// may end the function (return or panic).
	AtEnd bool
	// LastErr: the function's last result is error.
	LastErr bool
	// Zeros are the zero values of the function's results, as Go source,
	// the error included (nil).
	Zeros []string
	// FirstStmtLine is the line of the site's first statement in the
	// original (for messages).
	FirstStmtLine int
}

// Dir is the site's package directory, slash-separated.
func (s *Site) Dir() string { return path.Dir(s.File) }

// Key identifies a site across versions of a file (the working copy, git's
// HEAD, a stubbed copy).
func (s *Site) Key() string {
	kind := "func"
	if s.Kind == RegionSite {
		kind = fmt.Sprintf("region%d", s.Ordinal)
	}
	return s.ID + " " + s.File + " " + s.Func + " " + kind
}

// Where is "file:line (Func)" for messages.
func (s *Site) Where() string {
	return fmt.Sprintf("%s:%d (%s)", s.File, s.Line, s.Func)
}

// MarkerError is a badly formed marker, with its place.
type MarkerError struct {
	File string
	Line int
	Msg  string
}

func (e *MarkerError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// hasMarkers is the cheap test run on every .go file before parsing it.
func hasMarkers(src []byte) bool { return bytes.Contains(src, []byte(markerPrefix)) }

// ScanFile finds the exercise sites of one Go file. zr computes the zero
// values of the results (it may be nil: then Zeros stay empty).
func ScanFile(rel string, src []byte, zr *zeroResolver) ([]*Site, error) {
	if !hasMarkers(src) {
		return nil, nil
	}
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, rel, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	tf := fset.File(file.Pos())
	off := func(p token.Pos) int { return tf.Offset(p) }
	line := func(p token.Pos) int { return tf.Line(p) }
	bad := func(p token.Pos, format string, args ...any) error {
		return &MarkerError{File: rel, Line: line(p), Msg: fmt.Sprintf(format, args...)}
	}

	// Every //lab: comment, checked against the place it sits in.
	type directive struct {
		c         *ast.Comment
		verb, arg string
	}
	var all []directive
	for _, g := range file.Comments {
		for _, c := range g.List {
			if !strings.HasPrefix(c.Text, markerPrefix) {
				continue
			}
			verb, arg, _ := strings.Cut(strings.TrimPrefix(c.Text, markerPrefix), " ")
			arg = strings.TrimSpace(arg)
			switch verb {
			case "exercise", "begin", "end":
				if !idPattern.MatchString(arg) {
					return nil, bad(c.Pos(), "//lab:%s %q: an exercise ID is chNN.kebab-name, e.g. ch06.setup-iptables", verb, arg)
				}
			case "stub":
				if arg == "" {
					return nil, bad(c.Pos(), "//lab:stub needs a statement after it")
				}
			default:
				return nil, bad(c.Pos(), "unknown marker //lab:%s (the markers are //lab:exercise, //lab:begin, //lab:end and //lab:stub)", verb)
			}
			all = append(all, directive{c, verb, arg})
		}
	}
	used := map[*ast.Comment]bool{}
	var sites []*Site

	for _, decl := range file.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok {
			continue
		}
		fname := funcName(fd)
		results, lastErr := resultInfo(fd, src, off, zr, file, rel)
		var exercise *Site
		if fd.Doc != nil {
			for _, d := range all {
				if d.c.Pos() < fd.Doc.Pos() || d.c.End() > fd.Doc.End() {
					continue
				}
				used[d.c] = true
				switch d.verb {
				case "exercise":
					if exercise != nil {
						return nil, bad(d.c.Pos(), "%s has two //lab:exercise markers: one function belongs to one exercise", fname)
					}
					if fd.Body == nil {
						return nil, bad(d.c.Pos(), "//lab:exercise on %s, which has no body", fname)
					}
					exercise = &Site{
						ID: d.arg, Kind: FuncSite, File: rel, Func: fname, Line: line(d.c.Pos()),
						Start: off(fd.Body.Lbrace) + 1, End: off(fd.Body.Rbrace),
						AtEnd: true, LastErr: lastErr, Zeros: results,
					}
					exercise.FirstStmtLine = line(fd.Body.Lbrace)
					if len(fd.Body.List) > 0 {
						exercise.FirstStmtLine = line(fd.Body.List[0].Pos())
					}
				case "stub":
					if exercise == nil {
						return nil, bad(d.c.Pos(), "//lab:stub in the doc comment of %s comes before (or without) its //lab:exercise", fname)
					}
					exercise.Stub = append(exercise.Stub, d.arg)
				default:
					return nil, bad(d.c.Pos(), "//lab:%s belongs inside a function body, not in a doc comment", d.verb)
				}
			}
		}
		if exercise != nil {
			sites = append(sites, exercise)
		}
		if fd.Body == nil {
			continue
		}
		// Regions, in order of position.
		var open *Site
		var openPos token.Pos
		lastHeaderLine := 0
		ordinals := map[string]int{}
		for _, d := range all {
			if d.c.Pos() < fd.Body.Lbrace || d.c.End() > fd.Body.Rbrace {
				continue
			}
			used[d.c] = true
			if !aloneOnLine(src, off(d.c.Pos())) {
				return nil, bad(d.c.Pos(), "//lab:%s must be alone on its line", d.verb)
			}
			switch d.verb {
			case "exercise":
				return nil, bad(d.c.Pos(), "//lab:exercise goes in the doc comment of a function; inside a body use //lab:begin and //lab:end")
			case "begin":
				if exercise != nil {
					return nil, bad(d.c.Pos(), "%s is a whole-function exercise (%s); it cannot also hold a region", fname, exercise.ID)
				}
				if open != nil {
					return nil, bad(d.c.Pos(), "//lab:begin %s inside the region %s (line %d): regions do not nest", d.arg, open.ID, open.Line)
				}
				open = &Site{ID: d.arg, Kind: RegionSite, File: rel, Func: fname, Line: line(d.c.Pos()), LastErr: lastErr, Zeros: results}
				openPos = d.c.Pos()
				lastHeaderLine = line(d.c.Pos())
			case "stub":
				if open == nil || line(d.c.Pos()) != lastHeaderLine+1 || open.Start != 0 {
					return nil, bad(d.c.Pos(), "//lab:stub inside a body must be on the lines right after its //lab:begin")
				}
				open.Stub = append(open.Stub, d.arg)
				lastHeaderLine++
			case "end":
				if open == nil {
					return nil, bad(d.c.Pos(), "//lab:end %s without a //lab:begin", d.arg)
				}
				if d.arg != open.ID {
					return nil, bad(d.c.Pos(), "//lab:end %s closes the region //lab:begin %s (line %d)", d.arg, open.ID, open.Line)
				}
				open.Start = lineStartAfter(src, lastHeaderLine, tf)
				open.End = lineStart(src, off(d.c.Pos()))
				if err := checkRegion(fd, open, openPos, d.c.Pos(), off, line); err != nil {
					return nil, &MarkerError{File: rel, Line: open.Line, Msg: err.Error()}
				}
				open.Ordinal = ordinals[open.ID]
				ordinals[open.ID]++
				sites = append(sites, open)
				open = nil
			}
		}
		if open != nil {
			return nil, bad(openPos, "//lab:begin %s has no //lab:end %s in %s", open.ID, open.ID, fname)
		}
	}
	for _, d := range all {
		if !used[d.c] {
			return nil, bad(d.c.Pos(), "//lab:%s is outside any function: markers go in a function's doc comment or body", d.verb)
		}
	}
	return sites, nil
}

// checkRegion makes sure a region is a run of whole statements of one
// block, and records whether it ends the function.
func checkRegion(fd *ast.FuncDecl, s *Site, begin, end token.Pos, off func(token.Pos) int, line func(token.Pos) int) error {
	var list []ast.Stmt
	isBody := false
	// The innermost statement list around both markers: deeper nodes
	// are visited later and win.
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if n == nil || n.Pos() > begin || n.End() < end {
			return false
		}
		switch n := n.(type) {
		case *ast.BlockStmt:
			list, isBody = n.List, n == fd.Body
		case *ast.CaseClause:
			list, isBody = n.Body, false
		case *ast.CommClause:
			list, isBody = n.Body, false
		}
		return true
	})
	inside := 0
	after := false
	for _, st := range list {
		p, e := off(st.Pos()), off(st.End())
		switch {
		case e <= s.Start:
		case p >= s.End:
			after = true
		case p >= s.Start && e <= s.End:
			if inside == 0 {
				s.FirstStmtLine = line(st.Pos())
			}
			inside++
		default:
			return fmt.Errorf("region %s cuts the statement at line %d in two: //lab:begin and //lab:end must enclose whole statements of one block", s.ID, line(st.Pos()))
		}
	}
	if inside == 0 {
		return fmt.Errorf("region %s holds no statement of the block it is in (begin and end must be in the same block, around whole statements)", s.ID)
	}
	s.AtEnd = isBody && !after
	return nil
}

// aloneOnLine: only blanks between the start of the line and offset.
func aloneOnLine(src []byte, offset int) bool {
	i := offset
	for i > 0 && src[i-1] != '\n' {
		i--
		if src[i] != ' ' && src[i] != '\t' {
			return false
		}
	}
	return true
}

// lineStart is the offset of the start of the line holding offset.
func lineStart(src []byte, offset int) int {
	for offset > 0 && src[offset-1] != '\n' {
		offset--
	}
	return offset
}

// lineStartAfter is the offset of the start of the line after line n.
func lineStartAfter(src []byte, n int, tf *token.File) int {
	if n >= tf.LineCount() {
		return len(src)
	}
	return tf.Offset(tf.LineStart(n + 1))
}

// funcName is "Recv.Name" for methods (pointer and type parameters
// dropped) and "Name" for functions.
func funcName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return fd.Name.Name
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.ParenExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// resultInfo lists the zero values of fd's results and whether the last
// one is error.
func resultInfo(fd *ast.FuncDecl, src []byte, off func(token.Pos) int, zr *zeroResolver, file *ast.File, rel string) ([]string, bool) {
	if fd.Type.Results == nil {
		return nil, false
	}
	var types []ast.Expr
	for _, f := range fd.Type.Results.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		for range n {
			types = append(types, f.Type)
		}
	}
	last := types[len(types)-1]
	id, isIdent := last.(*ast.Ident)
	lastErr := isIdent && id.Name == "error"
	zeros := make([]string, len(types))
	for i, t := range types {
		text := string(src[off(t.Pos()):off(t.End())])
		if zr == nil {
			zeros[i] = "*new(" + text + ")"
			continue
		}
		zeros[i] = zr.zero(t, text, importRefs(file), path.Dir(rel))
	}
	return zeros, lastErr
}

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// guessImportName is the usual package name of an import path: its last
// element, skipping a major version suffix.
func guessImportName(p string) string {
	parts := strings.Split(p, "/")
	name := parts[len(parts)-1]
	if len(parts) > 1 && majorVersion.MatchString(name) {
		name = parts[len(parts)-2]
	}
	name = strings.TrimPrefix(name, "go-")
	if i := strings.IndexAny(name, ".-"); i > 0 {
		name = name[:i]
	}
	return name
}

// Index is every exercise site of a tree.
type Index struct {
	Sites []*Site // in file order
	ByID  map[string][]*Site
}

// ScanTree finds every site in the tree's .go files (test files and
// testdata excluded). All marker errors are returned together.
func ScanTree(t *Tree, files []string) (*Index, error) {
	zr := newZeroResolver(t.Root)
	idx := &Index{ByID: map[string][]*Site{}}
	var errs []string
	for _, f := range files {
		if !isScannedGo(f) {
			continue
		}
		src, err := os.ReadFile(t.Abs(f))
		if err != nil {
			return nil, err
		}
		sites, err := ScanFile(f, src, zr)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		idx.add(sites)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("bad exercise markers:\n  %s", strings.Join(errs, "\n  "))
	}
	return idx, nil
}

func (idx *Index) add(sites []*Site) {
	for _, s := range sites {
		idx.Sites = append(idx.Sites, s)
		idx.ByID[s.ID] = append(idx.ByID[s.ID], s)
	}
}

// IDs are the exercise IDs that have sites, sorted.
func (idx *Index) IDs() []string {
	var ids []string
	for id := range idx.ByID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Files are the files holding sites of the given exercises, sorted.
func (idx *Index) Files(ids map[string]bool) []string {
	seen := map[string]bool{}
	var files []string
	for _, s := range idx.Sites {
		if ids[s.ID] && !seen[s.File] {
			seen[s.File] = true
			files = append(files, s.File)
		}
	}
	sort.Strings(files)
	return files
}

// SitesIn are the sites of one file.
func (idx *Index) SitesIn(file string) []*Site {
	var out []*Site
	for _, s := range idx.Sites {
		if s.File == file {
			out = append(out, s)
		}
	}
	return out
}

// isScannedGo: the non-test Go files markers may live in.
func isScannedGo(rel string) bool {
	if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") {
		return false
	}
	for _, part := range strings.Split(path.Dir(rel), "/") {
		if part == "testdata" || part == "vendor" || strings.HasPrefix(part, "_") || (strings.HasPrefix(part, ".") && part != ".") {
			return false
		}
	}
	return true
}
