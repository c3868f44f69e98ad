// --trace: one line per step of mainDaemon and NewDaemon, numbered by the
// book's sections, printed as the step happens.
//
// Not upstream: dockerlab's teaching aid. See docs/upstream/v1.2.0.md
// §2.2-2.3.
package daemon

import (
	"fmt"
	"io"
	"sync"
)

// Tracer is told "section, what happened", e.g. ("4.3", "MTU: 1500 …").
// It may be called from several goroutines at once: the shutdown hooks
// run concurrently, and mainDaemon traces while NewDaemon does.
type Tracer func(section, line string)

// PrintTracer writes "[trace] 4.3   MTU: …" lines to w, one at a time
// (mainDaemon and the NewDaemon goroutine trace concurrently).
func PrintTracer(w io.Writer) Tracer {
	var mu sync.Mutex
	return func(section, line string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "[trace] %-5s %s\n", section, line)
	}
}

// tracef tells config.Trace, if any.
func (config *Config) tracef(section, format string, args ...any) {
	if config.Trace != nil {
		config.Trace(section, fmt.Sprintf(format, args...))
	}
}
