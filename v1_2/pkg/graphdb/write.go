// Upstream: pkg/graphdb/graphdb.go at v1.2.0 (the write side: Set, Delete,
// Purge, Rename).
// Book: ch.12 §12.3 创建容器对象 (Register → containerGraph.Set("/name", id)) and
// ch.12 §12.4 links (RegisterLink → Set("/web/db", dbID)); `docker rm` uses
// Delete for a link and Purge for a container.
//
// Upstream sent "BEGIN" and "COMMIT" as plain statements through the
// database/sql pool, which may run them on different connections. Here each
// write runs in a database/sql transaction, which pins one connection; the
// lock mode (EXCLUSIVE for NewSqliteConn) comes from the DSN.
package graphdb

import (
	"database/sql"
	"errors"
	"fmt"
)

// Set names the entity id at fullPath, creating the entity if it is new. The
// parent path must exist. Two names for one id are fine (that is a link);
// one name for two ids is not — that error satisfies IsNonUniqueNameError.
func (db *Database) Set(fullPath, id string) (*Entity, error) {
	db.mux.Lock()
	defer db.mux.Unlock()
	tx, err := db.conn.Begin()
	if err != nil {
		return nil, err
	}
	e, err := setInTx(db, tx, fullPath, id)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return e, nil
}

// setInTx is Set's work, inside the transaction tx: the entity (created
// if new), then the edge that names it under its parent.
//
//lab:exercise ch04.graphdb-set
func setInTx(db *Database, tx *sql.Tx, fullPath, id string) (*Entity, error) {
	var existing string
	err := tx.QueryRow("SELECT id FROM entity WHERE id = ?;", id).Scan(&existing)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.Exec("INSERT INTO entity (id) VALUES (?);", id); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	e := &Entity{id: id}
	parentPath, name := splitPath(fullPath)
	parent, err := db.get(tx, parentPath)
	if err != nil {
		return nil, err
	}
	if parent.id == e.id {
		return nil, fmt.Errorf("Cannot set self as child")
	}
	if _, err := tx.Exec("INSERT INTO edge (parent_id, name, entity_id) VALUES (?, ?, ?);", parent.id, name, e.id); err != nil {
		return nil, err
	}
	return e, nil
}

// Delete removes the name (the edge) only; the entity and its other names
// stay. Deleting a name that does not exist is not an error.
func (db *Database) Delete(name string) error {
	db.mux.Lock()
	defer db.mux.Unlock()
	if name == "/" {
		return fmt.Errorf("Cannot delete root entity")
	}
	parentPath, n := splitPath(name)
	parent, err := db.get(db.conn, parentPath)
	if err != nil {
		return err
	}
	_, err = db.conn.Exec("DELETE FROM edge WHERE parent_id = ? AND name = ?;", parent.id, n)
	return err
}

// Purge removes every name of id and the entity itself, and returns how
// many names were removed. Edges whose parent is id are left behind (the
// foreign keys are not enforced); they become unreachable from "/".
func (db *Database) Purge(id string) (int, error) {
	db.mux.Lock()
	defer db.mux.Unlock()
	tx, err := db.conn.Begin()
	if err != nil {
		return -1, err
	}
	res, err := tx.Exec("DELETE FROM edge WHERE entity_id = ?;", id)
	if err != nil {
		tx.Rollback()
		return -1, err
	}
	changes, err := res.RowsAffected()
	if err != nil {
		tx.Rollback()
		return -1, err
	}
	if _, err := tx.Exec("DELETE FROM entity WHERE id = ?;", id); err != nil {
		tx.Rollback()
		return -1, err
	}
	if err := tx.Commit(); err != nil {
		return -1, err
	}
	return int(changes), nil
}

// Rename changes the last name of a path; the parent must stay the same.
func (db *Database) Rename(currentName, newName string) error {
	db.mux.Lock()
	defer db.mux.Unlock()
	parentPath, name := splitPath(currentName)
	newParentPath, newEdgeName := splitPath(newName)
	if parentPath != newParentPath {
		return fmt.Errorf("Cannot rename when root paths do not match %s != %s", parentPath, newParentPath)
	}
	parent, err := db.get(db.conn, parentPath)
	if err != nil {
		return err
	}
	res, err := db.conn.Exec("UPDATE edge SET name = ? WHERE parent_id = ? AND name = ?;", newEdgeName, parent.id, name)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("Cannot locate edge for %s %s", parent.id, name)
	}
	return nil
}
