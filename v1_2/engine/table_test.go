// Tests for table.go: the behaviours upstream's engine/table_test.go (v1.2.0)
// checks, written anew.
package engine

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tableOf(key string, values ...string) *Table {
	t := NewTable(key, 0)
	for _, v := range values {
		env := &Env{}
		env.Set(key, v)
		t.Add(env)
	}
	return t
}

func column(t *Table, key string) []string {
	var out []string
	for _, env := range t.Data {
		out = append(out, env.Get(key))
	}
	return out
}

func TestTableWriteTo(t *testing.T) {
	table := NewTable("", 0)
	e := &Env{}
	e.Set("foo", "bar")
	table.Add(e)
	var buf bytes.Buffer
	_, err := table.WriteTo(&buf)
	require.NoError(t, err)
	assert.Equal(t, `{"foo":"bar"}`+"\n", buf.String())
}

func TestTableSortStringValue(t *testing.T) {
	table := tableOf("Name", "C", "A", "D", "B")
	table.Sort()
	assert.Equal(t, []string{"A", "B", "C", "D"}, column(table, "Name"))
}

func TestTableReverseSortStringValue(t *testing.T) {
	table := tableOf("Name", "C", "A", "D", "B")
	table.ReverseSort()
	assert.Equal(t, []string{"D", "C", "B", "A"}, column(table, "Name"))
}

func TestTableSortsNumbersNumerically(t *testing.T) {
	table := tableOf("Created", "10", "9", "100")
	table.Sort()
	assert.Equal(t, []string{"9", "10", "100"}, column(table, "Created"))
}

func TestTableListRoundTrip(t *testing.T) {
	table := tableOf("Id", "a", "b")
	text, err := table.ToListString()
	require.NoError(t, err)
	assert.Equal(t, `[{"Id":"a"}`+"\n"+`,{"Id":"b"}`+"\n"+`]`, text)

	back := NewTable("", 0)
	_, err = back.ReadListFrom([]byte(text))
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, column(back, "Id"))

	var stream bytes.Buffer
	_, err = table.WriteTo(&stream)
	require.NoError(t, err)
	again := NewTable("", 0)
	_, err = again.ReadFrom(&stream)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, column(again, "Id"))
}
