// Upstream: engine/env.go at v1.2.0 (the typed getters and setters).
// Book: ch.3 §3.3 and ch.6 §6.4 (job.SetenvBool("EnableIptables", ...)).
//
// Env is the job's environment, kept the way a process keeps one: a list of
// "KEY=VALUE" strings. Set only appends, so a key may appear several times and
// every reader takes the last one — the same rule as a shell's environment.
// Everything typed (bools, ints, lists, nested objects) is stored as text,
// as JSON.
//
// Divergence: Docker 1.2's Encode sent any value that parsed as JSON as
// JSON, so a string that looked like a literal changed type on the way out
// — a container whose command was `true` was inspected as "Path": true,
// which today's docker CLI refuses to decode. Here Set stores such a string
// (one that would parse as JSON: true, false, null, 42, "x", [..], {..}) as
// a JSON string literal, and the getters hand it back as it was set; typed
// setters store their JSON as it is (docs/divergences.md "engine.Env keeps
// strings as strings").
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Env is an ordered list of "KEY=VALUE" entries; the last entry for a key wins.
type Env []string

// Get returns the last value set for key, or "". Entries without "=" are skipped.
func (env *Env) Get(key string) (value string) {
	return unquoteString(env.getRaw(key))
}

// getRaw is the stored text of key: a string Set quoted stays quoted.
func (env *Env) getRaw(key string) (value string) {
	for _, kv := range *env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && k == key {
			value = v
		}
	}
	return value
}

// Set appends key=value; it never removes an older value. value is a
// string: one that would read as JSON is stored quoted, so that Encode
// sends it as a string.
func (env *Env) Set(key, value string) {
	if json.Valid([]byte(value)) {
		quoted, _ := json.Marshal(value) // a string always marshals
		value = string(quoted)
	}
	env.setRaw(key, value)
}

// setRaw appends key=text, text being JSON (a typed setter's).
func (env *Env) setRaw(key, text string) {
	*env = append(*env, key+"="+text)
}

// unquoteString turns a stored JSON string literal back into its text;
// anything else is returned as it is.
func unquoteString(raw string) string {
	if !strings.HasPrefix(raw, `"`) {
		return raw
	}
	var s string
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return raw
	}
	return s
}

// Exists reports whether key has been set (even to "").
func (env *Env) Exists(key string) bool {
	_, exists := env.Map()[key]
	return exists
}

// Len counts distinct keys, so it can be smaller than len(*env).
func (env *Env) Len() int {
	return len(env.Map())
}

// Init replaces env's content with a copy of src.
func (env *Env) Init(src *Env) {
	*env = append(make([]string, 0, len(*src)), *src...)
}

// GetBool is false for "", "0", "no", "false" and "none" (any case, blanks
// trimmed) and true for anything else — so "yes", "1" and even "off" are true.
func (env *Env) GetBool(key string) bool {
	switch strings.ToLower(strings.Trim(env.Get(key), " \t")) {
	case "", "0", "no", "false", "none":
		return false
	}
	return true
}

// SetBool stores "1" or "0" (sent as the numbers 1 and 0, as upstream).
func (env *Env) SetBool(key string, value bool) {
	if value {
		env.setRaw(key, "1")
	} else {
		env.setRaw(key, "0")
	}
}

// GetInt is GetInt64 converted to int.
func (env *Env) GetInt(key string) int {
	return int(env.GetInt64(key))
}

// GetInt64 parses the value in decimal; anything unparsable reads as 0.
func (env *Env) GetInt64(key string) int64 {
	val, err := strconv.ParseInt(strings.Trim(env.Get(key), " \t"), 10, 64)
	if err != nil {
		return 0
	}
	return val
}

// SetInt stores value in decimal.
func (env *Env) SetInt(key string, value int) {
	env.setRaw(key, fmt.Sprintf("%d", value))
}

// SetInt64 stores value in decimal.
func (env *Env) SetInt64(key string, value int64) {
	env.setRaw(key, fmt.Sprintf("%d", value))
}

// GetList reads a JSON list of strings. An absent key and the text "null"
// read as nil; a value that is not a JSON list reads as a one-element list.
func (env *Env) GetList(key string) []string {
	raw := env.Get(key)
	if raw == "" {
		return nil
	}
	list := make([]string, 0, 1)
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return []string{raw}
	}
	return list
}

// SetList stores value as JSON; a nil list is stored as "null".
func (env *Env) SetList(key string, value []string) error {
	return env.SetJson(key, value)
}

// GetJson unmarshals the value into iface; an absent key leaves iface
// alone. A value given to Set as JSON text (a request body, say) is read
// as that JSON.
func (env *Env) GetJson(key string, iface interface{}) error {
	raw := env.getRaw(key)
	if raw == "" {
		return nil
	}
	err := json.Unmarshal([]byte(raw), iface)
	if err != nil && strings.HasPrefix(raw, `"`) {
		if text := unquoteString(raw); text != raw {
			return json.Unmarshal([]byte(text), iface)
		}
	}
	return err
}

// SetJson stores value marshalled as JSON text.
func (env *Env) SetJson(key string, value interface{}) error {
	text, err := json.Marshal(value)
	if err != nil {
		return err
	}
	env.setRaw(key, string(text))
	return nil
}

// GetSubEnv reads the value as a nested JSON object; nil if absent or invalid.
func (env *Env) GetSubEnv(key string) *Env {
	raw := env.Get(key)
	if raw == "" {
		return nil
	}
	var sub Env
	if err := sub.Decode(bytes.NewBufferString(raw)); err != nil {
		return nil
	}
	return &sub
}

// SetSubEnv stores sub as a nested JSON object.
func (env *Env) SetSubEnv(key string, sub *Env) error {
	var buf bytes.Buffer
	if err := sub.Encode(&buf); err != nil {
		return err
	}
	env.setRaw(key, strings.TrimSuffix(buf.String(), "\n"))
	return nil
}

// Map returns one value per key, the last one set, as the getters read
// it. Entries without "=" are skipped (upstream panicked on them).
func (env *Env) Map() map[string]string {
	m := env.rawMap()
	for k, v := range m {
		m[k] = unquoteString(v)
	}
	return m
}

// rawMap is Map with the stored texts (Encode needs to know a string).
func (env *Env) rawMap() map[string]string {
	m := make(map[string]string)
	for _, kv := range *env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// MultiMap returns every value of every key, in order, like http.Header.
func (env *Env) MultiMap() map[string][]string {
	m := make(map[string][]string)
	for _, kv := range *env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = append(m[k], unquoteString(v))
		}
	}
	return m
}

// InitMultiMap throws away env's content and fills it from m.
func (env *Env) InitMultiMap(m map[string][]string) {
	*env = make([]string, 0, len(m))
	for k, values := range m {
		for _, v := range values {
			env.Set(k, v)
		}
	}
}
