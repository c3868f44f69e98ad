// Upstream: engine/job.go at v1.2.0 (the Getenv/Setenv wrappers).
// Book: ch.3 and ch.6 §6.4 — mainDaemon passes the daemon's configuration to
// "init_networkdriver" with job.SetenvBool("EnableIptables", ...) and
// job.Setenv("BridgeIface", ...); the handler reads them back with
// GetenvBool.
//
// The job's environment is how arguments with names travel between the API
// server, the engine and the handlers; these wrappers just forward to Env.
package engine

import "io"

// Env returns the job's environment itself (not a copy).
func (job *Job) Env() *Env { return job.env }

// EnvExists reports whether key was set.
func (job *Job) EnvExists(key string) bool { return job.env.Exists(key) }

// Getenv returns the last value set for key, or "".
func (job *Job) Getenv(key string) string { return job.env.Get(key) }

// Setenv appends key=value.
func (job *Job) Setenv(key, value string) { job.env.Set(key, value) }

// GetenvBool reads key with Env's boolean rules.
func (job *Job) GetenvBool(key string) bool { return job.env.GetBool(key) }

// SetenvBool stores "1" or "0".
func (job *Job) SetenvBool(key string, value bool) { job.env.SetBool(key, value) }

// GetenvSubEnv reads key as a nested JSON object.
func (job *Job) GetenvSubEnv(key string) *Env { return job.env.GetSubEnv(key) }

// SetenvSubEnv stores value as a nested JSON object.
func (job *Job) SetenvSubEnv(key string, value *Env) error { return job.env.SetSubEnv(key, value) }

// GetenvInt64 reads key as a decimal int64 (0 if absent or not a number).
func (job *Job) GetenvInt64(key string) int64 { return job.env.GetInt64(key) }

// GetenvInt reads key as a decimal int (0 if absent or not a number).
func (job *Job) GetenvInt(key string) int { return job.env.GetInt(key) }

// SetenvInt64 stores value in decimal.
func (job *Job) SetenvInt64(key string, value int64) { job.env.SetInt64(key, value) }

// SetenvInt stores value in decimal.
func (job *Job) SetenvInt(key string, value int) { job.env.SetInt(key, value) }

// GetenvList reads key as a JSON list of strings (nil if absent).
func (job *Job) GetenvList(key string) []string { return job.env.GetList(key) }

// GetenvJson unmarshals key's JSON value into iface.
func (job *Job) GetenvJson(key string, iface interface{}) error { return job.env.GetJson(key, iface) }

// SetenvJson stores value marshalled as JSON.
func (job *Job) SetenvJson(key string, value interface{}) error { return job.env.SetJson(key, value) }

// SetenvList stores value as a JSON list (nil becomes "null").
func (job *Job) SetenvList(key string, value []string) error { return job.env.SetJson(key, value) }

// DecodeEnv adds every key of one JSON object read from src.
func (job *Job) DecodeEnv(src io.Reader) error { return job.env.Decode(src) }

// EncodeEnv writes the environment to dst as one JSON object.
func (job *Job) EncodeEnv(dst io.Writer) error { return job.env.Encode(dst) }

// ImportEnv copies the exported fields of a struct (or a map) into the env.
func (job *Job) ImportEnv(src interface{}) error { return job.env.Import(src) }

// Environ returns the environment as a map, last value winning.
func (job *Job) Environ() map[string]string { return job.env.Map() }
