package chapter13

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 13's exercise manifest: `dockerlab lab list --chapter ch13`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch13",
	Dir:   "chapters/13-dockerinit",
	Title: lab.Text{Zh: "dockerinit启动", En: "dockerinit starts"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch13.namespace-exec",
		Book:       "§13.5",
		Notes:      `001 "docker 和libcontainer的关系"`,
		Title:      lab.Text{Zh: "namespaces.Exec：cgroup、启动、网络、state.json、等待", En: "namespaces.Exec: cgroup, start, network, state.json, wait"},
		Difficulty: 3,
		Backend:    lab.Fake,
	}},
}
