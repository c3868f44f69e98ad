// Upstream: vendor/src/github.com/tchap/go-patricia/patricia at v1.2.0 (the
// trie behind pkg/truncindex/truncindex.go).
// Book: ch.4 §4.10 创建daemon实例 (idIndex: truncindex.NewTruncIndex(...)).
//
// This is dockerlab's own small radix (PATRICIA-style) tree with just the
// three operations the index needs: insert, delete, and "give me up to two
// ids under this prefix".
//
// Why a trie: `docker rm 4a5b` must find the one container id starting with
// "4a5b" among thousands of 64-digit ids. In a radix tree the ids that share a
// prefix share a path, so the lookup costs the length of the prefix, not the
// number of ids. Each edge carries a whole run of bytes (not one byte), so a
// 64-digit id needs only a handful of nodes once its prefix is unique.
package truncindex

import "strings"

// node is one vertex of the tree. The bytes on the edge leading into it are
// `label`; an id ends at this node when `isID` is set.
type node struct {
	label    string
	isID     bool
	children []*node // at most one child per first byte
}

// childFor returns the index of the child whose label starts with b, or -1.
func (n *node) childFor(b byte) int {
	for i, c := range n.children {
		if c.label[0] == b {
			return i
		}
	}
	return -1
}

// commonPrefixLen is how many leading bytes a and b share.
func commonPrefixLen(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// insert adds key below n and reports false if it was already there.
func (n *node) insert(key string) bool {
	for {
		if key == "" {
			if n.isID {
				return false
			}
			n.isID = true
			return true
		}
		i := n.childFor(key[0])
		if i < 0 {
			n.children = append(n.children, &node{label: key, isID: true})
			return true
		}
		child := n.children[i]
		common := commonPrefixLen(key, child.label)
		if common < len(child.label) {
			// The key leaves the child's edge half-way: split the edge so
			// that the shared part becomes a node of its own.
			split := &node{label: child.label[:common], children: []*node{child}}
			child.label = child.label[common:]
			n.children[i] = split
			child = split
		}
		n, key = child, key[common:]
	}
}

// remove deletes key below n and reports whether it was there. On the way
// back up it prunes empty nodes and merges a node with its only child, so the
// tree stays as small as if the key had never been inserted.
func (n *node) remove(key string) bool {
	if key == "" {
		if !n.isID {
			return false
		}
		n.isID = false
		return true
	}
	i := n.childFor(key[0])
	if i < 0 {
		return false
	}
	child := n.children[i]
	if !strings.HasPrefix(key, child.label) || !child.remove(key[len(child.label):]) {
		return false
	}
	switch {
	case !child.isID && len(child.children) == 0:
		n.children = append(n.children[:i], n.children[i+1:]...)
	case !child.isID && len(child.children) == 1:
		only := child.children[0]
		only.label = child.label + only.label
		n.children[i] = only
	}
	return true
}

// find walks down to the node that covers every key starting with prefix and
// returns it with the full text of the path to it; nil if no key matches.
//
//lab:exercise ch04.truncindex-get
func (n *node) find(prefix string) (*node, string) {
	path := ""
	for prefix != "" {
		i := n.childFor(prefix[0])
		if i < 0 {
			return nil, ""
		}
		child := n.children[i]
		if len(prefix) <= len(child.label) {
			if !strings.HasPrefix(child.label, prefix) {
				return nil, ""
			}
			return child, path + child.label
		}
		if !strings.HasPrefix(prefix, child.label) {
			return nil, ""
		}
		path += child.label
		prefix = prefix[len(child.label):]
		n = child
	}
	return n, path
}

// collect appends the ids below n (n's own path is `path`) to found, and
// stops as soon as found holds `limit` ids.
func (n *node) collect(path string, limit int, found []string) []string {
	if n.isID {
		found = append(found, path)
	}
	for _, c := range n.children {
		if len(found) >= limit {
			break
		}
		found = c.collect(path+c.label, limit, found)
	}
	return found
}
