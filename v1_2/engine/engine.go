// Package engine reproduces Docker 1.2.0's engine: a registry of named handlers
// and the Job objects that run them.
//
// Upstream: engine/engine.go at v1.2.0 (tag v1.2.0, commit fa7b24f2).
// Book: ch.3 §3.3.3 创建engine (eng := engine.New()) and §3.3.5 加载builtins
// (eng.Register).
// Notes: 004 §四(二) "Engine": the engine is the core that matches every piece
// of work the daemon does to a Job handler.
//
// Everything the daemon does at 1.2.0 — "serveapi", "create", "start",
// "init_networkdriver", "allocate_port" — is a string name looked up in a map of
// Handlers. That indirection is why the HTTP server, the CLI and the daemon can
// all talk in the same vocabulary: a name, some arguments and an Env.
package engine

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
)

// Installer is something that registers its own handlers on an engine
// (upstream's daemon and builtins packages implement it).
type Installer interface {
	Install(*Engine) error
}

// Handler is the body of a job. Its return value becomes the job's exit status.
type Handler func(*Job) Status

// globalHandlers are registered before any engine exists (from init
// functions); New copies them into every engine it makes.
var globalHandlers = make(map[string]Handler)

// Register adds a handler every future engine will start with. A name may be
// registered globally only once.
func Register(name string, handler Handler) error {
	if _, exists := globalHandlers[name]; exists {
		return fmt.Errorf("Can't overwrite global handler for command %s", name)
	}
	globalHandlers[name] = handler
	return nil
}

// unregister removes a global handler; tests use it to clean up after
// themselves, exactly as upstream's tests do.
func unregister(name string) {
	delete(globalHandlers, name)
}

// Engine is the handler table plus the shared streams and shutdown state.
type Engine struct {
	handlersMu sync.RWMutex // not upstream: lets tests register while jobs run
	handlers   map[string]Handler
	catchall   Handler
	hack       Hack
	id         string

	Stdout  io.Writer
	Stderr  io.Writer
	Stdin   io.Reader
	Logging bool

	tasks      sync.WaitGroup // jobs in flight; Shutdown waits for them
	l          sync.RWMutex   // guards shutdown and onShutdown
	shutdown   bool
	onShutdown []func()
}

// Register adds a handler to this engine only. Because New copied the global
// handlers in, a name registered globally cannot be registered again here.
// A nil handler is accepted; running it reports "command not found".
func (eng *Engine) Register(name string, handler Handler) error {
	eng.handlersMu.Lock()
	defer eng.handlersMu.Unlock()
	if _, exists := eng.handlers[name]; exists {
		return fmt.Errorf("Can't overwrite handler for command %s", name)
	}
	eng.handlers[name] = handler
	return nil
}

// RegisterCatchall sets the handler used for any non-empty name that has no
// handler of its own (upstream uses it to forward jobs to a remote engine).
func (eng *Engine) RegisterCatchall(catchall Handler) {
	eng.handlersMu.Lock()
	defer eng.handlersMu.Unlock()
	eng.catchall = catchall
}

// New makes an engine with a random id, the process's standard streams,
// logging on, the built-in "commands" job and a copy of the global handlers.
func New() *Engine {
	eng := &Engine{
		handlers: make(map[string]Handler),
		id:       randomID(),
		Stdout:   os.Stdout,
		Stderr:   os.Stderr,
		Stdin:    os.Stdin,
		Logging:  true,
	}
	eng.Register("commands", func(job *Job) Status {
		for _, name := range eng.commands() {
			job.Printf("%s\n", name)
		}
		return StatusOK
	})
	for name, handler := range globalHandlers {
		eng.handlers[name] = handler
	}
	return eng
}

// randomID returns 64 hex digits from 32 random bytes, the same shape as
// upstream's utils.RandomString (and as container and image ids).
func randomID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on Linux; an all-zero id still works.
		return strings.Repeat("0", 64)
	}
	return hex.EncodeToString(b)
}

// String is the short id that prefixes every log line: the first 8 hex digits.
func (eng *Engine) String() string {
	return eng.id[:8]
}

// commands lists every handler name, sorted, for the "commands" job.
func (eng *Engine) commands() []string {
	eng.handlersMu.RLock()
	defer eng.handlersMu.RUnlock()
	names := make([]string, 0, len(eng.handlers))
	for name := range eng.handlers {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Job creates (but does not run) a job. An unknown name is not an error yet:
// the job simply has no handler, and Run reports "command not found".
func (eng *Engine) Job(name string, args ...string) *Job {
	job := &Job{
		Eng:    eng,
		Name:   name,
		Args:   args,
		Stdin:  NewInput(),
		Stdout: NewOutput(),
		Stderr: NewOutput(),
		env:    &Env{},
		hangup: make(chan struct{}),
	}
	if eng.Logging {
		// Wrapped so that closing the job's stderr never closes the engine's.
		job.Stderr.Add(nopWriteCloser{eng.Stderr})
	}
	eng.handlersMu.RLock()
	defer eng.handlersMu.RUnlock()
	if handler, exists := eng.handlers[name]; exists {
		job.handler = handler
	} else if eng.catchall != nil && name != "" {
		// The empty name never reaches the catch-all: "" is never a command.
		job.handler = eng.catchall
	}
	return job
}

// nopWriteCloser gives a writer a Close that does nothing.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// ParseJob turns a line such as "echo DEBUG=1 hello world" into a job: words
// containing "=" go to the env, the rest are the name and arguments. There is
// no quoting, as upstream.
func (eng *Engine) ParseJob(input string) (*Job, error) {
	scanner := bufio.NewScanner(strings.NewReader(input))
	scanner.Split(bufio.ScanWords)
	var (
		words []string
		env   Env
	)
	for scanner.Scan() {
		word := scanner.Text()
		if key, value, ok := strings.Cut(word, "="); ok {
			env.Set(key, value)
		} else {
			words = append(words, word)
		}
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command: '%s'", input)
	}
	job := eng.Job(words[0], words[1:]...)
	job.Env().Init(&env)
	return job, nil
}

// Logf writes "[<id8>] message" to the engine's stderr when logging is on.
func (eng *Engine) Logf(format string, args ...interface{}) (n int, err error) {
	if !eng.Logging {
		return 0, nil
	}
	line := fmt.Sprintf("[%s] %s\n", eng, strings.TrimRight(format, "\n"))
	return fmt.Fprintf(eng.Stderr, line, args...)
}
