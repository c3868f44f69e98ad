package lab

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// zeroResolver writes the zero value of a result type as Go source, for
// the default stubs (`return nil, 0, "", T{}, lab.TODO(id)`). It reads no
// type information from the compiler: it finds the declaration of a named
// type by parsing the declaring package (in this module or in GOROOT) and
// looks at its underlying type. When it cannot tell, it writes *new(T),
// which is the zero value of any T.
type zeroResolver struct {
	root string

	mu     sync.Mutex
	goroot string
	pkgs   map[string]*declPkg // by directory
	names  map[string]string   // package names by import path
}

// declPkg is what zeroResolver keeps of a parsed package: its type
// declarations, each with the imports of the file it is in.
type declPkg struct {
	types map[string]typeDecl
}

type typeDecl struct {
	spec    *ast.TypeSpec
	imports []importRef
	dir     string // slash path under root, or an absolute GOROOT dir
}

// importRef is one import of a file: its alias ("" for none) and path.
type importRef struct {
	alias, path string
}

func importRefs(f *ast.File) []importRef {
	var out []importRef
	for _, is := range f.Imports {
		r := importRef{path: strings.Trim(is.Path.Value, `"`)}
		if is.Name != nil {
			r.alias = is.Name.Name
		}
		out = append(out, r)
	}
	return out
}

func newZeroResolver(root string) *zeroResolver {
	return &zeroResolver{root: root, pkgs: map[string]*declPkg{}, names: map[string]string{}}
}

// zero is the zero value of the type expression t (whose source is text),
// written in a file of directory dir with the given imports.
func (z *zeroResolver) zero(t ast.Expr, text string, imports []importRef, dir string) string {
	switch z.kind(t, imports, dir, 0) {
	case "nil":
		return "nil"
	case "0":
		return "0"
	case "string":
		return `""`
	case "bool":
		return "false"
	case "composite":
		return text + "{}"
	}
	return "*new(" + text + ")"
}

// kind classifies a type by the zero value it needs: nil, 0, string,
// bool, composite (T{}) or unknown.
func (z *zeroResolver) kind(t ast.Expr, imports []importRef, dir string, depth int) string {
	if depth > 8 {
		return "unknown"
	}
	switch x := t.(type) {
	case *ast.ParenExpr:
		return z.kind(x.X, imports, dir, depth+1)
	case *ast.StarExpr, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType:
		return "nil"
	case *ast.ArrayType:
		if x.Len == nil {
			return "nil"
		}
		return "composite"
	case *ast.StructType:
		return "composite"
	case *ast.Ident:
		switch x.Name {
		case "error", "any":
			return "nil"
		case "string":
			return "string"
		case "bool":
			return "bool"
		case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
			"uintptr", "byte", "rune", "float32", "float64", "complex64", "complex128":
			return "0"
		}
		d, ok := z.lookup(dir, x.Name)
		if !ok {
			return "unknown"
		}
		return z.declKind(d, depth)
	case *ast.SelectorExpr:
		pkg, ok := x.X.(*ast.Ident)
		if !ok {
			return "unknown"
		}
		for _, imp := range imports {
			if imp.alias != pkg.Name && (imp.alias != "" || z.packageName(imp.path) != pkg.Name) {
				continue
			}
			pdir, ok := z.dirOf(imp.path)
			if !ok {
				return "unknown"
			}
			d, ok := z.lookup(pdir, x.Sel.Name)
			if !ok {
				return "unknown"
			}
			return z.declKind(d, depth)
		}
	}
	return "unknown" // generic instantiations and anything unusual
}

// declKind classifies a declared type by its underlying type. A struct or
// array declared elsewhere is still written as T{} by the caller, with
// the caller's own spelling of T.
func (z *zeroResolver) declKind(d typeDecl, depth int) string {
	if d.spec.TypeParams != nil {
		return "unknown"
	}
	return z.kind(d.spec.Type, d.imports, d.dir, depth+1)
}

// dirOf maps an import path to a directory: in this module (slash path
// under root) or in GOROOT (absolute).
func (z *zeroResolver) dirOf(importPath string) (string, bool) {
	if rest, ok := strings.CutPrefix(importPath, Module+"/"); ok {
		return rest, true
	}
	if strings.Contains(strings.SplitN(importPath, "/", 2)[0], ".") {
		return "", false // another module: not worth reading
	}
	gr := z.goRoot()
	if gr == "" {
		return "", false
	}
	return filepath.Join(gr, "src", filepath.FromSlash(importPath)), true
}

func (z *zeroResolver) goRoot() string {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.goroot == "" {
		if out, err := exec.Command("go", "env", "GOROOT").Output(); err == nil {
			z.goroot = strings.TrimSpace(string(out))
		}
	}
	return z.goroot
}

func (z *zeroResolver) absDir(dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return filepath.Join(z.root, filepath.FromSlash(dir))
}

// lookup finds the declaration of type name in the package in dir.
func (z *zeroResolver) lookup(dir, name string) (typeDecl, bool) {
	p := z.pkg(dir)
	if p == nil {
		return typeDecl{}, false
	}
	d, ok := p.types[name]
	return d, ok
}

// pkg parses (once) the type declarations of the package in dir.
func (z *zeroResolver) pkg(dir string) *declPkg {
	z.mu.Lock()
	if p, ok := z.pkgs[dir]; ok {
		z.mu.Unlock()
		return p
	}
	z.mu.Unlock()
	entries, err := os.ReadDir(z.absDir(dir))
	var p *declPkg
	if err == nil {
		p = &declPkg{types: map[string]typeDecl{}}
		fset := token.NewFileSet()
		for _, e := range entries {
			n := e.Name()
			if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(z.absDir(dir), n), nil, parser.SkipObjectResolution)
			if err != nil {
				continue
			}
			imps := importRefs(f)
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, spec := range gd.Specs {
					ts := spec.(*ast.TypeSpec)
					if _, dup := p.types[ts.Name.Name]; !dup {
						p.types[ts.Name.Name] = typeDecl{spec: ts, imports: imps, dir: dir}
					}
				}
			}
		}
	}
	z.mu.Lock()
	z.pkgs[dir] = p
	z.mu.Unlock()
	return p
}

// packageName is the name declared by the package at importPath (read
// from one file's package clause), or its usual name from the path when
// the package cannot be read.
func (z *zeroResolver) packageName(importPath string) string {
	if z == nil {
		return guessImportName(importPath)
	}
	z.mu.Lock()
	if n, ok := z.names[importPath]; ok {
		z.mu.Unlock()
		return n
	}
	z.mu.Unlock()
	name := guessImportName(importPath)
	if dir, ok := z.dirOf(importPath); ok {
		if entries, err := os.ReadDir(z.absDir(dir)); err == nil {
			for _, e := range entries {
				n := e.Name()
				if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
					continue
				}
				f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(z.absDir(dir), n), nil, parser.PackageClauseOnly)
				if err == nil && f.Name.Name != "main" && f.Name.Name != "documentation" {
					name = f.Name.Name
					break
				}
			}
		}
	}
	z.mu.Lock()
	z.names[importPath] = name
	z.mu.Unlock()
	return name
}
