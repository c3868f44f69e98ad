// Package graphdb reproduces Docker 1.2.0's graph database of container
// names: a tree of named edges stored in two SQLite tables.
//
// Upstream: pkg/graphdb/graphdb.go at v1.2.0 (schema, NewDatabase).
// Book: ch.4 §4.8 graphdb — NewDaemon opens <root>/linkgraph.db with
// graphdb.NewSqliteConn.
// Notes: 000 "创建graphdb并初始化": graphdb is a graph database built on SQLite
// that records names and the links between them.
//
// The model: an entity is just an id (a container id). An edge gives an
// entity a name under a parent entity. The root entity "0" sits at "/", so a
// container named "web" is the edge ("0", "web") → id, and the link alias
// "db" of web is the edge (web's id, "db") → the db container's id, whose
// full path is "/web/db". One id may have many names; that is what a link is.
package graphdb

import (
	"database/sql"
	"fmt"
)

// The two tables and the index, as upstream creates them. The unique index
// on (parent_id, name) is what makes two containers with one name impossible.
// SQLite leaves foreign keys unenforced unless PRAGMA foreign_keys is on, and
// upstream never turned it on, so the two constraints below are documentation
// only: Purge can remove an entity that still has children (see Purge).
const (
	createEntityTable = `
CREATE TABLE IF NOT EXISTS entity (
    id text NOT NULL PRIMARY KEY
);`

	createEdgeTable = `
CREATE TABLE IF NOT EXISTS edge (
    "entity_id" text NOT NULL,
    "parent_id" text NULL,
    "name" text NOT NULL,
    CONSTRAINT "parent_fk" FOREIGN KEY ("parent_id") REFERENCES "entity" ("id"),
    CONSTRAINT "entity_fk" FOREIGN KEY ("entity_id") REFERENCES "entity" ("id")
);`

	createEdgeIndices = `
CREATE UNIQUE INDEX IF NOT EXISTS "name_parent_ix" ON "edge" (parent_id, name);`
)

// NewDatabase wraps an open connection. With init it creates the tables and
// the root: entity "0" and its edge named "/" with no parent. Initialising a
// database that already has a root fails (entity "0" exists), as upstream;
// NewSqliteConn only asks for init on a new, empty file.
func NewDatabase(conn *sql.DB, init bool) (*Database, error) {
	if conn == nil {
		return nil, fmt.Errorf("Database connection cannot be nil")
	}
	db := &Database{conn: conn}
	if !init {
		return db, nil
	}
	for _, stmt := range []string{createEntityTable, createEdgeTable, createEdgeIndices} {
		if _, err := conn.Exec(stmt); err != nil {
			return nil, err
		}
	}
	tx, err := conn.Begin()
	if err != nil {
		return nil, err
	}
	if _, err := tx.Exec("INSERT INTO entity (id) VALUES (?);", "0"); err != nil {
		tx.Rollback()
		return nil, err
	}
	if _, err := tx.Exec("INSERT INTO edge (entity_id, name) VALUES (?, ?);", "0", "/"); err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return db, nil
}
