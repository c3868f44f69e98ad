// The HTTP side of the v1 registry: routing, the two modes, accounts,
// tokens and the session cookie.
//
// Not upstream: docker/docker-registry's app.py, index.py and toolkit.py
// (Python) served this; dockerlab's is written from the protocol.
// Book: ch.9 §9.5.2 创建session对象 (tokens and cookies are what the
// session carries), §9.5.3.
//
// Two modes:
//
//   - standalone (the default): the registry is its own index. /_ping
//     says X-Docker-Registry-Standalone: true; the index calls hand out a
//     token and name this host in X-Docker-Endpoints; the image calls
//     accept anyone (or, with --auth, anyone with an account or a token).
//   - token (--token): the dance of ch.9 §9.5.2 made visible. The index
//     calls want the user's basic credentials (with --auth) and answer a
//     token "Token signature=…,repository=…,access=read|write"; every
//     registry call must show that token (Authorization: Token …), and
//     the first one that does gets a session cookie that later calls may
//     show instead — which is why 1.2's Session keeps a cookie jar.
package v1registry

import (
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
)

// Config says how a registry runs.
type Config struct {
	Root string // the storage root (created if missing)
	// AuthFile, if set, holds accounts, one "user:password" a line; the
	// password may be htpasswd -s's "{SHA}base64(sha1)".
	AuthFile string
	// Token turns on token mode.
	Token bool
	// MaxLayer bounds a pushed layer's body (default 1 GiB); MaxJSON an
	// image json or an image list (default 4 MiB).
	MaxLayer, MaxJSON int64
	// Log, if set, gets one line per request.
	Log io.Writer
}

// Server is one registry.
type Server struct {
	cfg      Config
	store    Storage
	accounts map[string]string // user → password or {SHA}…

	mu       sync.Mutex // index files and tokens
	tokens   map[string]token
	sessions map[string]token
	logger   *log.Logger
}

type token struct {
	repo   Repo
	access string // read or write
}

// New opens a registry on cfg.Root.
func New(cfg Config) (*Server, error) {
	if cfg.Root == "" {
		return nil, fmt.Errorf("registry: a storage root is required (--root)")
	}
	if cfg.MaxLayer <= 0 {
		cfg.MaxLayer = 1 << 30
	}
	if cfg.MaxJSON <= 0 {
		cfg.MaxJSON = 4 << 20
	}
	if err := os.MkdirAll(cfg.Root, 0755); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, store: Storage{Root: cfg.Root}, tokens: map[string]token{}, sessions: map[string]token{}}
	if cfg.AuthFile != "" {
		var err error
		if s.accounts, err = readAccounts(cfg.AuthFile); err != nil {
			return nil, err
		}
	}
	if cfg.Log != nil {
		s.logger = log.New(cfg.Log, "registry: ", log.LstdFlags)
	}
	return s, nil
}

// readAccounts reads "user:password" lines; # starts a comment.
func readAccounts(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("registry: --auth: %w", err)
	}
	accounts := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, pass, ok := strings.Cut(line, ":")
		if !ok || user == "" {
			return nil, fmt.Errorf("registry: %s line %d: want user:password", path, i+1)
		}
		accounts[user] = pass
	}
	return accounts, nil
}

// checkAccount compares a password with the stored one in constant time.
func (s *Server) checkAccount(user, pass string) bool {
	want, ok := s.accounts[user]
	if !ok {
		return false
	}
	if sum, ok := strings.CutPrefix(want, "{SHA}"); ok {
		h := sha1.Sum([]byte(pass))
		return subtle.ConstantTimeCompare([]byte(base64.StdEncoding.EncodeToString(h[:])), []byte(sum)) == 1
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(pass)) == 1
}

// basicUser answers the account of a request's basic credentials ("" if
// none or wrong).
func (s *Server) basicUser(r *http.Request) string {
	user, pass, ok := r.BasicAuth()
	if !ok || !s.checkAccount(user, pass) {
		return ""
	}
	return user
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// issueToken makes a token for repo and sets the index's answer headers:
// X-Docker-Token is "signature=…,repository=…,access=…", which the client
// sends back as "Authorization: Token <that>".
func (s *Server) issueToken(w http.ResponseWriter, r *http.Request, repo Repo, access string) {
	sig := randomHex(8)
	s.mu.Lock()
	s.tokens[sig] = token{repo: repo, access: access}
	s.mu.Unlock()
	tok := fmt.Sprintf("signature=%s,repository=%q,access=%s", sig, repo.String(), access)
	w.Header().Set("X-Docker-Token", tok)
	w.Header().Set("WWW-Authenticate", "Token "+tok)
	w.Header().Set("X-Docker-Endpoints", r.Host)
}

// registryAccess decides whether a registry (image or tag) call may go
// on; it writes the 401 itself when not. In token mode a token (or the
// session cookie it earned) is required; with accounts, a token or basic
// credentials; otherwise anyone.
func (s *Server) registryAccess(w http.ResponseWriter, r *http.Request, write bool) bool {
	if !s.cfg.Token && s.accounts == nil {
		return true
	}
	if !s.cfg.Token && s.basicUser(r) != "" {
		return true
	}
	var tok token
	found := false
	if c, err := r.Cookie("session"); err == nil {
		s.mu.Lock()
		tok, found = s.sessions[c.Value]
		s.mu.Unlock()
	}
	if !found {
		if sig := tokenSignature(r.Header.Get("Authorization")); sig != "" {
			s.mu.Lock()
			tok, found = s.tokens[sig]
			s.mu.Unlock()
			if found {
				id := randomHex(16)
				s.mu.Lock()
				s.sessions[id] = tok
				s.mu.Unlock()
				http.SetCookie(w, &http.Cookie{Name: "session", Value: id, Path: "/", HttpOnly: true})
			}
		}
	}
	if !found || write && tok.access != "write" {
		writeError(w, http.StatusUnauthorized, "Requires authorization")
		return false
	}
	return true
}

// tokenSignature reads "Token signature=X,…" from an Authorization header.
func tokenSignature(h string) string {
	rest, ok := strings.CutPrefix(h, "Token ")
	if !ok {
		return ""
	}
	for _, kv := range strings.Split(rest, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(kv), "signature="); ok {
			return v
		}
	}
	return ""
}

// indexAccess: the index's calls need the basic credentials when the
// registry has accounts.
func (s *Server) indexAccess(w http.ResponseWriter, r *http.Request) bool {
	if s.accounts == nil || s.basicUser(r) != "" {
		return true
	}
	w.Header().Set("WWW-Authenticate", `Basic realm="dockerlab registry"`)
	writeError(w, http.StatusUnauthorized, "Requires authorization")
	return false
}

// writeError answers {"error": msg}, docker-registry's error body.
func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(b)
}

// ServeHTTP routes a request. Every request gets the registry's version
// header; nothing a client sends can crash the server.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if s.logger != nil {
				s.logger.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
			}
			writeError(w, http.StatusInternalServerError, "internal error")
		}
	}()
	if s.logger != nil {
		s.logger.Printf("%s %s", r.Method, r.URL.RequestURI())
	}
	w.Header().Set("X-Docker-Registry-Version", "0.9.1-dockerlab")
	w.Header().Set("X-Docker-Registry-Config", "dockerlab")
	path := r.URL.Path
	if strings.Contains(path, "..") || strings.Contains(path, "//") {
		writeError(w, http.StatusBadRequest, "invalid path")
		return
	}
	switch {
	case path == "/_ping" || path == "/v1/_ping":
		s.ping(w, r)
	case path == "/v1/users" || path == "/v1/users/":
		s.users(w, r)
	case strings.HasPrefix(path, "/v1/users/"):
		s.users01(w, r, strings.TrimPrefix(path, "/v1/users/"))
	case strings.HasPrefix(path, "/v1/repositories/"):
		s.repositories(w, r, strings.TrimPrefix(path, "/v1/repositories/"))
	case strings.HasPrefix(path, "/v1/images/"):
		s.images(w, r, strings.TrimPrefix(path, "/v1/images/"))
	case path == "/v1/search":
		s.search(w, r)
	case path == "/" || path == "/v1/":
		writeJSON(w, http.StatusOK, "dockerlab v1 registry")
	default:
		writeError(w, http.StatusNotFound, "no such endpoint: "+path)
	}
}

func (s *Server) ping(w http.ResponseWriter, r *http.Request) {
	standalone := "true"
	if s.cfg.Token {
		standalone = "false"
	}
	w.Header().Set("X-Docker-Registry-Standalone", standalone)
	writeJSON(w, http.StatusOK, map[string]interface{}{})
}

// users is the login endpoint: POST creates an account (refused here:
// accounts come from --auth), GET checks basic credentials.
func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case "POST":
		var acct struct {
			Username string `json:"username"`
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<10))
		json.Unmarshal(body, &acct)
		if s.accounts == nil {
			// docker-registry without accounts created any user: 201.
			writeJSON(w, http.StatusCreated, "User Created")
			return
		}
		if _, ok := s.accounts[acct.Username]; ok {
			if r.URL.Path == "/v1/users" {
				// Docker 0.1.0 (no trailing slash) compared the plain text.
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte("Username or email already exist"))
				return
			}
			writeJSON(w, http.StatusBadRequest, "Username or email already exists")
			return
		}
		writeError(w, http.StatusUnauthorized, "accounts come from the registry's --auth file")
	case "GET":
		if s.accounts != nil && s.basicUser(r) == "" {
			writeError(w, http.StatusUnauthorized, "wrong login/password")
			return
		}
		writeJSON(w, http.StatusOK, "OK")
	default:
		writeError(w, http.StatusMethodNotAllowed, "method not allowed")
	}
}
