package lab

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// labImport is the package every stub calls.
const labImport = Module + "/lab"

// todoCall is the call a stub makes, as it appears in the source; `lab
// check` looks for it to tell "not started".
func todoCall(id string) string { return `lab.TODO("` + id + `")` }

// stubber writes the stubs of a tree, with the exercise's book section
// and first hint in a comment above each.
type stubber struct {
	reg *Registry
}

// stubLines are the lines a site's stub consists of: a generated comment
// and the statements. lazy gives the "lazy wrong answer" instead: the
// same statements without lab.TODO (zero values, nil error), no comment.
func (st *stubber) stubLines(s *Site, lazy bool) []string {
	var lines []string
	if !lazy {
		lines = st.comment(s)
	}
	var stmts []string
	if len(s.Stub) > 0 {
		for _, l := range s.Stub {
			if lazy {
				if strings.TrimSpace(l) == "panic("+todoCall(s.ID)+")" {
					stmts = append(stmts, lazyDefault(s)...)
					continue
				}
				l = strings.ReplaceAll(l, todoCall(s.ID), "error(nil)")
			}
			stmts = append(stmts, l)
		}
	} else if lazy {
		stmts = lazyDefault(s)
	} else {
		stmts = defaultStub(s)
	}
	return append(lines, stmts...)
}

// defaultStub is the stub when no //lab:stub is given. At the end of a
// function: return the zero values and lab.TODO as the error, or panic
// with it. In the middle of one: an if that does the same, so that the
// code after the region stays reachable (go vet) and compiles.
func defaultStub(s *Site) []string {
	call := todoCall(s.ID)
	zeros := s.Zeros
	if s.LastErr {
		zeros = zeros[:len(zeros)-1]
	}
	if s.AtEnd {
		if s.LastErr {
			return []string{"return " + strings.Join(append(append([]string{}, zeros...), call), ", ")}
		}
		return []string{"panic(" + call + ")"}
	}
	if s.LastErr {
		return []string{
			"if err := " + call + "; err != nil {",
			"return " + strings.Join(append(append([]string{}, zeros...), "err"), ", "),
			"}",
		}
	}
	return []string{"if err := " + call + "; err != nil {", "panic(err)", "}"}
}

// lazyDefault is what a lazy student writes to make the stub "pass": the
// zero values, with a nil error.
func lazyDefault(s *Site) []string {
	if !s.AtEnd {
		return nil
	}
	zeros := s.Zeros
	if s.LastErr {
		zeros = append(append([]string{}, zeros[:len(zeros)-1]...), "nil")
	}
	if len(zeros) == 0 {
		return nil
	}
	return []string{"return " + strings.Join(zeros, ", ")}
}

// comment is the generated comment above a stub: the exercise, where to
// read about it, its first hint in both languages, and the commands.
func (st *stubber) comment(s *Site) []string {
	head := "TODO(" + s.ID + "): 练习 / exercise"
	var h1zh, h1en string
	if st != nil && st.reg != nil {
		if e, ok := st.reg.Get(s.ID); ok {
			head += " — " + bookRef(e.Book)
			if e.Notes != "" {
				head += "; notes " + e.Notes
			}
			if h, err := st.reg.Hints(e); err == nil {
				h1zh, h1en = foldLines(h.Zh[0]), foldLines(h.En[0])
			}
		}
	}
	lines := []string{"// " + head + "."}
	if h1zh != "" {
		lines = append(lines, wrapComment("提示 1："+h1zh, 76)...)
	}
	if h1en != "" {
		lines = append(lines, wrapComment("Hint 1: "+h1en, 76)...)
	}
	lines = append(lines, "// dockerlab lab hint "+s.ID+" (more hints) · dockerlab lab check "+s.ID+" (test it)")
	return lines
}

// foldLines joins a paragraph's lines, without a space between two CJK
// characters (a line break inside Chinese text is not a space).
func foldLines(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			last, _ := utf8.DecodeLastRuneInString(b.String())
			first, _ := utf8.DecodeRuneInString(line)
			// No space between two Chinese characters, nor next to
			// full-width punctuation; a space between Chinese and Latin
			// text is kept.
			if !(isWide(last) && isWide(first)) && !isWidePunct(last) && !isWidePunct(first) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

// isWide: CJK characters and full-width punctuation, two columns wide.
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || isWidePunct(r)
}

// isWidePunct: CJK and full-width punctuation (。，：（）…).
func isWidePunct(r rune) bool {
	return (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// wrapComment wraps text into "// " lines of about width columns,
// breaking at spaces, or between wide characters.
func wrapComment(text string, width int) []string {
	var lines []string
	var cur []rune
	col := 0
	lastBreak := -1 // index in cur after which a break may go
	for _, r := range text {
		w := 1
		if isWide(r) {
			w = 2
		}
		if col+w > width && len(cur) > 0 {
			cut := lastBreak
			if cut <= 0 {
				cut = len(cur)
			}
			lines = append(lines, "// "+strings.TrimRight(string(cur[:cut]), " "))
			cur = []rune(strings.TrimLeft(string(cur[cut:]), " "))
			col = 0
			for _, c := range cur {
				if isWide(c) {
					col += 2
				} else {
					col++
				}
			}
			lastBreak = -1
		}
		cur = append(cur, r)
		col += w
		if r == ' ' || isWide(r) {
			lastBreak = len(cur)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, "// "+strings.TrimRight(string(cur), " "))
	}
	return lines
}

// siteText is what goes between a site's Start and End for the given
// lines: a body is "\n<lines>\n", a region is whole lines.
func siteText(s *Site, lines []string) string {
	if s.Kind == FuncSite {
		if len(lines) == 0 {
			return "\n"
		}
		return "\n" + strings.Join(lines, "\n") + "\n"
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// edit is one replacement of src[start:end].
type edit struct {
	start, end int
	text       string
}

// applyEdits applies non-overlapping edits.
func applyEdits(src []byte, edits []edit) []byte {
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	out := append([]byte(nil), src...)
	for _, e := range edits {
		out = append(out[:e.start], append([]byte(e.text), out[e.end:]...)...)
	}
	return out
}

// rewriteSites replaces the text of the given sites of src (sites found
// in src) and then repairs the imports: imports only the removed code
// used go, imports the new code needs come from ref (the original file's
// import specs, by name), and the lab package is imported exactly when
// lab. is used. The result is gofmt'd.
func rewriteSites(src []byte, repl map[*Site]string, ref []byte, zr *zeroResolver) ([]byte, error) {
	var edits []edit
	for s, text := range repl {
		edits = append(edits, edit{s.Start, s.End, text})
	}
	out := applyEdits(src, edits)
	fixed, err := fixImports(out, src, ref, zr)
	if err != nil {
		return nil, err
	}
	return fixed, nil
}

// usedNames are the identifiers used as X in X.Sel that the parser could
// not resolve in the file: package names (and package-level names of
// other files, which do no harm here).
func usedNames(f *ast.File) map[string]bool {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Obj == nil {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}

// importInfo is one import spec with its name.
type importInfo struct {
	spec *ast.ImportSpec
	path string
	name string // what the file calls it
	text string // the spec as written
}

func imports(f *ast.File, src []byte, fset *token.FileSet, zr *zeroResolver) []importInfo {
	var out []importInfo
	for _, is := range f.Imports {
		p, _ := strconv.Unquote(is.Path.Value)
		name := ""
		switch {
		case is.Name != nil:
			name = is.Name.Name
		default:
			name = zr.packageName(p)
		}
		tf := fset.File(is.Pos())
		text := string(src[tf.Offset(is.Pos()):tf.Offset(is.End())])
		out = append(out, importInfo{spec: is, path: p, name: name, text: text})
	}
	return out
}

// fixImports repairs the imports of src after some code changed. before
// is the file before the change (an import is removed only if before used
// it, so a name guessed wrongly is never removed), ref supplies imports
// to add (nil: none).
func fixImports(src, before, ref []byte, zr *zeroResolver) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("the rewritten file does not parse: %v", err)
	}
	bf, err := parser.ParseFile(token.NewFileSet(), "", before, 0)
	if err != nil {
		return nil, err
	}
	usedBefore, usedNow := usedNames(bf), usedNames(f)
	have := imports(f, src, fset, zr)
	haveName := map[string]bool{}
	tf := fset.File(f.Pos())
	removed := map[*ast.ImportSpec]bool{}
	for _, imp := range have {
		if imp.name == "_" || imp.name == "." || usedNow[imp.name] || !usedBefore[imp.name] {
			haveName[imp.name] = true
			continue
		}
		removed[imp.spec] = true
	}
	// Imports to add: lab when used, and what ref has for other names.
	var add []importInfo
	if usedNow["lab"] && !haveName["lab"] {
		add = append(add, importInfo{path: labImport, name: "lab", text: strconv.Quote(labImport)})
	}
	if ref != nil {
		rset := token.NewFileSet()
		rf, err := parser.ParseFile(rset, "", ref, parser.ImportsOnly)
		if err == nil {
			for _, imp := range imports(rf, ref, rset, zr) {
				if usedNow[imp.name] && !haveName[imp.name] && imp.name != "lab" {
					add = append(add, imp)
					haveName[imp.name] = true
				}
			}
		}
	}
	var edits []edit
	if len(add) > 0 {
		edits = append(edits, addImports(src, f, tf, add)...)
	}
	for spec := range removed {
		edits = append(edits, removeImport(src, f, tf, spec))
	}
	out := applyEdits(src, edits)
	formatted, err := format.Source(out)
	if err != nil {
		return nil, fmt.Errorf("gofmt of the rewritten file: %v", err)
	}
	return formatted, nil
}

// removeImport deletes an import spec: its whole line inside an import
// block, or the whole declaration when it is the only spec.
func removeImport(src []byte, f *ast.File, tf *token.File, spec *ast.ImportSpec) edit {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, s := range gd.Specs {
			if s != spec {
				continue
			}
			if !gd.Lparen.IsValid() || len(gd.Specs) == 1 {
				start := lineStart(src, tf.Offset(gd.Pos()))
				return edit{start, lineEnd(src, tf.Offset(gd.End())), ""}
			}
			start := lineStart(src, tf.Offset(spec.Pos()))
			return edit{start, lineEnd(src, tf.Offset(spec.End())), ""}
		}
	}
	return edit{}
}

// lineEnd is the offset just after the newline ending the line of offset.
func lineEnd(src []byte, offset int) int {
	i := bytes.IndexByte(src[offset:], '\n')
	if i < 0 {
		return len(src)
	}
	return offset + i + 1
}

// addImports inserts specs: a module import after the module's group in
// the first import block (or as a new group), a standard library one
// into the first group.
func addImports(src []byte, f *ast.File, tf *token.File, add []importInfo) []edit {
	var block *ast.GenDecl
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT && gd.Lparen.IsValid() {
			block = gd
			break
		}
	}
	if block == nil {
		// No import block: one lone `import "x"` per spec, after the last
		// import declaration or the package clause. Taking it out again
		// (lab reset --solution) then gives back the file as it was.
		at := lineEnd(src, tf.Offset(f.Name.End()))
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				at = lineEnd(src, tf.Offset(gd.End()))
			}
		}
		var b strings.Builder
		for _, a := range add {
			b.WriteString("\nimport " + a.text + "\n")
		}
		return []edit{{at, at, b.String()}}
	}
	var edits []edit
	var lastModule, lastStd ast.Spec
	for _, s := range block.Specs {
		p, _ := strconv.Unquote(s.(*ast.ImportSpec).Path.Value)
		if isStdlib(p) {
			if lastModule == nil {
				lastStd = s
			}
		} else {
			lastModule = s
		}
	}
	rparen := lineStart(src, tf.Offset(block.Rparen))
	for _, a := range add {
		line := "\t" + a.text + "\n"
		switch {
		case isStdlib(a.path) && lastStd != nil:
			at := lineEnd(src, tf.Offset(lastStd.End()))
			edits = append(edits, edit{at, at, line})
		case !isStdlib(a.path) && lastModule != nil:
			at := lineEnd(src, tf.Offset(lastModule.End()))
			edits = append(edits, edit{at, at, line})
		default:
			edits = append(edits, edit{rparen, rparen, "\n" + line})
		}
	}
	return edits
}

// isStdlib: no dot in the first path element.
func isStdlib(p string) bool {
	return !strings.Contains(strings.SplitN(p, "/", 2)[0], ".")
}
