// Upstream: engine/job.go at v1.2.0 (Job, Status, Run and the output
// helpers).
// Book: ch.3 §3.3.3 创建engine and ch.5 §5.2 "serveapi" Job (创建Job, 运行Job).
// Notes: 004 §四(二) "Job": every piece of work the daemon does — run a
// process, create a container, download a file — is a Job run by the Engine.
//
// A job is like a Unix process: a name, arguments, an environment, stdin,
// stdout, stderr and an exit status. Run is its fork+exec+wait.
package engine

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Job is one invocation of a handler.
type Job struct {
	Eng     *Engine
	Name    string
	Args    []string
	env     *Env
	Stdout  *Output
	Stderr  *Output
	Stdin   *Input
	handler Handler
	status  Status
	end     time.Time       // zero until the handler has returned
	done    <-chan struct{} // job_cancel.go: closed when the caller gives up

	hangup     chan struct{} // closed by Hangup
	hangupOnce sync.Once
}

// Status is a job's exit code, in the same spirit as a process exit code.
type Status int

// The three statuses upstream names. 127 is the shell's "command not found".
const (
	StatusOK       Status = 0
	StatusErr      Status = 1
	StatusNotFound Status = 127
)

// Run runs the job and waits for it and for everything reading its output.
// A non-zero status becomes an error whose text is the last line the job
// wrote to stderr (possibly empty).
func (job *Job) Run() error {
	// The shutdown check and the task count happen under one lock, so a job
	// either starts before Shutdown begins waiting or is refused.
	job.Eng.l.Lock()
	if job.Eng.shutdown {
		job.Eng.l.Unlock()
		return fmt.Errorf("engine is shutdown")
	}
	// "serveapi" never returns while the daemon lives; counting it would make
	// every Shutdown wait its full timeout.
	if job.Name != "serveapi" {
		job.Eng.tasks.Add(1)
		defer job.Eng.tasks.Done()
	}
	job.Eng.l.Unlock()

	if !job.end.IsZero() {
		return fmt.Errorf("%s: job has already completed", job.Name)
	}

	job.Eng.Logf("+job %s", job.CallString())
	defer func() {
		// Deferred in a closure so the status is read after the handler ran.
		job.Eng.Logf("-job %s%s", job.CallString(), job.StatusString())
	}()

	//lab:begin ch03.job-run
	// Keep a private copy of stderr: its last line is the error message.
	errorMessage := bytes.NewBuffer(nil)
	job.Stderr.Add(errorMessage)

	if job.handler == nil {
		job.Errorf("%s: command not found", job.Name)
		job.status = StatusNotFound
		// As upstream, end stays zero here: a job that never ran has no end.
	} else {
		job.status = job.handler(job)
		job.end = time.Now()
	}

	// Closing the outputs waits for background readers (AddEnv, AddTable),
	// so the caller can read their results as soon as Run returns.
	if err := job.Stdout.Close(); err != nil {
		return err
	}
	if err := job.Stderr.Close(); err != nil {
		return err
	}
	if err := job.Stdin.Close(); err != nil {
		return err
	}
	if job.status != StatusOK {
		return fmt.Errorf("%s", Tail(errorMessage, 1))
	}
	return nil
	//lab:end ch03.job-run
}

// Hangup tells the job that whoever reads its output has gone (the HTTP
// client disconnected), as the kernel sends SIGHUP to a process whose
// terminal line dropped. A job that would otherwise wait for its next
// write to notice (events, logs -f, attach to a silent container: each
// holding a connection and its descriptor until then) ends at once.
// Calling it twice, or after the job ended, is harmless.
//
// Divergence: Docker 1.2's jobs learnt of a gone client only when a
// write failed (docs/divergences.md "Streams end when the client goes").
func (job *Job) Hangup() {
	job.hangupOnce.Do(func() { close(job.hangup) })
}

// HungUp is closed once Hangup has been called.
func (job *Job) HungUp() <-chan struct{} {
	return job.hangup
}

// CallString renders the job as a call: "name(arg1, arg2)".
func (job *Job) CallString() string {
	return fmt.Sprintf("%s(%s)", job.Name, strings.Join(job.Args, ", "))
}

// StatusString is "" before the job ended, else " = OK (0)" or " = ERR (n)".
func (job *Job) StatusString() string {
	if job.end.IsZero() {
		return ""
	}
	word := "ERR"
	if job.status == StatusOK {
		word = "OK"
	}
	return fmt.Sprintf(" = %s (%d)", word, job.status)
}

// String is "<engine id8>.name(args) = OK (0)", the form the log lines use.
func (job *Job) String() string {
	return fmt.Sprintf("%s.%s%s", job.Eng, job.CallString(), job.StatusString())
}

// Logf writes "[<job>] message" to the job's stderr.
func (job *Job) Logf(format string, args ...interface{}) (n int, err error) {
	line := fmt.Sprintf("[%s] %s\n", job, strings.TrimRight(format, "\n"))
	return fmt.Fprintf(job.Stderr, line, args...)
}

// Printf writes to the job's stdout.
func (job *Job) Printf(format string, args ...interface{}) (n int, err error) {
	return fmt.Fprintf(job.Stdout, format, args...)
}

// Errorf writes a line to the job's stderr and returns StatusErr, so a
// handler can end with `return job.Errorf(...)`. A handler may also call it
// only to warn and then return StatusOK.
func (job *Job) Errorf(format string, args ...interface{}) Status {
	if !strings.HasSuffix(format, "\n") {
		format += "\n"
	}
	fmt.Fprintf(job.Stderr, format, args...)
	return StatusErr
}

// Error writes err as a line to the job's stderr and returns StatusErr.
func (job *Job) Error(err error) Status {
	fmt.Fprintf(job.Stderr, "%s\n", err)
	return StatusErr
}

// StatusCode returns the job's status as an int.
func (job *Job) StatusCode() int {
	return int(job.status)
}
