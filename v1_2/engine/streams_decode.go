// Upstream: engine/streams.go at v1.2.0 (AddEnv, AddListTable, AddTable).
// Book: ch.5 / ch.12 — the API server runs a job such as "containers" or
// "create", captures its stdout as an Env or a Table, and only then turns it
// into the HTTP response.
//
// Each helper attaches a pipe and starts a goroutine that decodes what the job
// prints. Output.Close (called by Job.Run) waits for that goroutine, so the
// result is complete once Run returns — and not safe to read before.
package engine

import "io"

// startDecoder runs decode on the pipe's reading end in the background. When
// decode stops early (bad JSON), the rest of the pipe is drained so that the
// job's later writes do not block forever (upstream could hang here).
func (o *Output) startDecoder(decode func(src io.Reader)) error {
	src, err := o.AddPipe()
	if err != nil {
		return err
	}
	o.tasks.Add(1)
	go func() {
		defer o.tasks.Done()
		decode(src)
		io.Copy(io.Discard, src)
	}()
	return nil
}

// AddEnv decodes the output as a stream of JSON objects and keeps the last one.
func (o *Output) AddEnv() (dst *Env, err error) {
	dst = &Env{}
	err = o.startDecoder(func(src io.Reader) {
		decoder := NewDecoder(src)
		for {
			env, err := decoder.Decode()
			if err != nil {
				return
			}
			*dst = *env
		}
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// AddListTable decodes the whole output as one JSON array of objects.
func (o *Output) AddListTable() (dst *Table, err error) {
	dst = NewTable("", 0)
	err = o.startDecoder(func(src io.Reader) {
		content, err := io.ReadAll(src)
		if err != nil {
			return
		}
		dst.ReadListFrom(content)
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}

// AddTable decodes the output as a stream of JSON objects, one row each.
func (o *Output) AddTable() (dst *Table, err error) {
	dst = NewTable("", 0)
	err = o.startDecoder(func(src io.Reader) {
		dst.ReadFrom(src)
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}
