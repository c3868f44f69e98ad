// Package truncindex reproduces Docker 1.2.0's index of container ids that
// answers to any unique prefix ("truncated id").
//
// Upstream: pkg/truncindex/truncindex.go at v1.2.0.
// Book: ch.4 §4.10 创建daemon实例 — NewDaemon builds `idIndex:
// truncindex.NewTruncIndex([]string{})`.
// Notes: 000 "创建daemon对象" quotes that line. Every `docker <cmd> <id-prefix>`
// ends in idIndex.Get.
package truncindex

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// ErrNoID is the one exported error at v1.2.0: an empty id or prefix.
var ErrNoID = errors.New("prefix can't be empty")

// TruncIndex maps unique prefixes of ids to the full id.
type TruncIndex struct {
	sync.RWMutex
	trie *node
	ids  map[string]struct{}
}

// NewTruncIndex builds an index holding ids. As upstream, an id that cannot be
// added (empty, with a space, duplicate) is silently skipped.
func NewTruncIndex(ids []string) *TruncIndex {
	idx := &TruncIndex{trie: &node{}, ids: make(map[string]struct{})}
	for _, id := range ids {
		idx.addID(id)
	}
	return idx
}

// addID checks and inserts one id; the caller holds the lock.
func (idx *TruncIndex) addID(id string) error {
	// A space is refused because upstream's first version of this index kept
	// all ids in one space-separated string; the rule outlived that design.
	if strings.Contains(id, " ") {
		return fmt.Errorf("Illegal character: ' '")
	}
	if id == "" {
		return ErrNoID
	}
	if _, exists := idx.ids[id]; exists {
		return fmt.Errorf("Id already exists: '%s'", id)
	}
	idx.ids[id] = struct{}{}
	if !idx.trie.insert(id) {
		return fmt.Errorf("Failed to insert id: %s", id)
	}
	return nil
}

// Add puts id in the index.
func (idx *TruncIndex) Add(id string) error {
	idx.Lock()
	defer idx.Unlock()
	return idx.addID(id)
}

// Delete removes id (the full id, not a prefix).
func (idx *TruncIndex) Delete(id string) error {
	idx.Lock()
	defer idx.Unlock()
	if _, exists := idx.ids[id]; !exists || id == "" {
		return fmt.Errorf("No such id: '%s'", id)
	}
	delete(idx.ids, id)
	if !idx.trie.remove(id) {
		return fmt.Errorf("No such id: '%s'", id)
	}
	return nil
}

// Get returns the only id that starts with prefix. Zero matches and two or
// more matches give the same error, as at v1.2.0 — the caller cannot tell
// "unknown" from "ambiguous" (later Docker added ErrAmbiguousPrefix). A quirk
// follows: if one id is a prefix of another ("abc", "abcd"), the shorter one
// can never be looked up, not even by its full text.
//
//lab:exercise ch04.truncindex-get
func (idx *TruncIndex) Get(prefix string) (string, error) {
	idx.RLock()
	defer idx.RUnlock()
	if prefix == "" {
		return "", ErrNoID
	}
	if under, path := idx.trie.find(prefix); under != nil {
		if found := under.collect(path, 2, nil); len(found) == 1 {
			return found[0], nil
		}
	}
	return "", fmt.Errorf("No such id: %s", prefix)
}
