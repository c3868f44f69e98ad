// Upstream: pkg/graphdb/conn_sqlite3.go at v1.2.0 (build tag cgo, driver
// code.google.com/p/gosqlite). dockerlab uses the pure-Go modernc.org/sqlite
// (driver name "sqlite"), so there is no cgo and no conn_unsupported.go
// panic.
// Book: ch.4 §4.8 graphdb — graphdb.NewSqliteConn(path.Join(config.Root,
// "linkgraph.db")).
package graphdb

import (
	"database/sql"
	"fmt"
	"os"
	"strings"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// NewSqliteConn opens (creating if needed) the database file at root, and
// creates the schema when the file is new or empty.
func NewSqliteConn(root string) (*Database, error) {
	if root == "" || strings.ContainsRune(root, '?') {
		return nil, fmt.Errorf("graphdb: invalid database path %q", root)
	}
	initDatabase := false
	stat, err := os.Stat(root)
	switch {
	case os.IsNotExist(err):
		initDatabase = true
	case err != nil:
		return nil, err
	case stat.Size() == 0:
		initDatabase = true
	}

	// _txlock=exclusive makes every transaction BEGIN EXCLUSIVE, the lock
	// upstream's Set asked for. busy_timeout makes a second process (or a
	// second Database on the same file) wait for the lock instead of failing
	// at once with SQLITE_BUSY.
	conn, err := sql.Open("sqlite", root+"?_txlock=exclusive&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	// One connection: SQLite allows one writer anyway, and with one
	// connection ":memory:"-style databases and transactions cannot end up on
	// different connections.
	conn.SetMaxOpenConns(1)
	db, err := NewDatabase(conn, initDatabase)
	if err != nil {
		conn.Close()
		return nil, err
	}
	return db, nil
}
