// Filling a daemon with containers before a row: the setup, not the
// measurement, so it runs a few requests at once (as several docker
// clients would) to keep `make bench` within its few minutes.
package main

import (
	"fmt"
	"sync"
)

// setupWorkers is how many creates run at once during setup.
const setupWorkers = 4

// makeN calls create n times, setupWorkers at a time, and returns the ids
// in no particular order; the first error stops the rest.
func makeN(n int, create func() (string, error)) ([]string, error) {
	var (
		mu       sync.Mutex
		ids      []string
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < setupWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id, err := create()
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("container %d of %d: %w", i+1, n, err)
				}
				if err == nil {
					ids = append(ids, id)
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return ids, firstErr
}
