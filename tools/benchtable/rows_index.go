// Rows: the daemon's two indexes of containers (book ch.4 §4.8 graphdb,
// §4.10 idIndex). truncindex answers `docker ps`-style short ids from
// 100,000 full ones (reference: a Go map lookup of the full id); graphdb
// keeps container names in SQLite, 10,000 of them, as upstream did.
package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dockerlab/dockerlab/v1_2/pkg/graphdb"
	"github.com/dockerlab/dockerlab/v1_2/pkg/truncindex"
)

const (
	truncIDs     = 100000
	truncOps     = 10000
	graphEntries = 10000
	mapLookupRef = "Go map lookup of a full id, 100,000 ids"
	graphGetRef  = "graphdb Get(\"/cN\"), 10,000 entities"
)

func indexRows() []row {
	const trunc = "v1.2 truncindex: short ids"
	const graph = "v1.2 graphdb (SQLite, modernc) with 10,000 names"
	return []row{
		{
			Group: trunc,
			Name:  mapLookupRef,
			Key:   "map",
			Ops:   truncOps,
			Mem:   true,
			Prepare: func() (func() error, func(), error) {
				ids := fakeIDs(truncIDs)
				set := make(map[string]struct{}, len(ids))
				for _, id := range ids {
					set[id] = struct{}{}
				}
				return func() error {
					for i := 0; i < truncOps; i++ {
						if _, ok := set[ids[i*7%truncIDs]]; !ok {
							return fmt.Errorf("id %d missing", i)
						}
					}
					return nil
				}, nil, nil
			},
		},
		{
			Group:     trunc,
			Name:      "truncindex Get(12-hex-digit prefix), 100,000 ids",
			Reference: mapLookupRef,
			Ops:       truncOps,
			Mem:       true,
			Prepare: func() (func() error, func(), error) {
				ids := fakeIDs(truncIDs)
				idx := truncindex.NewTruncIndex(ids)
				return func() error {
					for i := 0; i < truncOps; i++ {
						id := ids[i*7%truncIDs]
						got, err := idx.Get(id[:12])
						if err != nil {
							return err
						}
						if got != id {
							return fmt.Errorf("Get(%s) = %s, want %s", id[:12], got, id)
						}
					}
					return nil
				}, nil, nil
			},
		},
		{
			Group: graph,
			Name:  graphGetRef,
			Key:   "Get",
			Ops:   1000,
			Prepare: func() (func() error, func(), error) {
				db, cleanup, err := filledGraph()
				if err != nil {
					return nil, nil, err
				}
				return func() error {
					for i := 0; i < 1000; i++ {
						if db.Get("/c"+strconv.Itoa(i*7%graphEntries)) == nil {
							return fmt.Errorf("/c%d missing", i*7%graphEntries)
						}
					}
					return nil
				}, cleanup, nil
			},
		},
		{
			Group:     graph,
			Name:      "graphdb Set(\"/newN\", id): one transaction each",
			Reference: graphGetRef,
			Ops:       100,
			Prepare: func() (func() error, func(), error) {
				db, cleanup, err := filledGraph()
				if err != nil {
					return nil, nil, err
				}
				n := 0
				return func() error {
					for i := 0; i < 100; i++ {
						n++
						if _, err := db.Set("/new"+strconv.Itoa(n), "new"+strconv.Itoa(n)); err != nil {
							return err
						}
					}
					return nil
				}, cleanup, nil
			},
		},
		{
			Group:     graph,
			Name:      "graphdb Walk(\"/\") over all 10,000 (a query per entity)",
			Reference: graphGetRef,
			Prepare: func() (func() error, func(), error) {
				db, cleanup, err := filledGraph()
				if err != nil {
					return nil, nil, err
				}
				return func() error {
					n := 0
					if err := db.Walk("/", func(string, *graphdb.Entity) error { n++; return nil }, -1); err != nil {
						return err
					}
					if n != graphEntries {
						return fmt.Errorf("walked %d entities, want %d", n, graphEntries)
					}
					return nil
				}, cleanup, nil
			},
		},
	}
}

// fakeIDs returns n distinct 64-hex-digit ids, the same on every run.
func fakeIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		ids[i] = hex.EncodeToString(sum[:])
	}
	return ids
}

// filledGraph makes a graph database in a temp dir holding /c0 … /c9999.
// The names go in with one transaction on a plain connection: through
// Set it would be 10,000 commits, and the setup is not what is measured.
func filledGraph() (*graphdb.Database, func(), error) {
	dir, err := os.MkdirTemp(benchTmp, "benchtable-graphdb-")
	if err != nil {
		return nil, nil, err
	}
	removeDir := func() { os.RemoveAll(dir) }
	path := filepath.Join(dir, "linkgraph.db")
	db, err := graphdb.NewSqliteConn(path) // creates the schema
	if err != nil {
		removeDir()
		return nil, nil, err
	}
	db.Close()
	if err := bulkInsertNames(path, graphEntries); err != nil {
		removeDir()
		return nil, nil, err
	}
	db, err = graphdb.NewSqliteConn(path)
	if err != nil {
		removeDir()
		return nil, nil, err
	}
	return db, func() { db.Close(); removeDir() }, nil
}

// bulkInsertNames adds entities 1 … n named /c0 … /c(n-1) under the root
// entity "0", in the schema graphdb creates (tables entity and edge).
func bulkInsertNames(path string, n int) error {
	conn, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		id := strconv.Itoa(i + 1)
		if _, err := tx.Exec("INSERT INTO entity (id) VALUES (?);", id); err != nil {
			tx.Rollback()
			return err
		}
		if _, err := tx.Exec("INSERT INTO edge (parent_id, name, entity_id) VALUES ('0', ?, ?);", "c"+strconv.Itoa(i), id); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}
