// Tests of the two graphdb exercises of chapter 4:
//   - ch04.graphdb-set (Set's setInTx: an entity and the edge that names
//     it): `dockerlab lab check ch04.graphdb-set`, or
//     `go test ./v1_2/pkg/graphdb -run TestCh04GraphdbSet`;
//   - ch04.graphdb-walk (Walk's childrenAt: the tree below a path, depth
//     first): `dockerlab lab check ch04.graphdb-walk`, or
//     `go test ./v1_2/pkg/graphdb -run TestCh04GraphdbWalk`.
package graphdb

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labTree names containers the way the daemon does: /web and /db are
// containers, /web/db is web's link to db (a second name of entity "2"),
// /db/cache a link of db. The names are given in alphabetical order, so
// a walk meets them in the same order whichever way the rows come back.
func labTree(t *testing.T) *Database {
	t.Helper()
	db := newTestDb(t)
	for _, s := range []struct{ path, id string }{
		{"/db", "2"}, {"/cache", "3"}, {"/db/cache", "3"}, {"/web", "1"}, {"/web/db", "2"},
	} {
		e, err := db.Set(s.path, s.id)
		require.NoError(t, err, "Set(%q, %q)", s.path, s.id)
		require.NotNil(t, e, "Set(%q, %q) returns the entity", s.path, s.id)
		assert.Equal(t, s.id, e.ID(), "Set(%q, %q) returns the entity", s.path, s.id)
	}
	return db
}

// labStuck remembers that a walk hung once, so that the later tests fail
// at once instead of waiting for the guard again.
var labStuck atomic.Bool

// labWalk is the paths db.Walk visits below name, in order, failing the
// test instead of hanging: a walk that waits for the database's only
// connection, or never ends on a cycle, is reported.
func labWalk(t *testing.T, db *Database, name string, depth int) []string {
	t.Helper()
	if labStuck.Load() {
		t.Fatal("a walk hung in an earlier test (see it): fix that first")
	}
	type result struct {
		paths []string
		err   error
	}
	done := make(chan result, 1)
	go func() {
		var paths []string
		err := db.Walk(name, func(p string, e *Entity) error {
			paths = append(paths, p+" "+e.ID())
			return nil
		}, depth)
		done <- result{paths, err}
	}()
	select {
	case r := <-done:
		require.NoError(t, r.err, "Walk(%q, %d)", name, depth)
		return r.paths
	case <-time.After(5 * time.Second):
		labStuck.Store(true)
		t.Fatal("Walk hung. The database has one connection (NewSqliteConn): a query made while another one's rows are still open waits for ever, so read a level's rows completely and close them before going down. (A cycle must also stop: at maxWalkLevels.)")
		return nil
	}
}

// Set gives entities names; a name under another entity is a link, and
// one entity may have several names.
func TestCh04GraphdbSet(t *testing.T) {
	db := labTree(t)
	assert.Equal(t, "1", db.Get("/web").ID(), "/web names entity 1")
	assert.Equal(t, "2", db.Get("/web/db").ID(), "/web/db is a second name of db's entity")
	assert.Equal(t, "3", db.Get("/web/db/cache").ID(), "names resolve through links: /web/db/cache is db's link to cache")
	assert.Equal(t, 2, db.Refs("2"), "entity 2 has two names: /db and /web/db")
	var entities int
	require.NoError(t, db.conn.QueryRow("SELECT COUNT(*) FROM entity WHERE id = ?;", "2").Scan(&entities))
	assert.Equal(t, 1, entities, "a second name adds an edge, not a second entity")
}

// Walk lists everything below a path, depth first: a child, then its
// children, then the next child.
func TestCh04GraphdbWalk(t *testing.T) {
	db := labTree(t)
	assert.Equal(t, []string{
		"/cache 3",
		"/db 2",
		"/db/cache 3",
		"/web 1",
		"/web/db 2",
		"/web/db/cache 3",
	}, labWalk(t, db, "/", -1), "depth -1: everything, depth first; /web/db/cache is db's link seen through web's")
}

// depth 0 is the direct children only, 1 one level more.
func TestCh04GraphdbWalk_Depth(t *testing.T) {
	db := labTree(t)
	assert.Equal(t, []string{"/cache 3", "/db 2", "/web 1"}, labWalk(t, db, "/", 0), "depth 0: the containers, no links")
	assert.Equal(t, []string{"/web/db 2"}, labWalk(t, db, "/web", 0), "depth 0 below /web: its links")
	assert.Equal(t, []string{"/web/db 2", "/web/db/cache 3"}, labWalk(t, db, "/web", 1), "depth 1 below /web: its links and theirs")
	assert.Empty(t, labWalk(t, db, "/cache", -1), "a container without links has nothing below it")
}

// A name is made under a parent that exists; one parent cannot have two
// children of the same name; an entity cannot be its own child.
func TestCh04GraphdbSet_Refusals(t *testing.T) {
	db := labTree(t)
	_, err := db.Set("/nosuch/db", "4")
	assert.Error(t, err, "the parent /nosuch does not exist")
	assert.Nil(t, db.Get("/nosuch/db"))

	_, err = db.Set("/web", "4")
	require.Error(t, err, "/web is taken")
	assert.True(t, IsNonUniqueNameError(err), "the unique index on (parent_id, name) refuses a second /web: %v", err)
	assert.Equal(t, "1", db.Get("/web").ID(), "/web still names entity 1")
	assert.Equal(t, 0, db.Refs("4"), "the refused Sets were rolled back: entity 4 has no name")

	_, err = db.Set("/web/self", "1")
	assert.EqualError(t, err, "Cannot set self as child")
}

// Set after a refused Set still works: the entity of a failed Set was
// rolled back with the transaction, and a new id gets its own entity.
func TestCh04GraphdbSet_NewEntity(t *testing.T) {
	db := labTree(t)
	_, err := db.Set("/nosuch/x", "9")
	require.Error(t, err)
	e, err := db.Set("/x", "9")
	require.NoError(t, err)
	require.NotNil(t, e)
	assert.Equal(t, "9", e.ID())
	assert.Equal(t, 1, db.Refs("9"))
	assert.Equal(t, "9", db.Get("/x").ID(), "/x is a direct child of the root")
}

// A graph with a cycle (Set only refuses a direct self-link) is cut off
// at maxWalkLevels instead of being walked for ever.
func TestCh04GraphdbWalk_Cycle(t *testing.T) {
	db := newTestDb(t)
	for _, s := range []struct{ path, id string }{{"/a", "1"}, {"/a/b", "2"}, {"/a/b/c", "1"}} {
		_, err := db.Set(s.path, s.id)
		require.NoError(t, err)
	}
	paths := labWalk(t, db, "/", -1)
	assert.Len(t, paths, maxWalkLevels, "one edge per level, %d levels", maxWalkLevels)
	assert.Equal(t, []string{"/a 1", "/a/b 2", "/a/b/c 1", "/a/b/c/b 2"}, paths[:4])
}
