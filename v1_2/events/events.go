// Package events keeps the daemon's recent container events and hands
// them to `docker events` listeners.
//
// Upstream: events/events.go at v1.2.0 (events.New().Install(eng), jobs
// "events", "log", "subscribers_count"). See docs/upstream/v1.2.0.md §2.2
// step 3 and §2.4.
// Book: ch.3 §3.3.5 加载builtins.
//
// The "log" job is how the rest of the daemon reports something that
// happened to a container (create, start, die …): `log <action> <id>
// <from>`. The last 64 events are kept for listeners that ask for the
// past with `since`; live listeners get each new event as it is logged.
package events

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// eventsLimit is how many past events are kept, as upstream.
const eventsLimit = 64

// Message is one event, in the JSON shape of /events.
type Message struct {
	Status string `json:"status,omitempty"`
	ID     string `json:"id,omitempty"`
	From   string `json:"from,omitempty"`
	Time   int64  `json:"time,omitempty"`
}

// Events is the event log and its listeners.
type Events struct {
	mu          sync.RWMutex
	events      []Message
	subscribers map[chan Message]struct{}
}

// New makes an empty log.
func New() *Events {
	return &Events{subscribers: make(map[chan Message]struct{})}
}

// Install registers the three jobs on eng.
func (e *Events) Install(eng *engine.Engine) error {
	for name, h := range map[string]engine.Handler{
		"events":            e.Get,
		"log":               e.Log,
		"subscribers_count": e.SubscribersCount,
	} {
		if err := eng.Register(name, h); err != nil {
			return err
		}
	}
	return nil
}

// Log is the "log" job: `log ACTION ID FROM`.
func (e *Events) Log(job *engine.Job) engine.Status {
	if len(job.Args) != 3 {
		return job.Errorf("usage: %s ACTION ID FROM", job.Name)
	}
	msg := Message{Status: job.Args[0], ID: job.Args[1], From: job.Args[2], Time: time.Now().UTC().Unix()}
	e.mu.Lock()
	e.events = append(e.events, msg)
	if len(e.events) > eventsLimit {
		e.events = e.events[len(e.events)-eventsLimit:]
	}
	for ch := range e.subscribers {
		// A listener that does not keep up misses events rather than
		// blocking every container action of the daemon.
		select {
		case ch <- msg:
		default:
		}
	}
	e.mu.Unlock()
	return engine.StatusOK
}

// Get is the "events" job. env since/until are unix times (0: unset). It
// writes the kept events from since on, then, unless until is in the
// past, every new event until until, until the engine shuts down, or
// until the client goes away (the job is hung up, or a write fails).
func (e *Events) Get(job *engine.Job) engine.Status {
	since := job.GetenvInt64("since")
	until := job.GetenvInt64("until")
	enc := json.NewEncoder(job.Stdout)

	ch := make(chan Message, eventsLimit)
	e.mu.Lock()
	past := append([]Message(nil), e.events...)
	e.subscribers[ch] = struct{}{}
	e.mu.Unlock()
	defer func() {
		e.mu.Lock()
		delete(e.subscribers, ch)
		e.mu.Unlock()
	}()

	if since != 0 {
		for _, m := range past {
			if m.Time >= since && (until == 0 || m.Time <= until) {
				if err := enc.Encode(m); err != nil {
					return engine.StatusOK
				}
			}
		}
	}
	var deadline <-chan time.Time
	if until != 0 {
		d := time.Until(time.Unix(until, 0))
		if d <= 0 {
			return engine.StatusOK
		}
		deadline = time.After(d)
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case m := <-ch:
			if err := enc.Encode(m); err != nil {
				return engine.StatusOK
			}
		case <-job.HungUp():
			// The client is gone: stop now rather than at the next
			// event's failed write (1.2 held the connection till then).
			return engine.StatusOK
		case <-deadline:
			return engine.StatusOK
		case <-tick.C:
			if job.Eng.IsShutdown() {
				return engine.StatusOK
			}
		}
	}
}

// SubscribersCount is the "subscribers_count" job: an env {"count": N}.
func (e *Events) SubscribersCount(job *engine.Job) engine.Status {
	e.mu.RLock()
	n := len(e.subscribers)
	e.mu.RUnlock()
	ret := &engine.Env{}
	ret.SetInt("count", n)
	if _, err := ret.WriteTo(job.Stdout); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}
