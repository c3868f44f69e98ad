// Running the stock docker CLI (the `docker` on PATH; version 28 on this
// kind of machine) against a daemon's socket, with a configuration
// directory of its own so that nothing of the user's ~/.docker is read or
// written, and no DOCKER_HOST or context of theirs applies.
package main

import (
	"os"
	"os/exec"
	"sync"
)

var (
	cliConfigOnce sync.Once
	cliConfigDir  string
)

// dockerCLIMissing is a skip reason when there is no docker CLI.
func dockerCLIMissing() string {
	if _, err := exec.LookPath("docker"); err != nil {
		return "no stock docker CLI on PATH"
	}
	return ""
}

// dockerCLI runs `docker -H unix://SOCK args...` and returns its output.
func dockerCLI(sock string, args ...string) ([]byte, error) {
	cliConfigOnce.Do(func() {
		dir, err := os.MkdirTemp(benchTmp, "dockerlab-bench-cli-")
		if err == nil {
			cliConfigDir = dir
			onExit(func() { os.RemoveAll(dir) })
		}
	})
	cmd := exec.Command("docker", append([]string{"-H", "unix://" + sock}, args...)...)
	env := []string{}
	for _, kv := range os.Environ() {
		switch {
		case hasPrefix(kv, "DOCKER_HOST="), hasPrefix(kv, "DOCKER_CONTEXT="), hasPrefix(kv, "DOCKER_CONFIG="),
			hasPrefix(kv, "DOCKER_API_VERSION="):
			continue
		}
		env = append(env, kv)
	}
	if cliConfigDir != "" {
		env = append(env, "DOCKER_CONFIG="+cliConfigDir)
	}
	cmd.Env = env
	return cmd.CombinedOutput()
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
