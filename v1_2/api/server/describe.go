// Describe names the route and handler a request reaches, for chapter 5's
// demo, which prints the router's decision between the request and the
// jobs it runs.
//
// Not upstream: gorilla/mux kept this to itself.
// Book: ch.5 §5.4 创建router.
package server

import (
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// Describe answers "POST /containers/{name:.*}/start → postContainersStart
// (name=web, version=1.14)" for a request, or the router's 404.
func Describe(method, path string) string {
	rt := createRouter(engine.New(), false, false, "")
	p, ver := path, ""
	if m := versionPrefix.FindStringSubmatch(p); m != nil {
		ver, p = m[1], m[2]
	}
	for _, r := range rt.routes {
		if r.method != method {
			continue
		}
		m := r.pattern.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		vars := []string{}
		for i, name := range r.pattern.SubexpNames() {
			if name != "" {
				vars = append(vars, name+"="+m[i])
			}
		}
		if ver == "" {
			ver = "none, so 1.14"
		}
		vars = append(vars, "version="+ver)
		sort.Strings(vars)
		return fmt.Sprintf("%s %s → %s (%s)", method, r.path, funcName(r.handler), strings.Join(vars, ", "))
	}
	if _, ok := rt.any[method]; ok {
		return method + " (any path) → optionsHandler"
	}
	return "no route: 404 page not found"
}

func funcName(h HttpApiFunc) string {
	name := runtime.FuncForPC(reflect.ValueOf(h).Pointer()).Name()
	return name[strings.LastIndex(name, ".")+1:]
}
