// Tests for the graphdb package: the behaviours upstream's
// pkg/graphdb/graphdb_test.go (v1.2.0) checks, written anew for dockerlab.
// Each test gets its own database file under t.TempDir(), so unlike upstream
// (one fixed $TMPDIR/sqlite.db) they could run in parallel.
package graphdb

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestDb(t testing.TB) *Database {
	t.Helper()
	db, err := NewSqliteConn(filepath.Join(t.TempDir(), "sqlite.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// webapp builds the tree the upstream tests share:
//
//	/webapp              1
//	/webapp/db           2
//	/webapp/logs         3
//	/webapp/db/logs      4   (through entity 2)
func webapp(t *testing.T, db *Database) {
	t.Helper()
	for _, s := range []struct{ path, id string }{
		{"/webapp", "1"}, {"/db", "2"}, {"/webapp/db", "2"},
		{"/logs", "3"}, {"/webapp/logs", "3"}, {"/db/logs", "4"},
	} {
		_, err := db.Set(s.path, s.id)
		require.NoError(t, err, "Set(%s, %s)", s.path, s.id)
	}
}

func TestNewDatabase(t *testing.T) {
	newTestDb(t)
	_, err := NewDatabase(nil, true)
	require.EqualError(t, err, "Database connection cannot be nil")
}

func TestCreateRootEntity(t *testing.T) {
	db := newTestDb(t)
	root := db.RootEntity()
	require.NotNil(t, root)
	assert.Equal(t, "0", root.ID())
}

func TestGetRootEntity(t *testing.T) {
	db := newTestDb(t)
	e := db.Get("/")
	require.NotNil(t, e)
	assert.Equal(t, "0", e.ID())
}

func TestSetEntityWithDifferentName(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/test", "1")
	require.NoError(t, err)
	_, err = db.Set("/other", "1")
	require.NoError(t, err, "one id may have many names")
}

func TestCreateChild(t *testing.T) {
	db := newTestDb(t)
	child, err := db.Set("/db", "1")
	require.NoError(t, err)
	require.NotNil(t, child)
	assert.Equal(t, "1", child.ID())
}

func TestListAllRootChildren(t *testing.T) {
	db := newTestDb(t)
	for i := 1; i < 6; i++ {
		_, err := db.Set(fmt.Sprintf("/%d", i), strconv.Itoa(i))
		require.NoError(t, err)
	}
	assert.Len(t, db.List("/", -1), 5)
}

func TestListAllSubChildren(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	assert.Len(t, db.List("/webapp", 1), 3)
	assert.Len(t, db.List("/webapp", 0), 2)
	all := db.List("/webapp", -1)
	assert.Contains(t, all, "/webapp/db/logs")
	assert.Empty(t, db.List("/nosuch", -1))
}

func TestAddSelfAsChild(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/test", "1")
	require.NoError(t, err)
	_, err = db.Set("/test/other", "1")
	require.EqualError(t, err, "Cannot set self as child")
}

func TestAddChildToNonExistentRoot(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/myapp", "1")
	require.NoError(t, err)
	_, err = db.Set("/myapp/proxy/db", "2")
	require.EqualError(t, err, "Cannot find child for /myapp/proxy")
}

func TestWalkAll(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	_, err := db.Set("/webapp/logs/proxy", "5")
	require.NoError(t, err)

	var seen []string
	require.NoError(t, db.Walk("/", func(p string, e *Entity) error {
		require.NotNil(t, e)
		seen = append(seen, p)
		return nil
	}, -1))
	sort.Strings(seen)
	assert.Equal(t, []string{
		"/db", "/db/logs", "/logs", "/logs/proxy",
		"/webapp", "/webapp/db", "/webapp/db/logs", "/webapp/logs", "/webapp/logs/proxy",
	}, seen)

	stop := fmt.Errorf("stop")
	var n int
	err = db.Walk("/", func(string, *Entity) error { n++; return stop }, -1)
	require.Equal(t, stop, err)
	assert.Equal(t, 1, n, "an error from the WalkFunc stops the walk")
	require.Error(t, db.Walk("/nosuch", func(string, *Entity) error { return nil }, -1))
}

func TestGetEntityByPath(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	e := db.Get("/webapp/db/logs")
	require.NotNil(t, e)
	assert.Equal(t, "4", e.ID())
}

func TestEntitiesPaths(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	paths := db.List("/", -1).Paths()
	require.Len(t, paths, 7)
	for i := 1; i < len(paths); i++ {
		assert.GreaterOrEqual(t, PathDepth(paths[i-1]), PathDepth(paths[i]), "deepest first: %v", paths)
	}
}

func TestDeleteRootEntity(t *testing.T) {
	db := newTestDb(t)
	require.EqualError(t, db.Delete("/"), "Cannot delete root entity")
}

func TestDeleteEntity(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	require.NoError(t, db.Delete("/webapp/db/logs"))
	assert.Nil(t, db.Get("/webapp/db/logs"))
	// /webapp/db/logs and /db/logs are one edge (parent 2, name "logs"):
	// a name belongs to the parent entity, not to the path used to reach it.
	assert.Nil(t, db.Get("/db/logs"))
	assert.Equal(t, 0, db.Refs("4"), "entity 4 stays, but has no name left")
	require.NoError(t, db.Delete("/webapp/db/logs"), "deleting a missing name is not an error")
	require.Error(t, db.Delete("/nosuch/name"))
}

func TestCountRefs(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/webapp", "1")
	require.NoError(t, err)
	assert.Equal(t, 1, db.Refs("1"))
	_, err = db.Set("/db", "2")
	require.NoError(t, err)
	_, err = db.Set("/webapp/db", "2")
	require.NoError(t, err)
	assert.Equal(t, 2, db.Refs("2"))
	assert.Equal(t, 0, db.Refs("nosuch"))
}

func TestPurgeID(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/webapp", "1")
	require.NoError(t, err)
	_, err = db.Set("/db", "2")
	require.NoError(t, err)
	_, err = db.Set("/webapp/db", "2")
	require.NoError(t, err)
	count, err := db.Purge("2")
	require.NoError(t, err)
	assert.Equal(t, 2, count)
	assert.Equal(t, 0, db.Refs("2"))
	assert.False(t, db.Exists("/db"))
}

// Upstream leaves the edges under a purged entity in the table: unreachable
// from "/", but still counted by Refs.
func TestPurgeLeavesOrphanChildren(t *testing.T) {
	db := newTestDb(t)
	webapp(t, db)
	_, err := db.Purge("2")
	require.NoError(t, err)
	assert.False(t, db.Exists("/db/logs"))
	assert.Equal(t, 1, db.Refs("4"), "the orphaned edge (2, logs) still points at 4")
}

func TestRename(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/webapp", "1")
	require.NoError(t, err)
	_, err = db.Set("/db", "2")
	require.NoError(t, err)
	_, err = db.Set("/webapp/db", "2")
	require.NoError(t, err)

	require.NoError(t, db.Rename("/webapp/db", "/webapp/newdb"))
	assert.Nil(t, db.Get("/webapp/db"))
	e := db.Get("/webapp/newdb")
	require.NotNil(t, e)
	assert.Equal(t, "2", e.ID())

	require.EqualError(t, db.Rename("/webapp/newdb", "/other/newdb"),
		"Cannot rename when root paths do not match /webapp != /other")
	require.EqualError(t, db.Rename("/webapp/nosuch", "/webapp/x"), "Cannot locate edge for 1 nosuch")
}

func TestCreateMultipleNames(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/db", "1")
	require.NoError(t, err)
	_, err = db.Set("/myapp", "1")
	require.NoError(t, err)
	var seen []string
	require.NoError(t, db.Walk("/", func(p string, e *Entity) error {
		assert.Equal(t, "1", e.ID())
		seen = append(seen, p)
		return nil
	}, -1))
	sort.Strings(seen)
	assert.Equal(t, []string{"/db", "/myapp"}, seen)
}

func TestRefPaths(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/webapp", "1")
	require.NoError(t, err)
	_, err = db.Set("/db", "2")
	require.NoError(t, err)
	_, err = db.Set("/webapp/db", "2")
	require.NoError(t, err)
	refs := db.RefPaths("2")
	require.Len(t, refs, 2)
	parents := []string{refs[0].ParentID, refs[1].ParentID}
	sort.Strings(parents)
	assert.Equal(t, []string{"0", "1"}, parents)
	for _, r := range refs {
		assert.Equal(t, "db", r.Name)
		assert.Equal(t, "2", r.EntityID)
	}
	rootRefs := db.RefPaths("0")
	require.Len(t, rootRefs, 1)
	assert.Equal(t, "/", rootRefs[0].Name)
	assert.Equal(t, "", rootRefs[0].ParentID, "the root edge has no parent")
}

func TestExistsTrue(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/testing", "1")
	require.NoError(t, err)
	assert.True(t, db.Exists("/testing"))
}

func TestExistsFalse(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/toerhe", "1")
	require.NoError(t, err)
	assert.False(t, db.Exists("/testing"))
}

func TestGetNameWithTrailingSlash(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("/todo", "1")
	require.NoError(t, err)
	e := db.Get("/todo/")
	require.NotNil(t, e)
	assert.Equal(t, "1", e.ID())
}

// The quirk the daemon avoids by always adding "/": a name without a leading
// slash resolves to the root.
func TestGetWithoutLeadingSlashIsRoot(t *testing.T) {
	db := newTestDb(t)
	_, err := db.Set("todo", "1") // Set adds the "/" itself
	require.NoError(t, err)
	assert.Equal(t, "1", db.Get("/todo").ID())
	assert.Equal(t, "0", db.Get("todo").ID())
}

func TestConcurrentWrites(t *testing.T) {
	db := newTestDb(t)
	errs := make(chan error, 200)
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			// ids start at 1: id "0" is the root and cannot be its own child.
			if _, err := db.Set(fmt.Sprintf("/%d", i), strconv.Itoa(i+1)); err != nil {
				errs <- err
			}
		}(i)
		go func(i int) {
			defer wg.Done()
			if _, err := db.Purge(strconv.Itoa(i + 1)); err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	file := filepath.Join(t.TempDir(), "linkgraph.db")
	db, err := NewSqliteConn(file)
	require.NoError(t, err)
	_, err = db.Set("/web", "abc")
	require.NoError(t, err)
	require.NoError(t, db.Close())

	db, err = NewSqliteConn(file) // not new, not empty: no init
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, "abc", db.Get("/web").ID())
}

func TestNewDatabaseOnOpenConn(t *testing.T) {
	conn, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "plain.db"))
	require.NoError(t, err)
	db, err := NewDatabase(conn, true)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Set("/x", "1")
	require.NoError(t, err)
	assert.True(t, db.Exists("/x"))
	_, err = NewDatabase(conn, true)
	require.Error(t, err, "initialising twice fails: the root already exists")
}

func TestEmptyPathDoesNotPanic(t *testing.T) {
	db := newTestDb(t)
	assert.Equal(t, "0", db.Get("").ID())
	require.NoError(t, db.Delete(""))
	_, err := NewSqliteConn("")
	require.Error(t, err)
}
