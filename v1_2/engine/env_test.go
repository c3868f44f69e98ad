// Tests for env.go and env_json.go: the behaviours upstream's
// engine/env_test.go (v1.2.0) checks, written anew for dockerlab.
package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEnvLen(t *testing.T) {
	assert.Equal(t, 0, (&Env{}).Len())

	env := &Env{}
	env.Set("foo", "bar")
	env.Set("ga", "bu")
	assert.Equal(t, 2, env.Len())

	dup := &Env{"foo=bar", "foo=baz", "a=b"}
	assert.Equal(t, 2, dup.Len(), "Len counts distinct keys")
	assert.Equal(t, "baz", dup.Get("foo"), "the last value wins")
}

func TestNewJobStoresNameAndArgs(t *testing.T) {
	job := New().Job("dummy", "--level=awesome")
	assert.Equal(t, "dummy", job.Name)
	assert.Equal(t, []string{"--level=awesome"}, job.Args)
}

func TestSetenvGetenv(t *testing.T) {
	job := New().Job("dummy")
	job.Setenv("foo", "bar")
	assert.Equal(t, "bar", job.Getenv("foo"))
	job.Setenv("bar", "")
	assert.Equal(t, "", job.Getenv("bar"))
	assert.True(t, job.EnvExists("bar"), "an empty value still exists")
	assert.Equal(t, "", job.Getenv("nonexistent"))
}

func TestSetenvBool(t *testing.T) {
	job := New().Job("dummy")
	job.SetenvBool("foo", true)
	assert.True(t, job.GetenvBool("foo"))
	job.SetenvBool("bar", false)
	assert.False(t, job.GetenvBool("bar"))
	assert.False(t, job.GetenvBool("nonexistent"))
}

func TestGetBoolRules(t *testing.T) {
	for value, want := range map[string]bool{
		"": false, "0": false, "no": false, "false": false, "none": false,
		" FALSE\t": false, "No": false,
		"1": true, "yes": true, "true": true, "off": true, "anything": true,
	} {
		env := &Env{}
		env.Set("k", value)
		assert.Equal(t, want, env.GetBool("k"), "value %q", value)
	}
}

func TestSetenvInt(t *testing.T) {
	job := New().Job("dummy")
	job.SetenvInt("foo", -42)
	assert.Equal(t, -42, job.GetenvInt("foo"))
	job.SetenvInt("bar", 42)
	assert.Equal(t, 42, job.GetenvInt("bar"))
	assert.Equal(t, 0, job.GetenvInt("nonexistent"))
	job.Setenv("text", "12abc")
	assert.Equal(t, int64(0), job.GetenvInt64("text"))
	job.Setenv("padded", " 7\t")
	assert.Equal(t, int64(7), job.GetenvInt64("padded"))
}

func TestSetenvList(t *testing.T) {
	job := New().Job("dummy")
	require.NoError(t, job.SetenvList("foo", []string{"bar"}))
	assert.Equal(t, []string{"bar"}, job.GetenvList("foo"))
	require.NoError(t, job.SetenvList("bar", nil))
	assert.Nil(t, job.GetenvList("bar"), `nil is stored as "null" and reads back as nil`)
	assert.Nil(t, job.GetenvList("nonexistent"))
	job.Setenv("plain", "not json")
	assert.Equal(t, []string{"not json"}, job.GetenvList("plain"))
}

func TestEnviron(t *testing.T) {
	job := New().Job("dummy")
	job.Setenv("foo", "bar")
	assert.Equal(t, "bar", job.Environ()["foo"])
}

func TestMultiMap(t *testing.T) {
	env := &Env{}
	env.Set("foo", "bar")
	env.Set("bar", "baz")
	env.Set("hello", "world")
	m := env.MultiMap()
	env2 := &Env{}
	env2.Set("foo", "bar")
	env2.InitMultiMap(m)
	assert.Equal(t, "bar", env2.Get("foo"))
	assert.Equal(t, "baz", env2.Get("bar"))
	assert.Equal(t, "world", env2.Get("hello"))
	assert.Equal(t, 3, len(*env2), "InitMultiMap replaced the old entries")

	env3 := &Env{"k=1", "k=2"}
	assert.Equal(t, []string{"1", "2"}, env3.MultiMap()["k"])
}

func TestEntryWithoutEqualsIsSkipped(t *testing.T) {
	env := &Env{"garbage", "a=b"}
	assert.Equal(t, "b", env.Get("a"))
	assert.Equal(t, map[string]string{"a": "b"}, env.Map())
	assert.Equal(t, 1, env.Len())
}

func TestLongNumbers(t *testing.T) {
	env := &Env{}
	require.NoError(t, env.SetJson("mykey", int64(67108864)))
	var buf bytes.Buffer
	require.NoError(t, env.Encode(&buf))
	assert.Equal(t, `{"mykey":67108864}`+"\n", buf.String())
}

func TestLongNumbersArray(t *testing.T) {
	env := &Env{}
	require.NoError(t, env.SetJson("mykey", []int64{67108864}))
	var buf bytes.Buffer
	require.NoError(t, env.Encode(&buf))
	assert.Equal(t, `{"mykey":[67108864]}`+"\n", buf.String())
}

// What a typed setter stored goes out as JSON; what Set stored goes out
// as a string, even when it reads like a JSON literal (1.2 sent "Path":
// true for a container whose command was `true`, issue #10 item 8).
func TestEncodeKeepsStringsAndTypes(t *testing.T) {
	env := &Env{}
	for k, v := range map[string]string{"a": "1", "b": "true", "c": "hello", "d": "null", "f": "false", "g": "42",
		"h": `"quoted"`, "i": `["x"]`, "j": `{"k":1}`, "l": " 7 ", "m": ""} {
		env.Set(k, v)
	}
	env.SetBool("e", true)
	env.SetInt("n", 42)
	require.NoError(t, env.SetJson("o", map[string]int{"p": 1}))
	require.NoError(t, env.SetList("q", []string{"r"}))
	env.SetAuto("s", true)
	var buf bytes.Buffer
	require.NoError(t, env.Encode(&buf))
	assert.Equal(t, `{"a":"1","b":"true","c":"hello","d":"null","e":1,"f":"false","g":"42","h":"\"quoted\"",`+
		`"i":"[\"x\"]","j":"{\"k\":1}","l":" 7 ","m":"","n":42,"o":{"p":1},"q":["r"],"s":true}`+"\n", buf.String())

	// The getters hand back what was set.
	assert.Equal(t, "true", env.Get("b"))
	assert.Equal(t, `"quoted"`, env.Get("h"))
	assert.Equal(t, 42, env.GetInt("g"))
	assert.True(t, env.GetBool("b"))
	assert.False(t, env.GetBool("f"))
	assert.Equal(t, []string{"x"}, env.GetList("i"))
	var j map[string]int
	require.NoError(t, env.GetJson("j", &j), "JSON text given to Set reads as JSON")
	assert.Equal(t, map[string]int{"k": 1}, j)
	assert.Equal(t, "true", env.Map()["b"])

	// And a round trip keeps every type.
	again := &Env{}
	require.NoError(t, again.Decode(bytes.NewReader(buf.Bytes())))
	var buf2 bytes.Buffer
	require.NoError(t, again.Encode(&buf2))
	assert.Equal(t, buf.String(), buf2.String())
}

func TestDecodeTurnsFloatsIntoInts(t *testing.T) {
	env := &Env{}
	require.NoError(t, env.Decode(strings.NewReader(`{"n":1.7,"s":"x","b":true,"l":["a"]}`)))
	assert.Equal(t, "1", env.Get("n"))
	assert.Equal(t, "x", env.Get("s"))
	assert.Equal(t, "true", env.Get("b"))
	assert.Equal(t, []string{"a"}, env.GetList("l"))

	require.Error(t, env.Decode(strings.NewReader(`[1,2]`)))
}

func TestImportEnv(t *testing.T) {
	type config struct {
		Hostname string
		Memory   int64
		Cmd      []string
	}
	job := New().Job("create")
	require.NoError(t, job.ImportEnv(config{Hostname: "box", Memory: 1 << 26, Cmd: []string{"ls"}}))
	assert.Equal(t, "box", job.Getenv("Hostname"))
	assert.Equal(t, int64(1<<26), job.GetenvInt64("Memory"))
	assert.Equal(t, []string{"ls"}, job.GetenvList("Cmd"))

	err := job.ImportEnv(make(chan int))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "ImportEnv: "))
}

func TestDecoderReadsAStream(t *testing.T) {
	dec := NewDecoder(strings.NewReader(`{"a":1}{"a":2}`))
	first, err := dec.Decode()
	require.NoError(t, err)
	second, err := dec.Decode()
	require.NoError(t, err)
	assert.Equal(t, "1", first.Get("a"))
	assert.Equal(t, "2", second.Get("a"))
	_, err = dec.Decode()
	require.Error(t, err)
}

func BenchmarkEnvSet(b *testing.B) {
	for i := 0; i < b.N; i++ {
		env := &Env{}
		for j := 0; j < 100; j++ {
			env.Set("k", "v")
		}
	}
}

func BenchmarkEnvGet(b *testing.B) {
	env := &Env{}
	for j := 0; j < 100; j++ {
		env.Set("k", "v")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		env.Get("k")
	}
}

func BenchmarkEnvEncodeDecode(b *testing.B) {
	env := &Env{}
	env.Set("Name", "web")
	env.SetInt64("Memory", 67108864)
	env.SetList("Cmd", []string{"sh", "-c", "ls"})
	for i := 0; i < b.N; i++ {
		var buf bytes.Buffer
		if err := env.Encode(&buf); err != nil {
			b.Fatal(err)
		}
		if err := (&Env{}).Decode(&buf); err != nil {
			b.Fatal(err)
		}
	}
}
