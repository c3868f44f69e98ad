// What a package directory declares, read with go/parser (no type
// checking, no build: the docs check must work while half the tree is
// being written). Every .go file counts except _test.go files, whatever
// its build constraints, since a doc may cite linux-only code.
//
// Declared names: top-level funcs, types, vars and consts; methods as
// Type.Method; and, so a doc can point at an interface's method or a
// struct's field, Type.Field and Interface.Method.
package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// declared returns the set of names declared in dir's non-test Go files;
// ok is false when dir has none.
func declared(dir string) (names map[string]bool, ok bool, err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, false, nil
	}
	names = map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, false, err
		}
		ok = true
		addDecls(f, names)
	}
	return names, ok, nil
}

func addDecls(f *ast.File, names map[string]bool) {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil || len(d.Recv.List) == 0 {
				names[d.Name.Name] = true
			} else {
				names[recvName(d.Recv.List[0].Type)+"."+d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names[s.Name.Name] = true
					addMembers(s.Name.Name, s.Type, names)
				case *ast.ValueSpec:
					for _, id := range s.Names {
						names[id.Name] = true
					}
				}
			}
		}
	}
}

// addMembers records a struct's fields (embedded ones by type name) and an
// interface's methods as Type.Name.
func addMembers(typ string, expr ast.Expr, names map[string]bool) {
	var fields *ast.FieldList
	switch t := expr.(type) {
	case *ast.StructType:
		fields = t.Fields
	case *ast.InterfaceType:
		fields = t.Methods
	}
	if fields == nil {
		return
	}
	for _, f := range fields.List {
		if len(f.Names) == 0 {
			names[typ+"."+recvName(f.Type)] = true
		}
		for _, id := range f.Names {
			names[typ+"."+id.Name] = true
		}
	}
}

// recvName is the bare type name of a receiver or embedded field:
// *Kernel, Kernel[T], pkg.Type → Kernel, Kernel, Type.
func recvName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return recvName(t.X)
	case *ast.IndexExpr:
		return recvName(t.X)
	case *ast.IndexListExpr:
		return recvName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.Ident:
		return t.Name
	}
	return ""
}
