// Upstream: pkg/graphdb/graphdb.go at v1.2.0 (types and the read side: Get,
// Exists, List, Walk, Children, Refs, RefPaths).
// Book: ch.4 §4.8 graphdb; ch.12 §12.4 setupLinkedContainers walks "/<name>"
// one level deep to find a container's links.
package graphdb

import (
	"database/sql"
	"fmt"
	"path"
	"sync"
)

// Entity is a node of the graph; its id is a container id ("0" is the root).
type Entity struct {
	id string
}

// ID returns the entity's id.
func (e *Entity) ID() string { return e.id }

// Edge is one name: entity EntityID is called Name under ParentID.
type Edge struct {
	EntityID string
	Name     string
	ParentID string
}

// Entities maps full paths to entities.
type Entities map[string]*Entity

// Edges is a list of edges.
type Edges []*Edge

// WalkFunc is called for every path Walk visits; an error stops the walk.
type WalkFunc func(fullPath string, entity *Entity) error

// WalkMeta describes one visited edge: who the parent is, who the child is,
// the child's full path and the edge itself.
type WalkMeta struct {
	Parent   *Entity
	Entity   *Entity
	FullPath string
	Edge     *Edge
}

// Database is the graph. mux lets many readers in at once but only one
// writer, so a reader never sees half of a Set.
type Database struct {
	conn *sql.DB
	mux  sync.RWMutex
}

// querier is what both *sql.DB and *sql.Tx offer, so the path-resolving
// helpers work inside and outside a transaction.
type querier interface {
	Exec(query string, args ...any) (sql.Result, error)
	Query(query string, args ...any) (*sql.Rows, error)
	QueryRow(query string, args ...any) *sql.Row
}

// Close closes the connection.
func (db *Database) Close() error {
	return db.conn.Close()
}

// RootEntity is the entity at "/".
func (db *Database) RootEntity() *Entity {
	return &Entity{id: "0"}
}

// Get returns the entity at name, or nil.
func (db *Database) Get(name string) *Entity {
	db.mux.RLock()
	defer db.mux.RUnlock()
	e, err := db.get(db.conn, name)
	if err != nil {
		return nil
	}
	return e
}

// Exists reports whether name resolves to an entity.
func (db *Database) Exists(name string) bool {
	return db.Get(name) != nil
}

// get resolves a path one name at a time from the root. Index 0 of the split
// is skipped because it is what came before the leading "/". That has a
// quirk upstream has too: for "web" (no leading "/") index 0 is the only
// part, nothing is looked up, and the answer is the root. Empty parts are
// skipped, so "/web/" and "//web" resolve like "/web".
func (db *Database) get(q querier, name string) (*Entity, error) {
	e := db.RootEntity()
	if name == "/" {
		return e, nil
	}
	parts := split(name)
	for _, part := range parts[1:] {
		if part == "" {
			continue
		}
		next := child(q, e, part)
		if next == nil {
			return nil, fmt.Errorf("Cannot find child for %s", name)
		}
		e = next
	}
	return e, nil
}

// child returns the entity called name under parent, or nil.
func child(q querier, parent *Entity, name string) *Entity {
	var id string
	err := q.QueryRow("SELECT entity_id FROM edge WHERE parent_id = ? AND name = ?;", parent.id, name).Scan(&id)
	if err != nil {
		return nil
	}
	return &Entity{id: id}
}

// List returns the entities below name by full path. depth 0 means the
// direct children, n means n more levels, -1 means everything.
func (db *Database) List(name string, depth int) Entities {
	out := Entities{}
	children, err := db.Children(name, depth)
	if err != nil {
		return out
	}
	for _, c := range children {
		out[c.FullPath] = c.Entity
	}
	return out
}

// Walk calls walkFunc for every entity below name (depth as in List). The
// list is read first and the lock released, so walkFunc may itself change
// the database.
func (db *Database) Walk(name string, walkFunc WalkFunc, depth int) error {
	children, err := db.Children(name, depth)
	if err != nil {
		return err
	}
	for _, c := range children {
		if err := walkFunc(c.FullPath, c.Entity); err != nil {
			return err
		}
	}
	return nil
}

// Children returns the edges below name, depth first (a child, then its
// children, then the next child).
func (db *Database) Children(name string, depth int) ([]WalkMeta, error) {
	db.mux.RLock()
	defer db.mux.RUnlock()
	e, err := db.get(db.conn, name)
	if err != nil {
		return nil, err
	}
	return db.children(e, name, depth, nil)
}

// children appends the edges below e (whose path is name) to out. The rows
// of one level are read completely before descending, so only one query is
// open at a time and a single-connection pool cannot deadlock. A graph with
// a cycle (Set refuses only a direct self-link: "/a" → 1, "/a/b" → 2,
// "/a/b/c" → 1 is accepted) is cut off at 100 levels; upstream recursed
// until the stack overflowed.
func (db *Database) children(e *Entity, name string, depth int, out []WalkMeta) ([]WalkMeta, error) {
	return db.childrenAt(e, name, depth, out, 0)
}

const maxWalkLevels = 100

// childrenAt is children at recursion level level (0 for e itself).
//
//lab:exercise ch04.graphdb-walk
func (db *Database) childrenAt(e *Entity, name string, depth int, out []WalkMeta, level int) ([]WalkMeta, error) {
	if level >= maxWalkLevels {
		return out, nil
	}
	rows, err := db.conn.Query("SELECT entity_id, name FROM edge WHERE parent_id = ?;", e.id)
	if err != nil {
		return nil, err
	}
	var level0 []WalkMeta
	for rows.Next() {
		var id, edgeName string
		if err := rows.Scan(&id, &edgeName); err != nil {
			rows.Close()
			return nil, err
		}
		c := &Entity{id: id}
		level0 = append(level0, WalkMeta{
			Parent:   e,
			Entity:   c,
			FullPath: path.Join(name, edgeName),
			Edge:     &Edge{EntityID: id, Name: edgeName, ParentID: e.id},
		})
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, err
	}
	for _, meta := range level0 {
		out = append(out, meta)
		if depth == 0 {
			continue
		}
		next := depth
		if depth != -1 {
			next--
		}
		if out, err = db.childrenAt(meta.Entity, meta.FullPath, next, out, level+1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Refs counts the names (edges) that point at id.
func (db *Database) Refs(id string) int {
	db.mux.RLock()
	defer db.mux.RUnlock()
	var count int
	if err := db.conn.QueryRow("SELECT COUNT(*) FROM edge WHERE entity_id = ?;", id).Scan(&count); err != nil {
		return 0
	}
	return count
}

// RefPaths returns every edge that points at id.
func (db *Database) RefPaths(id string) Edges {
	db.mux.RLock()
	defer db.mux.RUnlock()
	refs := Edges{}
	rows, err := db.conn.Query("SELECT name, parent_id FROM edge WHERE entity_id = ?;", id)
	if err != nil {
		return refs
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var parentID sql.NullString // NULL for the root's own edge
		if err := rows.Scan(&name, &parentID); err != nil {
			return refs
		}
		refs = append(refs, &Edge{EntityID: id, Name: name, ParentID: parentID.String})
	}
	return refs
}

// Paths returns the keys deepest first, the order to tear links down in.
func (e Entities) Paths() []string {
	out := make([]string, 0, len(e))
	for k := range e {
		out = append(out, k)
	}
	sortByDepth(out)
	return out
}
