// Upstream: engine/env.go at v1.2.0 (Decoder, Decode, SetAuto, Encode,
// Import).
// Book: ch.5 and ch.9 — the API server decodes request bodies into a job's
// env (job.DecodeEnv(r.Body)) and handlers send results back as JSON objects.
//
// An Env travels as one JSON object. Two rules make the text round-trip:
//   - Decoding: JSON numbers arrive as float64; they are stored as integers
//     ("1.7" becomes "1"), because every number the daemon sends is a count,
//     a size or an id.
//   - Encoding: what a typed setter stored is emitted as JSON (SetInt as a
//     number, SetBool as 1/0, SetJson as the value); what Set stored is a
//     string, even "true" or "42" (upstream emitted any value that parsed
//     as JSON as JSON, so Set("Path", "true") came out as true).
package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Decoder reads a stream of JSON objects, one Env per object.
type Decoder struct {
	*json.Decoder
}

// NewDecoder reads Envs from src.
func NewDecoder(src io.Reader) *Decoder {
	return &Decoder{json.NewDecoder(src)}
}

// Decode reads the next object as a fresh Env.
func (decoder *Decoder) Decode() (*Env, error) {
	m := make(map[string]interface{})
	if err := decoder.Decoder.Decode(&m); err != nil {
		return nil, err
	}
	env := &Env{}
	for key, value := range m {
		env.SetAuto(key, value)
	}
	return env, nil
}

// Decode reads one JSON object from src and adds each of its keys.
func (env *Env) Decode(src io.Reader) error {
	m := make(map[string]interface{})
	if err := json.NewDecoder(src).Decode(&m); err != nil {
		return err
	}
	for key, value := range m {
		env.SetAuto(key, value)
	}
	return nil
}

// SetAuto stores a decoded JSON value: numbers as integers, strings as
// strings, anything else (bools, lists, objects, null) as its JSON text.
//
//lab:exercise ch03.env-json
func (env *Env) SetAuto(key string, value interface{}) {
	if number, ok := value.(float64); ok {
		env.SetInt64(key, int64(number))
	} else if text, ok := value.(string); ok {
		env.Set(key, text)
	} else if encoded, err := json.Marshal(value); err == nil {
		env.setRaw(key, string(encoded))
	} else {
		env.Set(key, fmt.Sprintf("%v", value))
	}
}

// changeFloats turns every float64 inside a decoded JSON value into an int, so
// that re-encoding 67108864 prints "67108864" and not "6.7108864e+07".
func changeFloats(v interface{}) interface{} {
	switch v := v.(type) {
	case float64:
		return int(v)
	case map[string]interface{}:
		for key, val := range v {
			v[key] = changeFloats(val)
		}
	case []interface{}:
		for i, val := range v {
			v[i] = changeFloats(val)
		}
	}
	return v
}

// Encode writes env as one JSON object (keys sorted, newline-terminated).
//
//lab:exercise ch03.env-json
func (env *Env) Encode(dst io.Writer) error {
	m := make(map[string]interface{})
	for key, text := range env.rawMap() {
		var decoded interface{}
		if err := json.Unmarshal([]byte(text), &decoded); err == nil {
			m[key] = changeFloats(decoded)
		} else {
			m[key] = text
		}
	}
	return json.NewEncoder(dst).Encode(&m)
}

// WriteTo encodes env to dst. Like upstream it reports 0 bytes written.
func (env *Env) WriteTo(dst io.Writer) (n int64, err error) {
	return 0, env.Encode(dst)
}

// Import copies src into env by encoding it to JSON and decoding that object.
func (env *Env) Import(src interface{}) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("ImportEnv: %s", err)
		}
	}()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(src); err != nil {
		return err
	}
	return env.Decode(&buf)
}
