// Upstream: engine/table.go at v1.2.0.
// Book: ch.5 / ch.8 — "containers" and "images" jobs print one Env per row;
// the API server collects them in a Table, sorts, and sends a JSON array.
package engine

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
)

// Table is a list of Envs (rows) with an optional key to sort by.
type Table struct {
	Data    []*Env
	sortKey string
	Chan    chan *Env
}

// NewTable makes an empty table sorted by sortKey, with room for sizeHint rows.
func NewTable(sortKey string, sizeHint int) *Table {
	return &Table{
		Data:    make([]*Env, 0, sizeHint),
		sortKey: sortKey,
		Chan:    make(chan *Env),
	}
}

// SetKey changes the sort key.
func (t *Table) SetKey(sortKey string) { t.sortKey = sortKey }

// Add appends a row.
func (t *Table) Add(env *Env) { t.Data = append(t.Data, env) }

// Len is the number of rows (sort.Interface).
func (t *Table) Len() int { return len(t.Data) }

// Less compares two rows by the sort key: as integers when both values are
// integers (so "10" sorts after "9"), as strings otherwise.
func (t *Table) Less(a, b int) bool {
	keyA, keyB := t.Data[a].Get(t.sortKey), t.Data[b].Get(t.sortKey)
	intA, errA := strconv.ParseInt(keyA, 10, 64)
	intB, errB := strconv.ParseInt(keyB, 10, 64)
	if errA == nil && errB == nil {
		return intA < intB
	}
	return keyA < keyB
}

// Swap exchanges two rows (sort.Interface).
func (t *Table) Swap(a, b int) { t.Data[a], t.Data[b] = t.Data[b], t.Data[a] }

// Sort sorts rows ascending by the sort key.
func (t *Table) Sort() { sort.Sort(t) }

// ReverseSort sorts rows descending by the sort key ("newest first").
func (t *Table) ReverseSort() { sort.Sort(sort.Reverse(t)) }

// WriteListTo writes the rows as one JSON array. Each row is written by
// Env.Encode, which ends it with a newline, so the text is "[{..}\n,{..}\n]".
// The count it returns covers only the brackets and commas, because
// Env.WriteTo reports 0 bytes (as upstream).
func (t *Table) WriteListTo(dst io.Writer) (n int64, err error) {
	punct := func(b byte) error {
		if _, err := dst.Write([]byte{b}); err != nil {
			return err
		}
		n++
		return nil
	}
	if err := punct('['); err != nil {
		return -1, err
	}
	for i, env := range t.Data {
		if i > 0 {
			if err := punct(','); err != nil {
				return -1, err
			}
		}
		written, err := env.WriteTo(dst)
		if err != nil {
			return -1, err
		}
		n += written
	}
	if err := punct(']'); err != nil {
		return -1, err
	}
	return n, nil
}

// ToListString returns WriteListTo's output as a string.
func (t *Table) ToListString() (string, error) {
	var buf bytes.Buffer
	if _, err := t.WriteListTo(&buf); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// WriteTo writes the rows as a stream of JSON objects, one per line.
func (t *Table) WriteTo(dst io.Writer) (n int64, err error) {
	for _, env := range t.Data {
		written, err := env.WriteTo(dst)
		if err != nil {
			return -1, err
		}
		n += written
	}
	return n, nil
}

// ReadListFrom adds one row per object of the JSON array in src; array
// elements that are not objects are skipped.
func (t *Table) ReadListFrom(src []byte) (n int64, err error) {
	var array []interface{}
	if err := json.Unmarshal(src, &array); err != nil {
		return -1, err
	}
	for _, item := range array {
		if m, ok := item.(map[string]interface{}); ok {
			env := &Env{}
			for key, value := range m {
				env.SetAuto(key, value)
			}
			t.Add(env)
		}
	}
	return int64(len(src)), nil
}

// ReadFrom adds one row per JSON object read from src, until EOF.
func (t *Table) ReadFrom(src io.Reader) (n int64, err error) {
	decoder := NewDecoder(src)
	for {
		env, err := decoder.Decode()
		if err == io.EOF {
			return 0, nil
		} else if err != nil {
			return -1, err
		}
		t.Add(env)
	}
}
