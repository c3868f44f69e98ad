package chapter11

import (
	"embed"

	"github.com/dockerlab/dockerlab/lab"
)

//go:embed lab/hints
var labFiles embed.FS

// Lab is chapter 11's exercise manifest: `dockerlab lab list --chapter ch11`
// (docs/teaching.md, "Authors' guide", says how to add one).
var Lab = lab.Chapter{
	ID:    "ch11",
	Dir:   "chapters/11-build",
	Title: lab.Text{Zh: "docker build实现", En: "How docker build works"},
	Files: labFiles,
	Exercises: []lab.Exercise{{
		ID:         "ch11.dockerfile-lines",
		Book:       "§11.3",
		Title:      lab.Text{Zh: "Dockerfile 的行：注释、续行与一行一条指令", En: "A Dockerfile's lines: comments, continuations, one instruction per line"},
		Difficulty: 2,
		Backend:    lab.Fake,
	}},
}
