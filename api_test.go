package mvs_test

import (
	"go/importer"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

const modulePath = "github.com/mvsgo/mvs"

// TestExportedAPIUsesNoInternalTypes walks every public package's exported API (functions,
// methods, struct fields, interface methods, variables, aliases) and fails on any type that
// lives under internal/: a user outside the module could not name it, declare a variable of
// it, or call a function that takes it.
func TestExportedAPIUsesNoInternalTypes(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the module from source")
	}
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	pkgs := publicPackages(t)
	if len(pkgs) < 7 {
		t.Fatalf("found only %v", pkgs)
	}
	for _, path := range pkgs {
		p, err := imp.Import(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, ref := range internalRefs(p) {
			t.Errorf("%s exposes an internal type: %s", path, ref)
		}
	}
	// The walker must be able to fail: internal/codec's own API is made of internal types.
	codec, err := imp.Import(modulePath + "/internal/codec")
	if err != nil {
		t.Fatal(err)
	}
	if refs := internalRefs(codec); len(refs) == 0 {
		t.Error("walker found no internal type in internal/codec (NewReader returns *codec.Reader)")
	}
}

// publicPackages lists the module's importable non-main packages below the current directory.
func publicPackages(t *testing.T) []string {
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		name := d.Name()
		if path != "." && (name == "internal" || name == "testdata" || name == "examples" || strings.HasPrefix(name, ".")) {
			return filepath.SkipDir
		}
		if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && path != "." {
			return filepath.SkipDir // another module
		}
		files, _ := filepath.Glob(filepath.Join(path, "*.go"))
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				out = append(out, strings.TrimSuffix(modulePath+"/"+filepath.ToSlash(path), "/."))
				break
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// internalRefs names each exported API element of p whose type mentions a type from a
// package whose path has an internal/ element.
func internalRefs(p *types.Package) []string {
	var refs []string
	seen := map[types.Type]bool{}
	var check func(where string, typ types.Type)
	check = func(where string, typ types.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch x := typ.(type) {
		case *types.Alias:
			check(where, types.Unalias(x))
		case *types.Named:
			if obj := x.Obj(); obj.Pkg() != nil && isInternal(obj.Pkg().Path()) {
				refs = append(refs, where+": "+obj.Pkg().Path()+"."+obj.Name())
				return
			}
			if args := x.TypeArgs(); args != nil {
				for i := 0; i < args.Len(); i++ {
					check(where, args.At(i))
				}
			}
		case *types.Pointer:
			check(where, x.Elem())
		case *types.Slice:
			check(where, x.Elem())
		case *types.Array:
			check(where, x.Elem())
		case *types.Map:
			check(where, x.Key())
			check(where, x.Elem())
		case *types.Chan:
			check(where, x.Elem())
		case *types.Signature:
			for _, tup := range []*types.Tuple{x.Params(), x.Results()} {
				for i := 0; i < tup.Len(); i++ {
					check(where, tup.At(i).Type())
				}
			}
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				if f := x.Field(i); f.Exported() || f.Embedded() {
					check(where+"."+f.Name(), f.Type())
				}
			}
		case *types.Interface:
			for i := 0; i < x.NumMethods(); i++ {
				if m := x.Method(i); m.Exported() {
					check(where+"."+m.Name(), m.Type())
				}
			}
		}
	}
	scope := p.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		check(name, obj.Type())
		if tn, ok := obj.(*types.TypeName); ok && !tn.IsAlias() {
			check(name, obj.Type().Underlying())
			for _, recv := range []types.Type{obj.Type(), types.NewPointer(obj.Type())} {
				ms := types.NewMethodSet(recv)
				for i := 0; i < ms.Len(); i++ {
					if m := ms.At(i).Obj(); m.Exported() {
						check(name+"."+m.Name(), m.Type())
					}
				}
			}
		}
	}
	sort.Strings(refs)
	return refs
}

func isInternal(path string) bool {
	return strings.Contains(path+"/", "/internal/")
}
