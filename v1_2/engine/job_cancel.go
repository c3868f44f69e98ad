// Not upstream: Docker 1.2's jobs could not be told that whoever asked
// for them had gone. A `docker build` whose client was interrupted went on
// running every step to the end (later releases cancel a build through
// a Go context once the client goes). dockerlab lets the
// API server hand a job the request's "gone" signal, and the build job
// stops its running step when it fires. Jobs that never ask are as before.
// Book: ch.11 §11.2.2 (the server side of docker build).
package engine

// SetDone gives the job a channel that is closed when its caller no
// longer wants the result (an HTTP client that disconnected). nil means
// never.
func (job *Job) SetDone(done <-chan struct{}) { job.done = done }

// Done is the channel given to SetDone. Without one it is nil, and a
// receive from a nil channel blocks for ever: "never cancelled".
func (job *Job) Done() <-chan struct{} { return job.done }
