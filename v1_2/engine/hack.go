// Upstream: engine/hack.go at v1.2.0.
// Book: ch.4 §4.7 (the bridge driver stores "httpapi.bridgeIP") and ch.5 (the
// API server reads "httpapi.daemon").
//
// Upstream itself calls this a hack: a global key/value bag on the engine so
// that the API server can reach the daemon object and the bridge IP without a
// proper interface between them. It is kept because the book's code uses it.
package engine

// Hack is the engine's bag of global values.
type Hack map[string]interface{}

// Hack_GetGlobalVar returns the value stored under key, or nil.
func (eng *Engine) Hack_GetGlobalVar(key string) interface{} {
	if eng.hack == nil {
		return nil
	}
	return eng.hack[key]
}

// Hack_SetGlobalVar stores val under key.
func (eng *Engine) Hack_SetGlobalVar(key string, val interface{}) {
	if eng.hack == nil {
		eng.hack = make(Hack)
	}
	eng.hack[key] = val
}
