package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeFilters: any filters parameter either decodes or gives a
// "Bad parameter" error; nothing panics.
func FuzzDecodeFilters(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"status":["exited"]}`, `{"status":{"exited":true}}`, `{"a":1}`, `[`, `null`, `{"x":null}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if _, err := decodeFilters(raw); err != nil && !strings.Contains(err.Error(), "Bad parameter") {
			t.Fatalf("error without Bad parameter: %v", err)
		}
	})
}

// FuzzCreateBody: whatever body a client sends to create, the server
// answers one of the codes create can answer, and never panics.
func FuzzCreateBody(f *testing.F) {
	for _, s := range []string{`{"Image":"busybox"}`, `{`, ``, `null`, `[]`, `{"Image":1e400}`, `{"HostConfig":{"Binds":null}}`, `"x"`} {
		f.Add(s)
	}
	fj := newFakeJobs(&testing.T{})
	f.Fuzz(func(t *testing.T, body string) {
		w := fj.do("POST", "/v1.24/containers/create?name=x", body, "Content-Type", "application/json")
		switch w.Code {
		case http.StatusCreated, http.StatusInternalServerError, http.StatusRequestEntityTooLarge:
		default:
			t.Fatalf("create answered %d for %q", w.Code, body)
		}
	})
}

// FuzzRouter: any path, with any of the methods, reaches a handler or
// the router's 404, never a panic.
func FuzzRouter(f *testing.F) {
	for _, s := range []string{"/containers/x/json", "/v1.14/images/a/b/c/json", "/v/x", "/v1.99999999999999999999/info", "/containers//start", "/images/x/json"} {
		f.Add(uint8(0), s)
		f.Add(uint8(1), s)
	}
	methods := []string{"GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT"}
	fj := newFakeJobs(&testing.T{})
	f.Fuzz(func(t *testing.T, m uint8, path string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t?#%") || !utf8.ValidString(path) {
			return // not a request path net/http would hand to a handler
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return // not a request path net/http would hand to a handler
		}
		w := fj.do(methods[int(m)%len(methods)], path, "")
		if w.Code == 0 {
			t.Fatal("no status")
		}
	})
}
