// Benchmarks for graphdb: Set, Get and Walk on a database holding 10,000
// named containers (run: go test -bench . ./v1_2/pkg/graphdb).
package graphdb

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

const benchEntities = 10000

// filledDb makes a database with /c0 … /c9999 → ids 1 … 10000, inserted in
// one transaction so the setup does not pay one commit per name.
func filledDb(b *testing.B) *Database {
	b.Helper()
	db, err := NewSqliteConn(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	tx, err := db.conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < benchEntities; i++ {
		id := strconv.Itoa(i + 1)
		if _, err := tx.Exec("INSERT INTO entity (id) VALUES (?);", id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec("INSERT INTO edge (parent_id, name, entity_id) VALUES ('0', ?, ?);", fmt.Sprintf("c%d", i), id); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return db
}

func BenchmarkSet(b *testing.B) {
	db := filledDb(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.Set(fmt.Sprintf("/new%d", i), fmt.Sprintf("n%d", i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet(b *testing.B) {
	db := filledDb(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if db.Get(fmt.Sprintf("/c%d", i%benchEntities)) == nil {
			b.Fatal("missing entity")
		}
	}
}

func BenchmarkWalk(b *testing.B) {
	db := filledDb(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		if err := db.Walk("/", func(string, *Entity) error { n++; return nil }, -1); err != nil {
			b.Fatal(err)
		}
		if n != benchEntities {
			b.Fatalf("walked %d entities, want %d", n, benchEntities)
		}
	}
}
