// What the server adds so that clients newer than Docker 1.2 — the stock
// docker CLI 28 (which negotiates down to API 1.14) and docker-py 7.1
// (which speaks 1.24) — can decode its answers and drive it.
//
// Not upstream: every function here is a divergence, listed in
// docs/divergences.md ("Remote API for later clients"). Docker 1.2's own
// client ignores the extra fields.
// Book: ch.5 §5.4 (the handlers, without these additions).
//
// The rule: add fields, never change one a 1.2 client reads, except
// where 1.2 sent a boolean as 0/1 (engine.Env's SetBool), which a later
// client's typed decoder refuses.
package server

import (
	"encoding/json"
	"runtime"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/api"
	"github.com/dockerlab/dockerlab/v1_2/dockerversion"
	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// editJSONObject decodes a JSON object, lets edit change it and encodes
// it again. Input that is not an object comes back unchanged.
func editJSONObject(in []byte, edit func(m map[string]any)) []byte {
	var m map[string]any
	if err := json.Unmarshal(in, &m); err != nil || m == nil {
		return in
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		return in
	}
	return append(out, '\n')
}

// asBool turns 1.2's 0/1 into true/false.
func asBool(m map[string]any, keys ...string) {
	for _, k := range keys {
		if n, ok := m[k].(float64); ok {
			m[k] = n != 0
		}
	}
}

func setDefault(m map[string]any, key string, v any) {
	if _, ok := m[key]; !ok || m[key] == nil {
		m[key] = v
	}
}

// compatVersion adds MinAPIVersion and the Components list the docker
// CLI prints under "Server:".
func compatVersion(in []byte) []byte {
	return editJSONObject(in, func(m map[string]any) {
		setDefault(m, "MinAPIVersion", "1.12")
		setDefault(m, "ApiVersion", string(api.APIVERSION))
		setDefault(m, "Platform", map[string]any{"Name": "dockerlab (Docker " + dockerversion.VERSION + ")"})
		details := map[string]any{}
		for _, k := range []string{"ApiVersion", "MinAPIVersion", "GitCommit", "GoVersion", "Os", "Arch", "KernelVersion"} {
			if v, ok := m[k]; ok {
				details[k] = v
			}
		}
		setDefault(m, "Components", []any{map[string]any{"Name": "Engine", "Version": m["Version"], "Details": details}})
	})
}

// compatInfo turns the 0/1 flags into booleans and adds the identity
// fields later clients print, and the counts of running, paused and
// stopped containers (API 1.19) that `docker info` prints under
// "Containers:" — read from the containers job, as 1.2 had no such
// fields (a client that found none printed "Running: 0").
func compatInfo(eng *engine.Engine, in []byte) []byte {
	return editJSONObject(in, func(m map[string]any) {
		asBool(m, "MemoryLimit", "SwapLimit", "IPv4Forwarding", "Debug")
		job := eng.Job("containers")
		job.Setenv("all", "1")
		if out, err := runBuffered(job); err == nil {
			var rows []struct{ Status string }
			if json.Unmarshal(out, &rows) == nil {
				counts := map[string]int{}
				for _, r := range rows {
					counts[stateWord(r.Status)]++
				}
				setDefault(m, "ContainersRunning", counts["running"]+counts["restarting"])
				setDefault(m, "ContainersPaused", counts["paused"])
				setDefault(m, "ContainersStopped", len(rows)-counts["running"]-counts["restarting"]-counts["paused"])
			}
		}
		setDefault(m, "ServerVersion", dockerversion.VERSION)
		setDefault(m, "OSType", "linux")
		setDefault(m, "Architecture", goArchToUname(runtime.GOARCH))
		setDefault(m, "NCPU", runtime.NumCPU())
		setDefault(m, "LoggingDriver", "json-file")
		setDefault(m, "CgroupDriver", "cgroupfs")
	})
}

func goArchToUname(a string) string {
	switch a {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	return a
}

// stateWord is the one-word State later APIs list ("running", "exited" …),
// derived from 1.2's Status text ("Up 3 seconds", "Exited (0) …").
func stateWord(status string) string {
	switch {
	case strings.HasPrefix(status, "Up") && strings.Contains(status, "(Paused)"):
		return "paused"
	case strings.HasPrefix(status, "Up"):
		return "running"
	case strings.HasPrefix(status, "Restarting"):
		return "restarting"
	case status == "":
		return "created"
	}
	return "exited"
}

// compatContainerList adds State, Labels, Mounts and HostConfig to each row.
func compatContainerList(in []byte) []byte {
	var rows []map[string]any
	if err := json.Unmarshal(in, &rows); err != nil {
		return in
	}
	for _, c := range rows {
		status, _ := c["Status"].(string)
		setDefault(c, "State", stateWord(status))
		setDefault(c, "Labels", map[string]any{})
		setDefault(c, "Mounts", []any{})
		setDefault(c, "HostConfig", map[string]any{"NetworkMode": "default"})
		setDefault(c, "Ports", []any{})
		setDefault(c, "Names", []any{})
	}
	out, err := json.Marshal(rows)
	if err != nil {
		return in
	}
	return append(out, '\n')
}

// compatContainerInspect adds State.Status (docker-py's Container.status
// reads it) and HostConfig.LogConfig (docker-py's containers.run reads it
// to decide whether it can stream logs).
func compatContainerInspect(in []byte) []byte {
	return editJSONObject(in, func(m map[string]any) {
		if st, ok := m["State"].(map[string]any); ok {
			status := "exited"
			running, _ := st["Running"].(bool)
			paused, _ := st["Paused"].(bool)
			started, _ := st["StartedAt"].(string)
			switch {
			case running && paused:
				status = "paused"
			case running:
				status = "running"
			case started == "" || strings.HasPrefix(started, "0001-01-01"):
				status = "created"
			}
			setDefault(st, "Status", status)
		}
		hc, ok := m["HostConfig"].(map[string]any)
		if !ok {
			hc = map[string]any{}
			m["HostConfig"] = hc
		}
		setDefault(hc, "LogConfig", map[string]any{"Type": "json-file", "Config": map[string]any{}})
		setDefault(m, "Mounts", []any{})
		if cfg, ok := m["Config"].(map[string]any); ok {
			setDefault(cfg, "Labels", map[string]any{})
		}
	})
}

// compatImageInspect adds RepoTags (docker-py's Image.tags), found in the
// images job's list.
func compatImageInspect(eng *engine.Engine, in []byte) []byte {
	return editJSONObject(in, func(m map[string]any) {
		if _, ok := m["RepoTags"]; ok {
			return
		}
		id, _ := m["Id"].(string)
		tags := []any{}
		job := eng.Job("images")
		job.Setenv("all", "1")
		if out, err := runBuffered(job); err == nil && id != "" {
			var list []struct {
				Id       string
				RepoTags []string
			}
			json.Unmarshal(out, &list)
			for _, img := range list {
				if img.Id == id {
					for _, t := range img.RepoTags {
						if t != "<none>:<none>" {
							tags = append(tags, t)
						}
					}
				}
			}
		}
		m["RepoTags"] = tags
	})
}

// compatListFilters turns a filters parameter in the form of API 1.22 and
// later ({"status":{"exited":true}}) into 1.2's ({"status":["exited"]}).
func compatListFilters(raw string) (string, error) {
	f, err := decodeFilters(raw)
	if err != nil || f == nil {
		return raw, err
	}
	b, _ := json.Marshal(f)
	return string(b), nil
}

// decodeFilters reads both forms of a filters parameter.
func decodeFilters(raw string) (map[string][]string, error) {
	if raw == "" {
		return nil, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, errBadFilters(err)
	}
	out := map[string][]string{}
	for k, v := range m {
		var list []string
		if err := json.Unmarshal(v, &list); err == nil {
			out[k] = list
			continue
		}
		var set map[string]bool
		if err := json.Unmarshal(v, &set); err != nil {
			return nil, errBadFilters(err)
		}
		for name, on := range set {
			if on {
				out[k] = append(out[k], name)
			}
		}
	}
	return out, nil
}

func errBadFilters(err error) error {
	return &badParam{"Bad parameter: filters is not a JSON object of lists: " + err.Error()}
}

type badParam struct{ msg string }

func (e *badParam) Error() string { return e.msg }

// compatCreateEnv rewrites what later clients put in a create (or start)
// body into what 1.2's jobs read:
//   - HostConfig.NetworkMode "default" (the later name of the bridge) is
//     1.2's "bridge", at the top level (start's body) and inside the
//     HostConfig object (create's body);
//   - Memory, MemorySwap, CpuShares and CpusetCpus moved from Config to
//     HostConfig in API 1.19; they are copied back to the top level,
//     where 1.2's create reads them.
func compatCreateEnv(env *engine.Env) {
	if env.Get("NetworkMode") == "default" {
		env.Set("NetworkMode", "bridge")
	}
	raw := env.Get("HostConfig")
	if raw == "" || raw == "null" {
		return
	}
	var hc map[string]any
	if err := json.Unmarshal([]byte(raw), &hc); err != nil || hc == nil {
		return
	}
	if hc["NetworkMode"] == "default" {
		hc["NetworkMode"] = "bridge"
	}
	for hostKey, configKey := range map[string]string{"Memory": "Memory", "MemorySwap": "MemorySwap", "CpuShares": "CpuShares", "CpusetCpus": "Cpuset"} {
		n, ok := hc[hostKey]
		if !ok || n == nil || n == float64(0) || n == "" || env.Exists(configKey) && env.Get(configKey) != "0" && env.Get(configKey) != "" {
			continue
		}
		env.SetAuto(configKey, n)
	}
	env.SetJson("HostConfig", hc) // an object, not a string
}

// familiarRepo undoes the normalisation later clients apply to a
// repository name before sending it ("busybox" goes out as
// "docker.io/library/busybox"); 1.2 stores the short name.
func familiarRepo(repo string) string {
	for _, prefix := range []string{"docker.io/library/", "docker.io/", "index.docker.io/library/", "index.docker.io/"} {
		if strings.HasPrefix(repo, prefix) {
			return strings.TrimPrefix(repo, prefix)
		}
	}
	return repo
}

// eventTime turns a later client's "1700000000.000000000" (seconds and
// nanoseconds) into 1.2's whole seconds.
func eventTime(s string) string {
	secs, _, _ := strings.Cut(s, ".")
	return secs
}
