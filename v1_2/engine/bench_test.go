// Benchmarks for job dispatch: create and run a job whose handler sets an env
// value and prints a line — the round trip every daemon request makes.
package engine

import (
	"io"
	"testing"
)

func BenchmarkJobDispatch(b *testing.B) {
	eng := New()
	eng.Logging = false
	eng.Register("bench", func(job *Job) Status {
		job.Setenv("Result", "ok")
		job.Printf("%s\n", job.Getenv("Result"))
		return StatusOK
	})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		job := eng.Job("bench", "arg")
		job.Stdout.Add(io.Discard)
		if err := job.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJobDispatchWithLogging(b *testing.B) {
	eng := New()
	eng.Stderr = io.Discard
	eng.Register("bench", func(job *Job) Status {
		job.Setenv("Result", "ok")
		job.Printf("%s\n", job.Getenv("Result"))
		return StatusOK
	})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		job := eng.Job("bench", "arg")
		job.Stdout.Add(io.Discard)
		if err := job.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
